/**
 * Browser plumbing of the auth0-js test: a tiny static server (the page and auth0-js's own
 * bundle, served from an origin of its own) and Debian's Chromium driven by playwright-core
 * (never a downloaded browser).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { ROOT } from '../helpers/cli.js';

/** Debian's `chromium` package (override with CHROMIUM_PATH). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The browser bundle auth0-js ships (its package.json `main`). */
export const AUTH0_JS = join(ROOT, 'node_modules/auth0-js/dist/auth0.min.js');

/** Why the browser test cannot run here, or undefined. */
export function browserMissing(): string | undefined {
  if (!existsSync(CHROMIUM)) {
    return `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
  }
  if (!existsSync(AUTH0_JS)) return `auth0-js bundle not found at ${AUTH0_JS}: run npm ci`;
  return undefined;
}

/**
 * The page: loads the bundle, then exposes `latchkeyLogin(options)`, which calls
 * `new auth0.Authentication({ domain, clientID })[method](…)` and resolves with what the
 * callback got (the error reduced to plain data; no answer within 10 s is an error too).
 */
const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>auth0-js against Latchkey</title>
<script src="/auth0.min.js"></script>
<script>
window.latchkeyLogin = function (o) {
  return new Promise(function (resolve) {
    var timer = setTimeout(function () { resolve({ ok: false, error: { timeout: true } }); }, 10000);
    var auth = new auth0.Authentication({ domain: o.domain, clientID: o.clientID });
    var params = { username: o.username, password: o.password, scope: o.scope };
    if (o.audience) params.audience = o.audience;
    if (o.method === 'login') params.realm = o.realm;
    auth[o.method](params, function (err, result) {
      clearTimeout(timer);
      if (!err) return resolve({ ok: true, value: result });
      var original = err.original || {};
      resolve({ ok: false, error: {
        code: err.code, description: err.description, statusCode: err.statusCode,
        original: { message: String(original.message), status: original.status, crossDomain: original.crossDomain }
      } });
    });
  });
};
</script>
`;

/** A static server on 127.0.0.1 serving the page at `/` and the bundle at `/auth0.min.js`. */
export async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const bundle = readFileSync(AUTH0_JS);
  const server: Server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (req.url === '/auth0.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh temporary profile (`--user-data-dir`), removed on close. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'latchkey-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 30_000,
    });
    context.setDefaultTimeout(15_000);
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
