/**
 * auth0-js (Auth0's browser SDK), unmodified: its own bundle runs in headless Chromium on a page
 * served from another origin than Latchkey's, so every call is a CORS request (JSON with an
 * `Auth0-Client` header: preflighted). Needs Chromium: fails without it when CI=true, skips
 * (saying why) elsewhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ALICE, ALICE_ID, API, DB } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type Browser, browserMissing, launchChromium, startPageServer } from './browser.js';
import { prerequisite, requirePrerequisite, sdkTenant } from './support.js';

/** auth0-js ships no types we use; these are the shapes of what the page hands back. */
interface LoginOptions {
  method: 'login' | 'loginWithDefaultDirectory';
  domain: string;
  clientID: string;
  username: string;
  password: string;
  realm: string;
  scope: string;
  audience?: string;
}

interface Auth0JsTokens {
  accessToken: string;
  idToken?: string;
  expiresIn: number;
  tokenType: string;
  scope?: string;
}

interface Auth0JsError {
  code?: string | null;
  description?: string | null;
  statusCode?: number;
  timeout?: boolean;
  original?: { message?: string; status?: number; crossDomain?: boolean };
}

type LoginResult = { ok: true; value: Auth0JsTokens } | { ok: false; error: Auth0JsError };

interface PageGlobals {
  latchkeyLogin(options: LoginOptions): Promise<LoginResult>;
}

interface Attempt {
  result: LoginResult;
  /** Requests the page made to Latchkey (method, auth0-client header). */
  requests: Array<{
    method: string;
    auth0Client: string | undefined;
    contentType: string | undefined;
  }>;
  consoleErrors: string[];
}

const missing = browserMissing();

describe('auth0-js in Chromium, from another origin', {
  ...prerequisite(missing),
  timeout: 90_000,
}, () => {
  let server: TestServer;
  let allowed: Awaited<ReturnType<typeof startPageServer>>;
  let denied: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Browser;
  before(async () => {
    requirePrerequisite(missing);
    allowed = await startPageServer();
    denied = await startPageServer();
    server = await startTestServer(sdkTenant([allowed.origin]), { host: 'localhost' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await allowed?.close();
    await denied?.close();
  });

  async function attempt(origin: string, options: Partial<LoginOptions>): Promise<Attempt> {
    const page = await browser.context.newPage();
    const attempt: Omit<Attempt, 'result'> = { requests: [], consoleErrors: [] };
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) return;
      const headers = request.headers();
      attempt.requests.push({
        method: request.method(),
        auth0Client: headers['auth0-client'],
        contentType: headers['content-type'],
      });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') attempt.consoleErrors.push(message.text());
    });
    try {
      await page.goto(`${origin}/`);
      const login: LoginOptions = {
        method: 'login',
        domain: server.url,
        clientID: 'cli',
        username: ALICE.email,
        password: ALICE.password,
        realm: DB,
        scope: 'openid profile email',
        ...options,
      };
      const result = await page.evaluate(
        (o) => (globalThis as unknown as PageGlobals).latchkeyLogin(o),
        login,
      );
      return { ...attempt, result };
    } finally {
      await page.close();
    }
  }

  function tokens(result: LoginResult): Auth0JsTokens {
    if (!result.ok) assert.fail(`auth0-js reported an error: ${JSON.stringify(result.error)}`);
    return result.value;
  }

  async function verifyIdToken(idToken: string | undefined) {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(String(idToken), jwks, {
      issuer: server.issuer,
      audience: 'cli',
    });
    return payload;
  }

  const authEvents = () => server.logs.filter((line) => String(line.msg).startsWith('auth event'));

  it('login (password-realm) from an allowed origin: tokens the page can read', async () => {
    const { result, requests } = await attempt(allowed.origin, { method: 'login' });
    const value = tokens(result);
    assert.equal(value.tokenType, 'Bearer');
    assert.equal(typeof value.accessToken, 'string');
    assert.equal((await verifyIdToken(value.idToken)).sub, ALICE_ID);
    const post = requests.find((r) => r.method === 'POST');
    assert.ok(post, 'the page POSTed to /oauth/token');
    assert.match(String(post.contentType), /^application\/json/);
    assert.ok(post.auth0Client, 'auth0-js sent its Auth0-Client header (a preflighted request)');
  });

  it('loginWithDefaultDirectory (password grant) from an allowed origin', async () => {
    const { result } = await attempt(allowed.origin, { method: 'loginWithDefaultDirectory' });
    const value = tokens(result);
    const id = await verifyIdToken(value.idToken);
    assert.equal(id.sub, ALICE_ID);
    assert.equal(id.email, ALICE.email);
  });

  it('login with an audience: a JWT access token for the API', async () => {
    const { result } = await attempt(allowed.origin, {
      audience: API,
      scope: 'openid read:messages',
    });
    const value = tokens(result);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(value.accessToken, jwks, {
      issuer: server.issuer,
      audience: API,
    });
    assert.equal(payload.sub, ALICE_ID);
    assert.equal(payload.azp, 'cli');
  });

  it('a wrong password from an allowed origin is readable: invalid_grant', async () => {
    const { result } = await attempt(allowed.origin, { password: `${ALICE.password}-wrong` });
    assert.equal(result.ok, false, 'the login must fail');
    if (result.ok) return;
    assert.equal(result.error.code, 'invalid_grant', JSON.stringify(result.error));
    assert.equal(result.error.description, 'Wrong email or password.');
    assert.equal(result.error.statusCode, 403);
  });

  it('a page on an origin no client lists is blocked by the browser', async () => {
    const before = authEvents().length;
    const { result, consoleErrors } = await attempt(denied.origin, {});
    assert.equal(result.ok, false, 'the browser must not hand the tokens to this page');
    if (result.ok) return;
    assert.notEqual(result.error.timeout, true, 'auth0-js reported the failure');
    assert.equal(result.error.original?.crossDomain, true, JSON.stringify(result.error));
    assert.equal(result.error.statusCode ?? 0, 0, 'no HTTP status reaches the page');
    assert.ok(
      consoleErrors.some((text) => /CORS policy/.test(text)),
      `Chromium reports the CORS block: ${JSON.stringify(consoleErrors)}`,
    );
    assert.equal(authEvents().length, before, 'the preflight failed: no login was attempted');
  });
});
