/**
 * @module tenant/schema
 *
 * The tenant file's JSON Schema (typebox), closed everywhere (`additionalProperties: false`)
 * so that a misspelt field is an error rather than silently ignored. Field names follow
 * Auth0's Management API. `default` annotations are applied by the loader after validation;
 * {@link TENANT_DEFAULTS} holds the same values for code that builds records from a
 * {@link TenantFile} it did not load itself.
 */
import { type Static, Type } from 'typebox';
import { AttackProtectionSchema } from '../attack-protection/settings-schema.js';
import { DEFAULT_REFRESH_TOKEN_POLICY as RT } from '../storage/models.js';

/** Default values of optional tenant-file fields. */
export const TENANT_DEFAULTS = {
  app_type: 'regular_web',
  token_endpoint_auth_method: 'client_secret_post',
  credential_type: 'public_key',
  credential_alg: 'RS256',
  id_token_lifetime: 36000,
  token_lifetime: 86400,
  signing_alg: 'RS256',
  token_dialect: 'access_token',
  strategy: 'auth0',
} as const;

/** Longest lifetime Auth0 accepts for ID and access tokens (30 days). */
export const MAX_LIFETIME_SECONDS = 2592000;

/** Longest refresh-token lifetime (absolute or idle) accepted: one year of 365.25 days. */
export const MAX_REFRESH_TOKEN_LIFETIME = 31557600;

/** Longest refresh-token reuse interval (`leeway`) Auth0 accepts: 30 days. */
export const MAX_REFRESH_TOKEN_LEEWAY = 2592000;

const closed = { additionalProperties: false } as const;
const NonEmpty = (options: { default?: string } = {}) => Type.String({ minLength: 1, ...options });
const Bool = () => Type.Optional(Type.Boolean({ default: false }));
const JsonObject = () => Type.Optional(Type.Record(Type.String(), Type.Unknown(), { default: {} }));

/** `tenant`: only the fields present are applied on import; null clears a reference. */
export const TenantSettingsSchema = Type.Object(
  {
    default_directory: Type.Optional(Type.Union([NonEmpty(), Type.Null()])),
    default_audience: Type.Optional(Type.Union([NonEmpty(), Type.Null()])),
    friendly_name: Type.Optional(Type.String()),
    resource_parameter_profile: Type.Optional(Type.Enum(['audience', 'compatibility'])),
  },
  closed,
);

/** One `private_key_jwt` public key: exactly one of `pem` (SPKI) or `jwk`. */
export const CredentialSchema = Type.Object(
  {
    name: Type.Optional(Type.String()),
    credential_type: Type.Optional(
      Type.Enum(['public_key'], { default: TENANT_DEFAULTS.credential_type }),
    ),
    pem: Type.Optional(NonEmpty()),
    jwk: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    alg: Type.Optional(
      Type.Enum(['RS256', 'RS384', 'PS256'], { default: TENANT_DEFAULTS.credential_alg }),
    ),
    kid: Type.Optional(NonEmpty()),
  },
  closed,
);

const Lifetime = (fallback: number) =>
  Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_REFRESH_TOKEN_LIFETIME, default: fallback }),
  );
const Flag = (fallback: boolean) => Type.Optional(Type.Boolean({ default: fallback }));

/** `clients[].refresh_token` (Auth0's object); missing fields take Auth0's defaults. */
export const RefreshTokenSchema = Type.Object(
  {
    rotation_type: Type.Optional(
      Type.Enum(['rotating', 'non-rotating'], { default: RT.rotation_type }),
    ),
    expiration_type: Type.Optional(
      Type.Enum(['expiring', 'non-expiring'], { default: RT.expiration_type }),
    ),
    leeway: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_REFRESH_TOKEN_LEEWAY, default: RT.leeway }),
    ),
    token_lifetime: Lifetime(RT.token_lifetime),
    infinite_token_lifetime: Flag(RT.infinite_token_lifetime),
    idle_token_lifetime: Lifetime(RT.idle_token_lifetime),
    infinite_idle_token_lifetime: Flag(RT.infinite_idle_token_lifetime),
  },
  { ...closed, default: {} },
);

/** A list of web origins (`scheme://host[:port]`), checked and normalised by the rules. */
const Origins = () => Type.Optional(Type.Array(NonEmpty(), { default: [] }));

/** `clients[]`; `client_secret_hash` (argon2id PHC) is our extension, written by export. */
export const ClientSchema = Type.Object(
  {
    client_id: NonEmpty(),
    name: NonEmpty(),
    client_secret: Type.Optional(NonEmpty()),
    client_secret_hash: Type.Optional(NonEmpty()),
    app_type: Type.Optional(
      Type.Enum(['non_interactive', 'regular_web', 'native', 'spa'], {
        default: TENANT_DEFAULTS.app_type,
      }),
    ),
    grant_types: Type.Optional(Type.Array(NonEmpty(), { default: [] })),
    token_endpoint_auth_method: Type.Optional(
      Type.Enum(['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'], {
        default: TENANT_DEFAULTS.token_endpoint_auth_method,
      }),
    ),
    client_authentication_methods: Type.Optional(
      Type.Object(
        {
          private_key_jwt: Type.Object({ credentials: Type.Array(CredentialSchema) }, closed),
        },
        closed,
      ),
    ),
    is_token_endpoint_ip_header_trusted: Bool(),
    jwt_configuration: Type.Optional(
      Type.Object(
        {
          lifetime_in_seconds: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: MAX_LIFETIME_SECONDS,
              default: TENANT_DEFAULTS.id_token_lifetime,
            }),
          ),
        },
        { ...closed, default: {} },
      ),
    ),
    refresh_token: Type.Optional(RefreshTokenSchema),
    allowed_origins: Origins(),
    web_origins: Origins(),
    require_proof_of_possession: Bool(),
  },
  closed,
);

/** `resource_servers[].proof_of_possession` (Auth0's object; DPoP is the only mechanism). */
export const ProofOfPossessionSchema = Type.Object(
  {
    mechanism: Type.Enum(['dpop']),
    required: Bool(),
    required_for: Type.Optional(
      Type.Enum(['all_clients', 'public_clients'], { default: 'all_clients' }),
    ),
  },
  closed,
);

/** One scope of an API. */
export const ScopeSchema = Type.Object(
  { value: NonEmpty(), description: Type.Optional(Type.String({ default: '' })) },
  closed,
);

/** `resource_servers[]` (APIs), keyed by `identifier`. */
export const ResourceServerSchema = Type.Object(
  {
    identifier: NonEmpty(),
    name: NonEmpty(),
    scopes: Type.Optional(Type.Array(ScopeSchema, { default: [] })),
    token_lifetime: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_LIFETIME_SECONDS,
        default: TENANT_DEFAULTS.token_lifetime,
      }),
    ),
    allow_offline_access: Bool(),
    signing_alg: Type.Optional(
      Type.Enum(['RS256', 'PS256'], { default: TENANT_DEFAULTS.signing_alg }),
    ),
    token_dialect: Type.Optional(
      Type.Enum(['access_token', 'rfc9068_profile'], { default: TENANT_DEFAULTS.token_dialect }),
    ),
    proof_of_possession: Type.Optional(ProofOfPossessionSchema),
  },
  closed,
);

/** `client_grants[]`: lets a client get tokens for an API by itself (client credentials). */
export const ClientGrantSchema = Type.Object(
  {
    client_id: NonEmpty(),
    audience: NonEmpty(),
    scope: Type.Array(NonEmpty()),
  },
  closed,
);

/** `connections[].options.mfa`: Auth0's `active` (false: never MFA) and our `required`. */
export const ConnectionMfaSchema = Type.Object(
  { active: Flag(true), required: Flag(false) },
  closed,
);

/** `guardian`: Auth0's MFA policies and factors (see README "MFA"). */
export const GuardianSchema = Type.Object(
  {
    policies: Type.Optional(Type.Array(Type.Enum(['all-applications']), { default: [] })),
    factors: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.Enum(['otp', 'email', 'recovery-code']), enabled: Type.Boolean() },
          closed,
        ),
        { default: [] },
      ),
    ),
  },
  closed,
);

/** `connections[]` (database connections), keyed by `name`. */
export const ConnectionSchema = Type.Object(
  {
    name: NonEmpty(),
    strategy: Type.Optional(Type.Enum(['auth0'], { default: TENANT_DEFAULTS.strategy })),
    enabled_clients: Type.Optional(Type.Array(NonEmpty(), { default: [] })),
    options: Type.Optional(
      Type.Object(
        { requires_username: Bool(), mfa: Type.Optional(ConnectionMfaSchema) },
        {
          ...closed,
          default: {},
        },
      ),
    ),
  },
  closed,
);

/** `users[]`; at most one of `password` (clear, hashed on import) and `password_hash`. */
export const UserSchema = Type.Object(
  {
    connection: NonEmpty(),
    user_id: Type.Optional(NonEmpty()),
    email: Type.Optional(NonEmpty()),
    username: Type.Optional(NonEmpty()),
    email_verified: Bool(),
    name: Type.Optional(Type.String()),
    given_name: Type.Optional(Type.String()),
    family_name: Type.Optional(Type.String()),
    nickname: Type.Optional(Type.String()),
    picture: Type.Optional(Type.String()),
    app_metadata: JsonObject(),
    user_metadata: JsonObject(),
    blocked: Bool(),
    password: Type.Optional(NonEmpty()),
    password_hash: Type.Optional(NonEmpty()),
  },
  closed,
);

/** The whole tenant file; every top-level key is optional. */
export const TenantFileSchema = Type.Object(
  {
    tenant: Type.Optional(TenantSettingsSchema),
    clients: Type.Optional(Type.Array(ClientSchema)),
    resource_servers: Type.Optional(Type.Array(ResourceServerSchema)),
    client_grants: Type.Optional(Type.Array(ClientGrantSchema)),
    connections: Type.Optional(Type.Array(ConnectionSchema)),
    users: Type.Optional(Type.Array(UserSchema)),
    attack_protection: Type.Optional(AttackProtectionSchema),
    guardian: Type.Optional(GuardianSchema),
  },
  closed,
);

/** A tenant file as loaded (optional fields may be absent when not loaded by the loader). */
export type TenantFile = Static<typeof TenantFileSchema>;
export type TenantFileSettings = Static<typeof TenantSettingsSchema>;
export type TenantFileClient = Static<typeof ClientSchema>;
export type TenantFileCredential = Static<typeof CredentialSchema>;
export type TenantFileRefreshToken = Static<typeof RefreshTokenSchema>;
export type TenantFileClientGrant = Static<typeof ClientGrantSchema>;
export type TenantFileResourceServer = Static<typeof ResourceServerSchema>;
export type TenantFileConnection = Static<typeof ConnectionSchema>;
export type TenantFileUser = Static<typeof UserSchema>;
export type TenantFileGuardian = Static<typeof GuardianSchema>;
