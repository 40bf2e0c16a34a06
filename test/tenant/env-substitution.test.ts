/**
 * @module test/tenant/env-substitution
 *
 * `${NAME}`, `${NAME:-default}` and `$${` in tenant-file strings, and the export escaping
 * that undoes them.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test literal ${...} references.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  escapeEnvReferences,
  expandString,
  substituteEnv,
} from '../../src/tenant/env-substitution.js';
import { parseTenantDocument } from '../../src/tenant/load-tenant-file.js';
import { TenantFileError } from '../../src/tenant/tenant-file-error.js';
import { tenantErrorOf } from './support.js';

const env = { SECRET: 's3cr3t', EMPTY: '', HOST: 'db.local' };

describe('expandString', () => {
  test('replaces ${NAME} with the variable', () => {
    assert.equal(expandString('pre-${SECRET}-post', env), 'pre-s3cr3t-post');
  });

  test('expands several references in one string', () => {
    assert.equal(expandString('${HOST}:${SECRET}', env), 'db.local:s3cr3t');
  });

  test('uses the default when the variable is unset or empty', () => {
    assert.equal(expandString('${MISSING:-fallback value}', env), 'fallback value');
    assert.equal(expandString('${EMPTY:-fallback}', env), 'fallback');
    assert.equal(expandString('${SECRET:-fallback}', env), 's3cr3t');
    assert.equal(expandString('${MISSING:-a:b-c}', env), 'a:b-c');
    assert.equal(expandString('${MISSING:-}', env), '');
  });

  test('keeps an empty variable without default empty', () => {
    assert.equal(expandString('[${EMPTY}]', env), '[]');
  });

  test('$${ is a literal ${', () => {
    assert.equal(expandString('$${SECRET}', env), '${SECRET}');
    assert.equal(expandString('cost: $5, $$ and $', env), 'cost: $5, $$ and $');
  });

  test('a missing variable without default names the field and the variable', () => {
    const message = tenantErrorOf(() => expandString('${NOPE}', env, ['users', 2, 'password']));
    assert.equal(message, 'users[2].password: environment variable NOPE is not set');
  });

  test('rejects malformed references', () => {
    assert.equal(
      tenantErrorOf(() =>
        expandString('pa${rt of a secret}ss', env, ['clients', 0, 'client_secret']),
      ),
      'clients[0].client_secret: invalid environment variable reference (write ${NAME} or ${NAME:-default}, or $${ for a literal ${)',
    );
    assert.equal(
      tenantErrorOf(() => expandString('abc ${SECRET', env, ['x'])),
      'x: unterminated "${" (write "$${" for a literal "${")',
    );
  });
});

describe('substituteEnv', () => {
  test('expands string values at any depth, leaving keys and other types alone', () => {
    const document = {
      '${SECRET}': '${SECRET}',
      list: [1, true, null, '${HOST}', { deep: '${MISSING:-d}' }],
    };
    assert.deepEqual(substituteEnv(document, env), {
      '${SECRET}': 's3cr3t',
      list: [1, true, null, 'db.local', { deep: 'd' }],
    });
  });

  test('reports the path of a missing variable', () => {
    const document = { clients: [{ client_id: 'a' }, { client_secret: '${NOPE}' }] };
    const error = (() => {
      try {
        substituteEnv(document, env);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    assert.ok(error instanceof TenantFileError);
    assert.equal(error.fieldPath, 'clients[1].client_secret');
    assert.equal(error.message, 'clients[1].client_secret: environment variable NOPE is not set');
  });

  test('does not mutate its input', () => {
    const document = { a: '${SECRET}' };
    substituteEnv(document, env);
    assert.deepEqual(document, { a: '${SECRET}' });
  });
});

describe('escapeEnvReferences', () => {
  test('escaped strings expand back to themselves', () => {
    const samples = ['plain', '${HOME}', '$${HOME}', '$$${x}', 'a$', '${', '$', '$${', 'x${y}z${'];
    for (const sample of samples) {
      const escaped = escapeEnvReferences({ value: sample }).value;
      assert.equal(expandString(escaped, {}), sample, `round trip of ${JSON.stringify(sample)}`);
    }
  });

  test('escapes only values', () => {
    assert.deepEqual(escapeEnvReferences({ '${k}': ['${v}', 3] }), { '${k}': ['$${v}', 3] });
  });
});

describe('environment values in error messages', () => {
  const env = { SECRET: 'hunter2-SECRET', SHORT: 'abc' };

  test('are replaced by their reference, wherever the message would print them', () => {
    assert.equal(
      tenantErrorOf(() =>
        parseTenantDocument(
          'clients: [{ client_id: a, name: A, app_type: "${SECRET}" }]',
          'yaml',
          env,
        ),
      ),
      'clients[0].app_type: expected one of "non_interactive", "regular_web", "native", "spa", got "${SECRET}"',
    );
    assert.equal(
      tenantErrorOf(() =>
        parseTenantDocument(
          'clients: [{ client_id: a, name: A, client_secret: s, grant_types: ["x${SECRET}"] }]',
          'yaml',
          env,
        ),
      ),
      'clients[0].grant_types: Invalid grant types: x${SECRET}',
    );
  });

  test('a default from the file is not hidden, nor a value too short to match safely', () => {
    assert.equal(
      tenantErrorOf(() =>
        parseTenantDocument(
          'clients: [{ client_id: a, name: A, app_type: "${UNSET:-web}" }]',
          'yaml',
          env,
        ),
      ),
      'clients[0].app_type: expected one of "non_interactive", "regular_web", "native", "spa", got "web"',
    );
  });
});
