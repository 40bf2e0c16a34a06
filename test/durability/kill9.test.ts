/**
 * Users, clients and signing keys survive a restart, including a `kill -9` while token requests
 * are in flight and bcrypt hashes are being rewritten to argon2id.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hashSync } from '@node-rs/bcrypt';
import BetterSqlite3 from 'better-sqlite3';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { type CliResult, cleanUp, startServe, tempDir } from '../helpers/cli.js';

const ISSUER = 'https://durable.example.com/';
const API = 'https://api.example.com';
const DB = 'Username-Password-Authentication';
const SECRET = 'durable-backend-secret';
/** Requests kept in flight at once, and how long the load runs before the process is stopped. */
const CONCURRENCY = 40;
const LOAD_MS = 1_500;
/** The load goes on past LOAD_MS (up to this) until a bcrypt user, an opaque and a JWT login succeeded. */
const MAX_LOAD_MS = 8_000;
/** How long a SIGTERMed server may take to exit before it is killed (and the test fails). */
const STOP_GRACE_MS = 5_000;

interface TestUser {
  user_id: string;
  email: string;
  password: string;
  kind: 'bcrypt' | 'argon2';
}

const USERS: TestUser[] = [
  ...Array.from(
    { length: 5 },
    (_, i): TestUser => ({
      user_id: `auth0|bcrypt-${i}`,
      email: `bcrypt-${i}@example.com`,
      password: `bcrypt-password-${i}`,
      kind: 'bcrypt',
    }),
  ),
  ...Array.from(
    { length: 3 },
    (_, i): TestUser => ({
      user_id: `auth0|argon2-${i}`,
      email: `argon2-${i}@example.com`,
      password: `argon2-password-${i}`,
      kind: 'argon2',
    }),
  ),
];
/** A bcrypt user the load never touches, so one hash is certainly still bcrypt at the restart. */
const UNTOUCHED: TestUser = {
  user_id: 'auth0|bcrypt-untouched',
  email: 'untouched@example.com',
  password: 'untouched-password',
  kind: 'bcrypt',
};
const ALL_USERS = [...USERS, UNTOUCHED];

function tenant(): object {
  return {
    tenant: { friendly_name: 'Durability', default_directory: DB },
    clients: [
      { client_id: 'backend', name: 'Backend', client_secret: SECRET, grant_types: ['password'] },
    ],
    resource_servers: [{ identifier: API, name: 'API', scopes: [{ value: 'read' }] }],
    connections: [{ name: DB, enabled_clients: ['backend'] }],
    users: ALL_USERS.map((u) => ({
      connection: DB,
      user_id: u.user_id,
      email: u.email,
      email_verified: true,
      ...(u.kind === 'bcrypt'
        ? { password_hash: hashSync(u.password, 10) }
        : { password: u.password }),
    })),
  };
}

interface Issued {
  user: TestUser;
  accessToken: string;
  idToken: string | undefined;
  opaque: boolean;
}

interface Load {
  stop: boolean;
  inFlight: number;
  issued: Issued[];
  /** Non-200 answers, as `status: error_description`. */
  refused: string[];
  networkErrors: number;
  done: Promise<void>;
}

function login(url: string, user: TestUser, audience?: string): Promise<Response> {
  const params: Record<string, string> = {
    grant_type: 'password',
    client_id: 'backend',
    client_secret: SECRET,
    username: user.email,
    password: user.password,
    scope: 'openid profile email',
  };
  if (audience) params.audience = audience;
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
}

/** Keeps {@link CONCURRENCY} logins in flight until `load.stop`; half without audience (opaque). */
function startLoad(url: string): Load {
  const load: Load = {
    stop: false,
    inFlight: 0,
    issued: [],
    refused: [],
    networkErrors: 0,
    done: Promise.resolve(),
  };
  const worker = async (id: number) => {
    for (let n = id; !load.stop; n += CONCURRENCY) {
      const user = USERS[n % USERS.length] as TestUser;
      const opaque = n % 2 === 0;
      load.inFlight += 1;
      try {
        const response = await login(url, user, opaque ? undefined : API);
        const body = (await response.json()) as Record<string, unknown>;
        if (response.status === 200) {
          const idToken = typeof body.id_token === 'string' ? body.id_token : undefined;
          load.issued.push({ user, accessToken: String(body.access_token), idToken, opaque });
        } else {
          load.refused.push(`${response.status}: ${String(body.error_description)}`);
        }
      } catch {
        load.networkErrors += 1;
      } finally {
        load.inFlight -= 1;
      }
    }
  };
  load.done = Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i))).then(
    () => undefined,
  );
  return load;
}

/**
 * A bcrypt user logged in (so its hash was rewritten: the rehash is awaited before the answer),
 * and both an opaque and a JWT access token were received.
 */
function loadedEnough(load: Pick<Load, 'issued'>): boolean {
  return (
    load.issued.some((t) => t.user.kind === 'bcrypt') &&
    load.issued.some((t) => t.opaque) &&
    load.issued.some((t) => !t.opaque)
  );
}

interface DbState {
  integrity: unknown;
  hashes: Map<string, string | null>;
}

/** Opens the database read-only (no server running) for the integrity check and the hashes. */
function inspectDb(dir: string): DbState {
  const db = new BetterSqlite3(join(dir, 'latchkey.db'), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const rows = db.prepare('SELECT user_id, password_hash FROM users').all() as Array<{
      user_id: string;
      password_hash: string | null;
    }>;
    return { integrity, hashes: new Map(rows.map((r) => [r.user_id, r.password_hash])) };
  } finally {
    db.close();
  }
}

async function jwksKids(url: string): Promise<string[]> {
  const body = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as {
    keys: Array<{ kid: string }>;
  };
  return body.keys.map((k) => k.kid).sort();
}

function serveArgs(dir: string): string[] {
  // all CONCURRENCY workers come from 127.0.0.1: let that one source queue them all (the
  // default share of 16 would shed some with 503, which is not what this test is about)
  const pool = ['--hash-queue', '64', '--hash-queue-per-source', String(CONCURRENCY)];
  return [
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--data',
    dir,
    '--issuer',
    ISSUER,
    '--allow-plain-http',
    ...pool,
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

after(cleanUp);

describe('durability of the data directory', { timeout: 180_000 }, () => {
  for (const how of ['SIGKILL', 'SIGTERM'] as const) {
    it(`users, clients, keys and issued tokens survive ${how} under load`, async (t) => {
      const dir = tempDir('latchkey-durable-');
      const tenantFile = join(dir, 'tenant.json');
      writeFileSync(tenantFile, JSON.stringify(tenant()));
      const first = await startServe([...serveArgs(dir), '--tenant', tenantFile]);
      const kidsBefore = await jwksKids(first.url);
      assert.equal(kidsBefore.length, 2);

      const load = startLoad(first.url);
      const loadStart = Date.now();
      await sleep(LOAD_MS);
      while (!loadedEnough(load) && Date.now() - loadStart < MAX_LOAD_MS) await sleep(20);
      const inFlight = load.inFlight;
      const issued = load.issued.length;
      const refused = [...load.refused];
      let stopped: CliResult;
      if (how === 'SIGKILL') {
        load.stop = true;
        stopped = await first.kill9();
        await load.done;
        assert.equal(stopped.signal, 'SIGKILL');
      } else {
        load.stop = true; // no new requests; the ones in flight must be answered before the exit
        const sentAt = Date.now();
        stopped = await first.stop(STOP_GRACE_MS);
        const took = Date.now() - sentAt;
        await load.done;
        // a subtest, so that the restart checks below still run when this fails
        await t.test('exits by itself, with code 0, soon after SIGTERM under load', () => {
          assert.equal(
            stopped.code,
            0,
            `no exit ${took} ms after SIGTERM (killed: ${stopped.signal}); clients still held keep-alive connections`,
          );
        });
        assert.equal(load.networkErrors, 0, 'requests in flight at SIGTERM are answered');
        assert.equal(load.refused.length, 0, `refused after SIGTERM: ${load.refused.join(', ')}`);
      }
      assert.ok(inFlight > 0, 'requests were in flight when the process was stopped');
      const before = how === 'SIGKILL' ? load.issued.slice(0, issued) : load.issued;
      assert.ok(
        loadedEnough({ issued: before }),
        `too little got through the load: ${issued} tokens`,
      );
      assert.deepEqual(refused, [], 'every login under load succeeded');

      const crashed = inspectDb(dir);
      assert.equal(crashed.integrity, 'ok');
      for (const user of ALL_USERS)
        assert.ok(crashed.hashes.get(user.user_id), `${user.email} lost its hash`);
      const rehashed = USERS.filter(
        (u) => u.kind === 'bcrypt' && crashed.hashes.get(u.user_id)?.startsWith('$argon2id$'),
      );
      assert.ok(rehashed.length > 0, 'bcrypt hashes were rewritten under load');
      assert.match(String(crashed.hashes.get(UNTOUCHED.user_id)), /^\$2[aby]\$10\$/);

      // restart on the same data dir, without the tenant file: everything comes from the database
      const second = await startServe(serveArgs(dir));
      let secondExit: CliResult | undefined;
      try {
        assert.deepEqual(
          await jwksKids(second.url),
          kidsBefore,
          'the same signing keys are published',
        );
        const jwks = createRemoteJWKSet(new URL(`${second.url}/.well-known/jwks.json`));

        for (const user of ALL_USERS) {
          const res = await login(second.url, user, API);
          const body = (await res.json()) as Record<string, unknown>;
          assert.equal(
            res.status,
            200,
            `${user.email} (${user.kind}) cannot log in: ${JSON.stringify(body)}`,
          );
          const { payload } = await jwtVerify(String(body.access_token), jwks, {
            issuer: ISSUER,
            audience: API,
          });
          assert.equal(payload.sub, user.user_id);
        }

        const opaque = before.filter((tok) => tok.opaque);
        const jwts = before.filter((tok) => !tok.opaque);
        assert.ok(
          opaque.length > 0 && jwts.length > 0,
          'both kinds of tokens were issued before the stop',
        );
        for (const tok of opaque) {
          assert.equal(tok.accessToken.split('.').length, 1, 'no audience gives an opaque token');
          const res = await fetch(`${second.url}/userinfo`, {
            headers: { authorization: `Bearer ${tok.accessToken}` },
          });
          const body = (await res.json()) as Record<string, unknown>;
          assert.equal(
            res.status,
            200,
            `opaque token of ${tok.user.email} lost: ${JSON.stringify(body)}`,
          );
          assert.equal(body.sub, tok.user.user_id);
          assert.equal(body.email, tok.user.email);
        }
        for (const tok of jwts) {
          const { payload } = await jwtVerify(tok.accessToken, jwks, {
            issuer: ISSUER,
            audience: API,
          });
          assert.equal(payload.sub, tok.user.user_id);
        }
        for (const tok of before) {
          if (!tok.idToken) continue;
          const { payload } = await jwtVerify(tok.idToken, jwks, {
            issuer: ISSUER,
            audience: 'backend',
          });
          assert.equal(payload.sub, tok.user.user_id);
        }
      } finally {
        secondExit = await second.stop();
      }
      assert.equal(secondExit.code, 0, 'an idle server exits on SIGTERM');
      assert.equal(inspectDb(dir).integrity, 'ok');
    });
  }
});
