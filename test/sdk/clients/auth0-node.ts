/**
 * Logs in to Latchkey with Auth0's Node SDK (`auth0`, its `AuthenticationClient` and
 * `UserInfoClient`), unmodified. The SDK only speaks `https://<domain>` and validates ID tokens
 * against `https://<domain>/` and `https://<domain>/.well-known/jwks.json`, so run this with
 * `NODE_EXTRA_CA_CERTS=<test CA>`:
 *
 *   node --import tsx test/sdk/clients/auth0-node.ts
 *
 * Env: SDK_DOMAIN (`localhost:<port>`, the issuer's host), SDK_ALT_DOMAIN (the same server under a
 * name that is not the issuer's), SDK_CLIENT_ID, SDK_CLIENT_SECRET, SDK_USERNAME, SDK_PASSWORD,
 * SDK_REALM, SDK_AUDIENCE. Prints one JSON line (see ./steps.ts).
 */
import { AuthApiError, AuthenticationClient, type TokenSet, UserInfoClient } from 'auth0';
import { claims, env, runSteps, step } from './steps.js';

function tokens(data: TokenSet, status: number): Record<string, unknown> {
  return {
    status,
    token_type: data.token_type,
    expires_in: data.expires_in,
    scope: (data as TokenSet & { scope?: string }).scope,
    has_refresh_token: typeof data.refresh_token === 'string',
    access_token: claims(data.access_token) ?? { opaque: true },
    // present only when the SDK's IDTokenValidator accepted it (otherwise the call throws)
    id_token: claims(data.id_token),
  };
}

await runSteps(async () => {
  const domain = env('SDK_DOMAIN');
  const user = { username: env('SDK_USERNAME'), password: env('SDK_PASSWORD') };
  const options = { clientId: env('SDK_CLIENT_ID'), clientSecret: env('SDK_CLIENT_SECRET') };
  const auth0 = new AuthenticationClient({ domain, ...options, timeoutDuration: 10_000 });

  await step('password', 'ok', async () => {
    const res = await auth0.oauth.passwordGrant({ ...user, scope: 'openid profile email' });
    return tokens(res.data, res.status);
  });

  await step('realm', 'ok', async () => {
    const res = await auth0.oauth.passwordGrant({
      ...user,
      realm: env('SDK_REALM'),
      scope: 'openid',
    });
    return tokens(res.data, res.status);
  });

  let refreshToken: string | undefined;
  let accessToken: string | undefined;
  await step('audience', 'ok', async () => {
    const res = await auth0.oauth.passwordGrant({
      ...user,
      audience: env('SDK_AUDIENCE'),
      scope: 'openid profile email offline_access read:messages',
    });
    refreshToken = res.data.refresh_token;
    accessToken = res.data.access_token;
    return tokens(res.data, res.status);
  });

  await step('refresh', 'ok', async () => {
    if (refreshToken === undefined) throw new Error('no refresh token from the audience step');
    const res = await auth0.oauth.refreshTokenGrant({ refresh_token: refreshToken });
    return tokens(res.data, res.status);
  });

  await step('userinfo', 'ok', async () => {
    if (accessToken === undefined) throw new Error('no access token from the audience step');
    const res = await new UserInfoClient({ domain }).getUserInfo(accessToken);
    return { status: res.status, ...res.data };
  });

  await step('wrongPassword', 'error', async () => {
    try {
      await auth0.oauth.passwordGrant({ ...user, password: `${user.password}-wrong` });
    } catch (err) {
      if (err instanceof AuthApiError) throw err;
      throw new Error(`not an AuthApiError: ${String(err)}`, { cause: err });
    }
    return {};
  });

  // The same server reached under another name: the SDK must reject the ID token's issuer.
  await step('otherIssuer', 'error', async () => {
    const other = new AuthenticationClient({ domain: env('SDK_ALT_DOMAIN'), ...options });
    const res = await other.oauth.passwordGrant({ ...user, scope: 'openid' });
    return tokens(res.data, res.status);
  });
});
