/**
 * @module bench/scenarios/signing
 *
 * The grants that hash no password, against the raw RS256 signing rate of this machine measured
 * in the same run: the refresh-token grant (non-rotating: one stored refresh token replayed,
 * one access token signed per request; target ≥ 0.60 of the raw rate) and the
 * client-credentials grant (the client secret is verified once, then remembered). Raw RS256 is
 * measured just before and just after the two grants; their mean is the ceiling.
 */
import { runScenario, type ScenarioResult, tokenRequest } from '../load.js';
import { NOISE_CORES } from '../password-report.js';
import { measureRs256, type SignCeiling } from '../rs256-ceiling.js';
import { type BenchContext, type BenchScenario, startBenchServer } from '../scenario.js';
import { BENCH_USERS, clientCredentialsForm, refreshForm, SCOPES, tokenForm } from '../tenant.js';

interface GrantReport extends ScenarioResult {
  name: string;
  /** req/s ÷ mean raw RS256 signatures/s. */
  ratio: number;
  /** Null: informational only. */
  target: number | null;
  pass: boolean;
}

async function post(url: string, body: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof json.access_token !== 'string')
    throw new Error(`unexpected answer ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A refresh token from a password login, checked to be replayable (non-rotating). */
async function refreshToken(url: string): Promise<string> {
  const user = BENCH_USERS[0]!;
  const login = await post(url, tokenForm(user.email, user.password, SCOPES.offline));
  if (typeof login.refresh_token !== 'string') throw new Error('no refresh_token from login');
  const refreshed = await post(url, refreshForm(login.refresh_token));
  if (refreshed.refresh_token !== undefined) throw new Error('refresh token rotated');
  return login.refresh_token;
}

function rawSign(ctx: BenchContext, slices: SignCeiling[]): void {
  const slice = measureRs256(1, ctx.config.signDurationS);
  slices.push(slice);
  ctx.log(`raw RS256 slice ${slices.length}: ${slice.perSecond.toFixed(0)} signatures/s`);
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

function format(raw: number, slices: SignCeiling[], grants: GrantReport[]): string[] {
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(30) : c.padStart(9))).join(' ');
  const lines = [
    '## grants without password hashing vs raw RS256 signing',
    `raw RS256 slices (sync crypto.sign, one thread, 2048-bit key): ${slices.map((s) => f1(s.perSecond)).join(', ')} signatures/s`,
    '',
    row(['measurement', 'per s', 'ratio', 'p50 ms', 'p99 ms', 'errors', 'target']),
    row(['raw RS256 sign (mean)', f1(raw), '1.00', '', '', '', '']),
  ];
  for (const g of grants) {
    const verdict = g.target === null ? '(info)' : `≥ ${f2(g.target)} ${g.pass ? 'PASS' : 'FAIL'}`;
    const { p50, p99 } = g.latencyMs;
    lines.push(
      row([g.name, f1(g.perSecond), f2(g.ratio), `${p50}`, `${p99}`, `${g.errors}`, verdict]),
    );
  }
  for (const g of grants) {
    const c = g.cpuMsPerRequest;
    if (c)
      lines.push(
        `${g.name}: CPU ms/request: server main thread ${f2(c.serverMain)}, other server threads ` +
          `${f2(c.serverOther)}, load generator ${f2(c.loadgen)}; other processes ${g.foreignCores === null ? 'n/a' : f2(g.foreignCores)}`,
      );
  }
  return lines;
}

async function measure(ctx: BenchContext, url: string, pid: number) {
  const { config } = ctx;
  const token = await refreshToken(url);
  await post(url, clientCredentialsForm());
  const grants = [
    { name: 'refresh-token grant', body: refreshForm(token), target: config.signTarget },
    { name: 'client-credentials grant', body: clientCredentialsForm(), target: null },
  ];
  const slices: SignCeiling[] = [];
  await ctx.quiet();
  rawSign(ctx, slices);
  const results: Array<ScenarioResult & (typeof grants)[number]> = [];
  for (const grant of grants) {
    await ctx.quiet();
    ctx.log(`${grant.name}: ${config.warmupS} s warm-up + ${config.signGrantS} s`);
    const requests = tokenRequest(grant.body);
    const options = { ...config, durationS: config.signGrantS, url, serverPid: pid, requests };
    results.push({ ...grant, ...(await runScenario(options)) });
  }
  await ctx.quiet();
  rawSign(ctx, slices);
  const raw = slices.reduce((sum, s) => sum + s.perSecond, 0) / slices.length;
  const reports: GrantReport[] = results.map(({ body: _body, ...r }) => {
    const ratio = r.perSecond / raw;
    const pass = r.errors === 0 && (r.target === null || ratio >= r.target);
    return { ...r, ratio, pass };
  });
  return { raw, slices, grants: reports };
}

async function run(ctx: BenchContext) {
  const server = await startBenchServer(ctx, 'signing');
  try {
    ctx.log(`signing: server ${server.url} (pid ${server.pid})`);
    const { raw, slices, grants } = await measure(ctx, server.url, server.pid);
    return {
      pass: grants.every((g) => g.pass),
      noisy: grants.some((g) => (g.foreignCores ?? 0) > NOISE_CORES),
      lines: format(raw, slices, grants),
      json: { rawSignaturesPerSecond: raw, rawSlices: slices, grants },
    };
  } finally {
    await server.stop();
  }
}

export const signingScenario: BenchScenario = { name: 'signing', run };
