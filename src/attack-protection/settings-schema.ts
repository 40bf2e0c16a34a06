/**
 * @module attack-protection/settings-schema
 *
 * The tenant file's `attack_protection` object (typebox), closed like the rest of the file.
 * Fields left out keep their stored value (or the default); see `settings.ts`.
 */
import { Type } from 'typebox';

const closed = { additionalProperties: false } as const;
const IpList = () => Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 }));
const Int = (minimum: number, maximum: number) => Type.Optional(Type.Integer({ minimum, maximum }));

export const AttackProtectionSchema = Type.Object(
  {
    brute_force_protection: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          max_attempts: Int(1, 100),
          mode: Type.Optional(Type.Enum(['count_per_identifier_and_ip', 'count_per_identifier'])),
          shields: Type.Optional(Type.Array(Type.Enum(['block', 'user_notification']))),
          allowlist: IpList(),
        },
        closed,
      ),
    ),
    suspicious_ip_throttling: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          shields: Type.Optional(Type.Array(Type.Enum(['block', 'admin_notification']))),
          allowlist: IpList(),
          stage: Type.Optional(
            Type.Object(
              {
                'pre-login': Type.Optional(
                  Type.Object(
                    { max_attempts: Int(1, 1_000_000), rate: Int(1, 86_400_000) },
                    closed,
                  ),
                ),
              },
              closed,
            ),
          ),
        },
        closed,
      ),
    ),
    account_throttling: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          threshold: Int(1, 100),
          initial_delay: Int(1, 86_400_000),
          max_delay: Int(1, 86_400_000),
        },
        closed,
      ),
    ),
    same_user_ip_limit: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          max_attempts: Int(1, 10_000),
          rate: Int(1, 3_600_000),
        },
        closed,
      ),
    ),
  },
  closed,
);
