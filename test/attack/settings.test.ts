import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEFAULT_ATTACK_PROTECTION } from '../../src/attack-protection/settings.js';
import { purgeExpired } from '../../src/maintenance/purge.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import { TestClock } from '../helpers/clock.js';
import { CountingHasher } from '../helpers/counting-hasher.js';
import { ALICE, DB } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { attackTenant, DAY, loginFrom, WRONG } from './helpers.js';

describe('attack_protection in the tenant file', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  let server: TestServer;
  after(() => server.close());

  it('applies Auth0 defaults for what the file leaves out', async () => {
    server = await startTestServer(attackTenant({ brute_force_protection: { max_attempts: 5 } }), {
      clock,
    });
    const stored = await server.storage.attackSettings.get();
    assert.deepEqual(stored, {
      ...DEFAULT_ATTACK_PROTECTION,
      brute_force_protection: {
        ...DEFAULT_ATTACK_PROTECTION.brute_force_protection,
        max_attempts: 5,
      },
    });
    assert.deepEqual(DEFAULT_ATTACK_PROTECTION.suspicious_ip_throttling.stage['pre-login'], {
      max_attempts: 100,
      rate: 864_000,
    });
    assert.equal(DEFAULT_ATTACK_PROTECTION.brute_force_protection.max_attempts, 10);
    assert.equal(
      DEFAULT_ATTACK_PROTECTION.brute_force_protection.mode,
      'count_per_identifier_and_ip',
    );
  });

  const reject = async (settings: unknown, message: RegExp) => {
    const file = { ...attackTenant(), attack_protection: settings };
    await assert.rejects(
      importTenant(server.storage, file as never, new CountingHasher()),
      message,
    );
  };

  it('rejects an allowlist entry that is not an IP or CIDR, naming its path', async () => {
    await reject(
      { brute_force_protection: { allowlist: ['10.0.0.0/8', '10.0.0.0/33'] } },
      /attack_protection\.brute_force_protection\.allowlist\[1\]/,
    );
    await reject(
      { suspicious_ip_throttling: { allowlist: ['example.com'] } },
      /attack_protection\.suspicious_ip_throttling\.allowlist\[0\]/,
    );
  });

  it('rejects max_attempts outside 1–100, unknown modes and unknown fields', async () => {
    await reject({ brute_force_protection: { max_attempts: 101 } }, /max_attempts/);
    await reject({ brute_force_protection: { max_attempts: 0 } }, /max_attempts/);
    await reject({ brute_force_protection: { mode: 'count_per_ip' } }, /mode/);
    await reject({ brute_force_protection: { max_attemps: 3 } }, /max_attemps/);
  });

  it('purges expired gates, full buckets and old events', async () => {
    await loginFrom(server, '203.0.113.4', WRONG);
    clock.advance(31 * DAY);
    const counts = await purgeExpired(server.storage, clock);
    assert.ok(counts.gates >= 1, JSON.stringify(counts));
    assert.ok(counts.buckets >= 1, JSON.stringify(counts));
    assert.ok(counts.events >= 2, JSON.stringify(counts));
    assert.deepEqual(await server.storage.logEvents.list(), []);
  });
});

describe('tenant re-import and password hashes', () => {
  it('keeps the hash of an unchanged clear password and rehashes a changed one', async () => {
    const server = await startTestServer(attackTenant());
    try {
      const before = await server.storage.users.findByLogin(DB, ALICE.email);
      const file = attackTenant();
      await importTenant(server.storage, file as never, new CountingHasher());
      const same = await server.storage.users.findByLogin(DB, ALICE.email);
      assert.equal(same?.password_hash, before?.password_hash);
      const users = file.users as Array<Record<string, unknown>>;
      const alice = users.find((u) => u.email === ALICE.email);
      if (alice) alice.password = 'another passphrase entirely';
      await importTenant(server.storage, file as never, new CountingHasher());
      const changed = await server.storage.users.findByLogin(DB, ALICE.email);
      assert.notEqual(changed?.password_hash, before?.password_hash);
    } finally {
      await server.close();
    }
  });
});
