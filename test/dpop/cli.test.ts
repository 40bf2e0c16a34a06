/**
 * The DPoP settings of `latchkey serve`: `--dpop-nonce all` challenges a confidential client,
 * and `--dpop-proof-window` bounds `iat` (environment variables work the same way).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { killAll, removeTempDirs, startServe, tempDir } from '../helpers/cli.js';
import { ALICE, SECRET } from '../helpers/fixtures.js';
import { readResponse } from '../helpers/server.js';
import { DPOP_API, dpopTenant, makeProof } from './support.js';

after(async () => {
  await killAll();
  removeTempDirs();
});

const ISSUER = 'https://auth.example.com/';

describe('latchkey serve DPoP flags', { timeout: 120_000 }, () => {
  it('--dpop-nonce all and LATCHKEY_DPOP_PROOF_WINDOW reach the token endpoint', async () => {
    const dir = tempDir();
    const tenant = join(dir, 'tenant.json');
    writeFileSync(tenant, JSON.stringify(dpopTenant()));
    const args = ['--host', '127.0.0.1', '--port', '0', '--data', join(dir, 'data')];
    const server = await startServe(
      [
        ...args,
        '--issuer',
        ISSUER,
        '--allow-plain-http',
        '--tenant',
        tenant,
        '--dpop-nonce',
        'all',
      ],
      { LATCHKEY_DPOP_PROOF_WINDOW: '15' },
      { timeoutMs: 60_000 }, // tsx compiles the whole server at start: slow on a busy machine
    );
    const send = (iat: number, nonce?: string) =>
      fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          DPoP: makeProof({ htu: `${ISSUER}oauth/token`, iat, nonce }),
        },
        body: new URLSearchParams({
          grant_type: 'password',
          username: ALICE.email,
          password: ALICE.password,
          client_id: 'backend',
          client_secret: SECRET,
          audience: DPOP_API,
        }),
      }).then(readResponse);
    const now = () => Math.floor(Date.now() / 1000);
    const challenge = await send(now());
    assert.equal(challenge.status, 400);
    assert.equal(challenge.body.error, 'use_dpop_nonce');
    const nonce = String(challenge.headers.get('dpop-nonce'));
    const late = await send(now() - 120, nonce);
    assert.equal(late.body.error, 'use_dpop_nonce', 'iat 120 s old is outside a 15 s window');
    const ok = await send(now(), nonce);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.token_type, 'DPoP');
    await server.stop();
  });
});
