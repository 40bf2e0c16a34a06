import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  type CliResult,
  childEnv,
  cleanUp,
  ENTRY,
  freePort,
  lines,
  logLines,
  ROOT,
  runCli,
  type ServeProcess,
  startServe,
  tempDir,
} from '../helpers/cli.js';
import { ALICE, ALICE_ID, API, BOB, baseTenant, CAROL, DAVE, SECRET } from '../helpers/fixtures.js';

const LOCAL = ['--host', '127.0.0.1', '--port', '0'];
const backendAlice = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
};

interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

async function getJson(url: string): Promise<JsonResponse> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function token(baseUrl: string, params: Record<string, string>): Promise<JsonResponse> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function jwksKids(baseUrl: string): Promise<string[]> {
  const { body } = await getJson(`${baseUrl}/.well-known/jwks.json`);
  return (body.keys as Array<{ kid: string }>).map((k) => k.kid).sort();
}

/** A data dir and the fixture tenant written into it as JSON. */
function fixtureTenantFile(): { dir: string; tenantFile: string } {
  const dir = tempDir();
  const tenantFile = join(dir, 'tenant.json');
  writeFileSync(tenantFile, JSON.stringify(baseTenant().tenant));
  return { dir, tenantFile };
}

/** A password login with the fixture tenant succeeds and its JWT verifies at the server's JWKS. */
async function assertAliceLogsIn(server: ServeProcess): Promise<void> {
  const res = await token(server.url, { ...backendAlice, audience: API });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(String(res.body.access_token), jwks, {
    issuer: server.issuer,
    audience: API,
  });
  assert.equal(payload.sub, ALICE_ID);
}

function assertOneErrorLine(result: CliResult, ...words: string[]): void {
  assert.notEqual(result.code, 0, `expected a non-zero exit, got ${result.code}`);
  assert.equal(result.signal, null);
  const errorLines = lines(result.stderr);
  assert.equal(errorLines.length, 1, `expected one line on stderr, got:\n${result.stderr}`);
  for (const word of words)
    assert.ok(errorLines[0]?.includes(word), `${JSON.stringify(errorLines[0])} lacks ${word}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
}

function keyTable(stdout: string): Array<{ kid: string; alg: string; status: string }> {
  return lines(stdout).map((line) => {
    const [kid = '', alg = '', status = ''] = line.trim().split(/\s+/);
    return { kid, alg, status };
  });
}

after(cleanUp);

describe('latchkey --help', () => {
  it('lists the serve, tenant and keys commands', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    for (const command of ['serve', 'tenant', 'keys']) {
      assert.match(
        result.stdout,
        new RegExp(`^\\s+${command}\\b`, 'm'),
        `${command} missing from:\n${result.stdout}`,
      );
    }
  });

  it('serve --help lists every flag with its environment variable', async () => {
    const result = await runCli(['serve', '--help']);
    assert.equal(result.code, 0);
    const text = result.stdout.replace(/\s+/g, ' ');
    const flags: Array<[string, string]> = [
      ['--host <host>', 'LATCHKEY_HOST'],
      ['--port <port>', 'LATCHKEY_PORT'],
      ['--data <dir>', 'LATCHKEY_DATA'],
      ['--issuer <url>', 'LATCHKEY_ISSUER'],
      ['--tenant <file>', 'LATCHKEY_TENANT'],
      ['--log-level <level>', 'LATCHKEY_LOG_LEVEL'],
      ['--key-poll-ms <ms>', 'LATCHKEY_KEY_POLL_MS'],
      ['--max-connections <n>', 'LATCHKEY_MAX_CONNECTIONS'],
      ['--max-connections-per-ip <n>', 'LATCHKEY_MAX_CONNECTIONS_PER_IP'],
      ['--hash-concurrency <n>', 'LATCHKEY_HASH_CONCURRENCY'],
      ['--hash-queue <n>', 'LATCHKEY_HASH_QUEUE'],
      ['--hash-queue-per-source <n>', 'LATCHKEY_HASH_QUEUE_PER_SOURCE'],
    ];
    const positions = flags.map(([flag]) => text.indexOf(flag));
    const end = text.indexOf('-h, --help');
    flags.forEach(([flag, env], i) => {
      const start = positions[i] ?? -1;
      assert.ok(start >= 0, `${flag} missing from serve --help`);
      const next = positions.slice(i + 1).find((p) => p > start) ?? end;
      assert.ok(text.slice(start, next).includes(`env: ${env}`), `${flag} does not name ${env}`);
    });
  });
});

describe('latchkey errors: non-zero exit and one line on stderr', () => {
  const dir = tempDir();
  const data = join(dir, 'data');
  const unknownField = join(dir, 'unknown-field.yaml');
  writeFileSync(unknownField, 'clients:\n  - client_id: a\n    name: A\n    bogus: 1\n');
  const badYaml = join(dir, 'bad.yaml');
  writeFileSync(badYaml, 'clients: [\n  - a: b: c\n');
  const missing = join(dir, 'missing.yaml');
  const serve = (...args: string[]) =>
    runCli(['serve', ...LOCAL, '--data', data, ...args], { timeoutMs: 60_000 });

  it('an unknown flag', async () => {
    assertOneErrorLine(await runCli(['serve', '--bogus']), 'unknown option', '--bogus');
  });

  it('a port out of range', async () => {
    assertOneErrorLine(
      await runCli(['serve', '--port', '99999', '--data', data]),
      '--port',
      '99999',
    );
  });

  it('a host that is neither an IP address nor a host name names --host, not the issuer', async () => {
    for (const host of ['999.1.1.1', '1.2.3', 'a b', '-x', 'x..example', '0x7f.0.0.1']) {
      const result = await runCli(['serve', '--host', host, '--data', data]);
      assertOneErrorLine(result, '--host', 'is not an IP address or a host name');
      assert.doesNotMatch(result.stderr, /issuer/);
    }
    assertOneErrorLine(
      await runCli(['serve', '--host', 'fe80::1%lo', '--data', data]),
      '--host',
      'IPv6 zone',
    );
  });

  it('a port that is not a number', async () => {
    assertOneErrorLine(await runCli(['serve', '--port', 'abc', '--data', data]), '--port', 'abc');
  });

  it('a hash pool setting that is not a suitable integer', async () => {
    assertOneErrorLine(
      await runCli(['serve', '--hash-concurrency', '0', '--data', data]),
      '--hash-concurrency',
      '"0"',
    );
    assertOneErrorLine(
      await runCli(['serve', '--hash-queue', '-3', '--data', data]),
      '--hash-queue',
    );
  });

  it('a key poll interval past what a timer holds (it would fire every millisecond)', async () => {
    assertOneErrorLine(
      await runCli(['serve', '--key-poll-ms', '2147483648', '--data', data]),
      '--key-poll-ms',
      'must be at most 2147483647',
    );
  });

  it('an empty value where a host, file or directory belongs (LATCHKEY_HOST= would bind everything)', async () => {
    assertOneErrorLine(
      await runCli(['serve', '--data', data], { env: { LATCHKEY_HOST: '' } }),
      "'--host <host>'",
      'LATCHKEY_HOST',
      'must not be empty',
    );
    for (const args of [
      ['serve', '--data', ''],
      ['serve', '--data', data, '--smtp-host', ''],
      ['serve', '--data', data, '--tls-cert', ' ', '--tls-key', 'k'],
      ['tenant', 'export', '--data', data, '--output', ''],
    ]) {
      assertOneErrorLine(await runCli(args), 'must not be empty');
    }
  });

  it('an https:// issuer that this server would serve as plain HTTP, nothing in front (TE-2)', async () => {
    const fresh = join(dir, 'te2-data');
    const https = 'https://auth.example.com/';
    assertOneErrorLine(
      await runCli(['serve', ...LOCAL, '--data', fresh, '--issuer', https]),
      'the issuer is https:// but this server would serve plain HTTP',
      '--tls-cert',
      '--trust-proxy',
    );
    assertOneErrorLine(
      await runCli(['serve', ...LOCAL, '--data', fresh], { env: { LATCHKEY_ISSUER: https } }),
      'the issuer is https://',
    );
    assert.equal(existsSync(fresh), false, 'refused before anything is created');
  });

  it('serve values that are wrong name their flag, and never print an issuer password', async () => {
    const issuer = await runCli([
      'serve',
      '--data',
      data,
      '--issuer',
      'https://admin:hunter2@auth.example.com/',
    ]);
    assertOneErrorLine(issuer, 'issuer must not have credentials');
    assert.doesNotMatch(issuer.stderr, /hunter2/);
    assertOneErrorLine(
      await runCli(['serve', '--data', data, '--smtp-host', 'mail', '--smtp-port', '0']),
      '--smtp-port',
    );
    assertOneErrorLine(
      await runCli(['serve', '--data', data, '--encryption-key', `${'A'.repeat(42)}!*A`]),
      '--encryption-key',
      'must be 32 bytes',
    );
    assertOneErrorLine(
      await runCli(['serve', '--data', data, '--hash-concurrency', '99999999999']),
      'must be at most 1000000',
    );
    assertOneErrorLine(
      await runCli(['serve', '--data', data, '--dpop-proof-window', '1000000']),
      'must be at most 86400',
    );
    assertOneErrorLine(
      await runCli(['serve', '--data', data, '--max-connections', '0']),
      '--max-connections',
      'must be a positive integer',
    );
    assertOneErrorLine(
      await runCli(['serve', '--data', data], {
        env: { LATCHKEY_MAX_CONNECTIONS_PER_IP: '2000000' },
      }),
      '--max-connections-per-ip',
      'must be at most 1000000',
    );
  });

  it('a missing tenant file (serve and tenant import)', async () => {
    assertOneErrorLine(await serve('--tenant', missing), missing, 'cannot read file', 'ENOENT');
    assertOneErrorLine(
      await runCli(['tenant', 'import', missing, '--data', data]),
      missing,
      'cannot read file',
    );
  });

  it('a tenant file with an unknown field (serve and tenant import)', async () => {
    assertOneErrorLine(
      await serve('--tenant', unknownField),
      unknownField,
      'clients[0].bogus',
      'unknown field',
    );
    assertOneErrorLine(
      await runCli(['tenant', 'import', unknownField, '--data', data]),
      'clients[0].bogus',
      'unknown field',
    );
  });

  it('a data directory without a database (every command but serve and tenant import)', async () => {
    const typo = join(dir, 'dta');
    for (const args of [
      ['tenant', 'export'],
      ['keys', 'list'],
      ['keys', 'rotate'],
      ['users', 'unblock', 'alice@example.com'],
      ['users', 'mfa', 'list', 'auth0|0123456789abcdef01234567'],
      ['users', 'import', unknownField, '--connection', 'db'],
    ]) {
      assertOneErrorLine(
        await runCli([...args, '--data', typo]),
        `no database in ${typo}`,
        'check --data',
      );
    }
    assert.equal(existsSync(typo), false, 'nothing is created');
    const emptyFile = join(dir, 'empty-db');
    mkdirSync(emptyFile);
    writeFileSync(join(emptyFile, 'latchkey.db'), '');
    assertOneErrorLine(await runCli(['keys', 'list', '--data', emptyFile]), 'no database in');
  });

  it('an environment value (maybe a secret) is never printed back, even in cross-reference errors', async () => {
    const file = join(dir, 'env-ref.yaml');
    const reference = ['$', '{LK_TEST_SECRET}'].join('');
    writeFileSync(file, `users: [{ connection: "${reference}", email: a@b.c }]\n`);
    const result = await runCli(['tenant', 'import', file, '--data', join(dir, 'env-ref')], {
      env: { LK_TEST_SECRET: 'hunter2-not-a-connection' },
    });
    assertOneErrorLine(result, 'users[0].connection', reference);
    assert.doesNotMatch(result.stderr, /hunter2/);
  });

  it('a failed first import leaves no database behind (and keeps a directory it did not make)', async () => {
    const fresh = join(dir, 'fresh');
    assertOneErrorLine(
      await runCli(['tenant', 'import', unknownField, '--data', fresh]),
      'unknown field',
    );
    assert.equal(existsSync(fresh), false, 'the directory it made is gone');
    const made = join(dir, 'made');
    mkdirSync(made);
    assertOneErrorLine(await runCli(['tenant', 'import', badYaml, '--data', made]), 'invalid YAML');
    assert.deepEqual(readdirSync(made), [], 'no latchkey.db, -wal or -shm');
    assertOneErrorLine(await runCli(['keys', 'list', '--data', made]), 'no database in');
    const nested = join(dir, 'n1', 'n2', 'n3');
    assertOneErrorLine(
      await runCli(['tenant', 'import', badYaml, '--data', nested]),
      'invalid YAML',
    );
    assert.equal(existsSync(join(dir, 'n1')), false, 'every directory it made is gone');
    // a start that fails (here the issuer) takes back its database and encryption.key too
    const failedStart = join(dir, 's1', 'data');
    assertOneErrorLine(
      await runCli(['serve', ...LOCAL, '--data', failedStart, '--issuer', 'ftp://x/']),
      'must use http or https',
    );
    assert.equal(existsSync(join(dir, 's1')), false);
  });

  it('a file in the way names itself: not a database, not a directory, not writable, not a key', async () => {
    const garbage = join(dir, 'garbage');
    mkdirSync(garbage);
    writeFileSync(join(garbage, 'latchkey.db'), 'not sqlite at all');
    assertOneErrorLine(
      await runCli(['keys', 'list', '--data', garbage]),
      `${join(garbage, 'latchkey.db')} is not a Latchkey database`,
    );
    const aFile = join(dir, 'a-file');
    writeFileSync(aFile, '');
    assertOneErrorLine(
      await runCli(['tenant', 'import', unknownField, '--data', aFile]),
      `data directory ${aFile} is not a directory`,
    );
    const keyDir = join(dir, 'key-dir');
    mkdirSync(join(keyDir, 'encryption.key'), { recursive: true });
    assertOneErrorLine(
      await runCli(['serve', ...LOCAL, '--data', keyDir]),
      `${join(keyDir, 'encryption.key')}: cannot read the encryption key (EISDIR)`,
    );
    assert.deepEqual(
      readdirSync(keyDir),
      ['encryption.key'],
      'the failed start took its database back',
    );
  });

  it('output that cannot be written (a full disk: /dev/full)', () => {
    const emptyTenant = join(dir, 'empty.json');
    writeFileSync(emptyTenant, '{}');
    spawnSync(process.execPath, [...ENTRY, 'tenant', 'import', emptyTenant, '--data', data], {
      cwd: ROOT,
      env: childEnv(),
    });
    for (const args of [['--help'], ['keys', 'list', '--data', data]]) {
      const full = openSync('/dev/full', 'w');
      const result = spawnSync(process.execPath, [...ENTRY, ...args], {
        cwd: ROOT,
        env: childEnv(),
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      closeSync(full);
      assertOneErrorLine(
        { code: result.status, signal: result.signal, stdout: '', stderr: result.stderr },
        'cannot write the output: ENOSPC',
      );
    }
    const toFile = spawnSync(
      process.execPath,
      [...ENTRY, 'tenant', 'export', '--data', data, '--output', '/dev/full'],
      { cwd: ROOT, env: childEnv(), encoding: 'utf8' },
    );
    assertOneErrorLine(
      { code: toFile.status, signal: toFile.signal, stdout: toFile.stdout, stderr: toFile.stderr },
      '--output /dev/full: cannot write (ENOSPC)',
    );
  });

  it('a tenant file that is not valid YAML (serve and tenant import)', async () => {
    assertOneErrorLine(await serve('--tenant', badYaml), badYaml, 'invalid YAML');
    assertOneErrorLine(
      await runCli(['tenant', 'import', badYaml, '--data', data]),
      badYaml,
      'invalid YAML',
    );
  });
});

describe('latchkey serve', () => {
  it('starts with flags and serves the fixture tenant', async () => {
    const { dir, tenantFile } = fixtureTenantFile();
    const server = await startServe([
      ...LOCAL,
      '--data',
      dir,
      '--tenant',
      tenantFile,
      '--log-level',
      'info',
    ]);
    let stopped: CliResult;
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(
        server.logs().some((l) => l.msg === 'tenant file imported' && l.file === tenantFile),
      );
      await assertAliceLogsIn(server);
      assert.ok(existsSync(join(dir, 'latchkey.db')));
    } finally {
      stopped = await server.stop();
    }
    assert.equal(
      stopped.code,
      0,
      `SIGTERM exit: ${stopped.code} ${stopped.signal}\n${stopped.stderr}`,
    );
  });

  it('starts the same with environment variables only', async () => {
    const { dir, tenantFile } = fixtureTenantFile();
    const port = await freePort();
    const env = {
      LATCHKEY_HOST: '127.0.0.1',
      LATCHKEY_PORT: String(port),
      LATCHKEY_DATA: join(dir, 'env-data'),
      LATCHKEY_TENANT: tenantFile,
      // warn hides the info lines, so readiness is polled on the port LATCHKEY_PORT named
      LATCHKEY_LOG_LEVEL: 'warn',
    };
    const server = await startServe([], env, { readyUrl: `http://127.0.0.1:${port}` });
    let stopped: CliResult;
    try {
      assert.equal(server.issuer, `http://127.0.0.1:${port}/`);
      await assertAliceLogsIn(server);
      assert.ok(existsSync(join(dir, 'env-data', 'latchkey.db')), 'LATCHKEY_DATA is used');
    } finally {
      stopped = await server.stop();
    }
    assert.equal(stopped.code, 0);
    const belowWarn = logLines(stopped.stdout).filter((l) => Number(l.level) < 40);
    assert.deepEqual(belowWarn, [], 'LATCHKEY_LOG_LEVEL=warn hides info lines');
  });
});

describe('latchkey serve issuer', () => {
  async function discovery(
    server: ServeProcess,
    baseUrl = server.url,
  ): Promise<Record<string, unknown>> {
    const res = await getJson(`${baseUrl}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    return res.body;
  }

  it('defaults to http://<host>:<port>/', async () => {
    const server = await startServe([...LOCAL, '--data', tempDir()]);
    try {
      const port = new URL(server.url).port;
      const doc = await discovery(server);
      assert.equal(doc.issuer, `http://127.0.0.1:${port}/`);
      assert.equal(server.issuer, doc.issuer);
      assert.equal(doc.token_endpoint, `http://127.0.0.1:${port}/oauth/token`);
    } finally {
      await server.stop();
    }
  });

  it('uses localhost when bound to 0.0.0.0', async () => {
    // the one server bound to all interfaces, for the few hundred milliseconds this test runs
    const server = await startServe(['--host', '0.0.0.0', '--port', '0', '--data', tempDir()]);
    try {
      const port = new URL(server.url).port;
      const doc = await discovery(server, `http://127.0.0.1:${port}`);
      assert.equal(doc.issuer, `http://localhost:${port}/`);
      assert.equal(server.issuer, doc.issuer);
    } finally {
      await server.stop();
    }
  });

  it('announces --issuer with the trailing slash added', async () => {
    const server = await startServe([
      ...LOCAL,
      '--data',
      tempDir(),
      '--issuer',
      'https://auth.example.com',
      '--allow-plain-http',
    ]);
    try {
      assert.equal(server.issuer, 'https://auth.example.com/');
      const doc = await discovery(server);
      assert.equal(doc.issuer, 'https://auth.example.com/');
      assert.equal(doc.token_endpoint, 'https://auth.example.com/oauth/token');
      assert.equal(doc.jwks_uri, 'https://auth.example.com/.well-known/jwks.json');
    } finally {
      await server.stop();
    }
  });
});

describe('latchkey tenant import / export', () => {
  it('round-trips through export --format json into a fresh data dir, with hashes only', async () => {
    const { dir, tenantFile } = fixtureTenantFile();
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    const imported = await runCli(['tenant', 'import', tenantFile, '--data', first]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^imported /);

    const exportFile = join(dir, 'export.json');
    writeFileSync(exportFile, 'an older, world-readable file', { mode: 0o644 });
    chmodSync(exportFile, 0o644); // whatever the umask
    const exported = await runCli([
      'tenant',
      'export',
      '--data',
      first,
      '--format',
      'json',
      '--output',
      exportFile,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.stdout, '');
    assert.equal(
      statSync(exportFile).mode & 0o777,
      0o600,
      'the export is written owner-only, also over an existing file',
    );
    const text = readFileSync(exportFile, 'utf8');
    const toStdout = await runCli(['tenant', 'export', '--data', first, '--format', 'json']);
    assert.equal(toStdout.stdout, text);

    for (const secret of [
      SECRET,
      'basic-secret',
      'no-grants-secret',
      ALICE.password,
      BOB.password,
      CAROL.password,
    ]) {
      assert.equal(text.includes(secret), false, 'a clear secret or password is in the export');
    }
    const doc = JSON.parse(text) as {
      users: Array<Record<string, unknown>>;
      clients: Array<Record<string, unknown>>;
    };
    assert.equal(doc.users.length, 4);
    for (const user of doc.users) {
      assert.equal('password' in user, false);
      assert.equal(
        typeof user.password_hash,
        'string',
        `${String(user.email)} has no password_hash`,
      );
      const expected = user.email === DAVE.email ? DAVE.hash : /^\$argon2id\$/;
      if (typeof expected === 'string') assert.equal(user.password_hash, expected);
      else assert.match(String(user.password_hash), expected);
    }
    const withSecret = new Set(['backend', 'basic-client', 'no-grants']);
    assert.equal(doc.clients.length, 5);
    for (const client of doc.clients) {
      assert.equal('client_secret' in client, false);
      if (withSecret.has(String(client.client_id)))
        assert.match(String(client.client_secret_hash), /^\$argon2id\$/);
      else assert.equal(client.client_secret_hash, undefined);
    }

    const reimported = await runCli(['tenant', 'import', exportFile, '--data', second]);
    assert.equal(reimported.code, 0, reimported.stderr);
    const again = await runCli(['tenant', 'export', '--data', second, '--format', 'json']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), doc, 'the second data dir exports the same tenant');

    // the hashes work: the second data dir logs users in with their passwords and the client secret
    const server = await startServe([...LOCAL, '--data', second]);
    try {
      await assertAliceLogsIn(server);
      const dave = await token(server.url, {
        ...backendAlice,
        username: DAVE.email,
        password: DAVE.password,
        audience: API,
      });
      assert.equal(dave.status, 200, JSON.stringify(dave.body));
    } finally {
      await server.stop();
    }
  });
});

describe('latchkey keys', () => {
  it('keys list shows one current and one next key (and creates no more when run again)', async () => {
    const data = tempDir();
    const emptyTenant = join(data, 'empty.json');
    writeFileSync(emptyTenant, '{}');
    assert.equal((await runCli(['tenant', 'import', emptyTenant, '--data', data])).code, 0);
    const result = await runCli(['keys', 'list', '--data', data]);
    assert.equal(result.code, 0, result.stderr);
    const table = keyTable(result.stdout);
    assert.deepEqual(table.map((k) => k.status).sort(), ['current', 'next']);
    assert.notEqual(table[0]?.kid, table[1]?.kid);
    for (const key of table) assert.equal(key.alg, 'RS256');
    const again = await runCli(['keys', 'list', '--data', data]);
    assert.equal(again.stdout, result.stdout);
  });

  it('keys rotate reaches a running server within its poll interval; old tokens still verify', async () => {
    const { dir, tenantFile } = fixtureTenantFile();
    const server = await startServe([
      ...LOCAL,
      '--data',
      dir,
      '--tenant',
      tenantFile,
      '--key-poll-ms',
      '200',
    ]);
    try {
      const before = keyTable((await runCli(['keys', 'list', '--data', dir])).stdout);
      const oldCurrent = before.find((k) => k.status === 'current')?.kid ?? '';
      const oldNext = before.find((k) => k.status === 'next')?.kid ?? '';
      assert.deepEqual(await jwksKids(server.url), [oldCurrent, oldNext].sort());

      const oldToken = await token(server.url, { ...backendAlice, audience: API });
      assert.equal(oldToken.status, 200);
      assert.equal(decodeProtectedHeader(String(oldToken.body.access_token)).kid, oldCurrent);

      const rotated = await runCli(['keys', 'rotate', '--data', dir]);
      const rotatedAt = Date.now();
      assert.equal(rotated.code, 0, rotated.stderr);
      const announced = /^rotated: current (\S+), previous (\S+), next (\S+)$/.exec(
        rotated.stdout.trim(),
      );
      assert.ok(announced, rotated.stdout);
      const [, newCurrent, newPrevious, newNext = ''] = announced;
      assert.equal(newCurrent, oldNext, 'next became current');
      assert.equal(newPrevious, oldCurrent, 'current became previous');

      // the server picks the rotation up on its own (200 ms poll): the JWKS gains the new next key
      const expected = [oldCurrent, oldNext, newNext].sort();
      let kids = await jwksKids(server.url);
      while (JSON.stringify(kids) !== JSON.stringify(expected) && Date.now() - rotatedAt < 3_000) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        kids = await jwksKids(server.url);
      }
      const took = Date.now() - rotatedAt;
      assert.deepEqual(kids, expected, 'JWKS publishes previous, current and next');
      assert.ok(took < 1_500, `the rotation took ${took} ms to reach the server`);

      const listed = keyTable((await runCli(['keys', 'list', '--data', dir])).stdout);
      const status = (s: string) => listed.filter((k) => k.status === s).map((k) => k.kid);
      assert.deepEqual(status('current'), [oldNext]);
      assert.deepEqual(status('previous'), [oldCurrent]);
      assert.deepEqual(status('next'), [newNext]);

      const newToken = await token(server.url, { ...backendAlice, audience: API });
      assert.equal(newToken.status, 200);
      assert.equal(
        decodeProtectedHeader(String(newToken.body.access_token)).kid,
        oldNext,
        'signed by the new current key',
      );

      const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
      for (const t of [oldToken, newToken]) {
        const { payload } = await jwtVerify(String(t.body.access_token), jwks, {
          issuer: server.issuer,
          audience: API,
        });
        assert.equal(payload.sub, ALICE_ID);
      }
    } finally {
      await server.stop();
    }
  });
});
