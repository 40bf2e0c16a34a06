/**
 * Talks to Latchkey with `openid-client` 6 (ESM-only, on oauth4webapi), unmodified: discovery
 * over HTTPS (no `allowInsecureRequests`), the password grants as generic grants, a refresh and
 * `/userinfo`. ID token signatures are checked against the discovered `jwks_uri`
 * (`enableNonRepudiationChecks`). Run with `NODE_EXTRA_CA_CERTS=<test CA>`:
 *
 *   node --import tsx test/sdk/clients/openid-client.ts
 *
 * Env: SDK_ISSUER, SDK_CLIENT_ID, SDK_CLIENT_SECRET, SDK_USERNAME, SDK_PASSWORD, SDK_REALM,
 * SDK_AUDIENCE. Prints one JSON line (see ./steps.ts).
 */
import {
  type Configuration,
  discovery,
  enableNonRepudiationChecks,
  fetchUserInfo,
  genericGrantRequest,
  refreshTokenGrant,
  type TokenEndpointResponse,
  type TokenEndpointResponseHelpers,
} from 'openid-client';
import { claims, env, runSteps, step } from './steps.js';

const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';

function tokens(res: TokenEndpointResponse & TokenEndpointResponseHelpers) {
  return {
    token_type: res.token_type,
    expires_in: res.expiresIn(),
    scope: res.scope,
    has_refresh_token: typeof res.refresh_token === 'string',
    access_token: claims(res.access_token) ?? { opaque: true },
    // validated by openid-client (claims, and the signature through the JWKS)
    id_token: res.claims(),
  };
}

await runSteps(async () => {
  const user = { username: env('SDK_USERNAME'), password: env('SDK_PASSWORD') };
  const audience = env('SDK_AUDIENCE');
  const scope = 'openid profile email offline_access read:messages';
  let config: Configuration | undefined;

  await step('discovery', 'ok', async () => {
    config = await discovery(
      new URL(env('SDK_ISSUER')),
      env('SDK_CLIENT_ID'),
      env('SDK_CLIENT_SECRET'),
      undefined,
      { execute: [enableNonRepudiationChecks], timeout: 10 },
    );
    const metadata = config.serverMetadata();
    return { ...metadata };
  });
  if (config === undefined) return;
  const cfg = config;

  let refreshToken: string | undefined;
  let accessToken: string | undefined;
  await step('password', 'ok', async () => {
    const res = await genericGrantRequest(cfg, 'password', { ...user, scope, audience });
    refreshToken = res.refresh_token;
    accessToken = res.access_token;
    return tokens(res);
  });

  await step('realm', 'ok', async () => {
    const realm = env('SDK_REALM');
    return tokens(
      await genericGrantRequest(cfg, PASSWORD_REALM, { ...user, realm, scope: 'openid' }),
    );
  });

  await step('refresh', 'ok', async () => {
    if (refreshToken === undefined) throw new Error('no refresh token from the password step');
    return tokens(await refreshTokenGrant(cfg, refreshToken));
  });

  await step('userinfo', 'ok', async () => {
    if (accessToken === undefined) throw new Error('no access token from the password step');
    const sub = claims(accessToken)?.sub;
    if (typeof sub !== 'string') throw new Error('the access token has no sub');
    return { ...(await fetchUserInfo(cfg, accessToken, sub)) };
  });

  await step('wrongPassword', 'error', async () => {
    const wrong = { ...user, password: `${user.password}-wrong` };
    return tokens(await genericGrantRequest(cfg, 'password', { ...wrong, scope: 'openid' }));
  });
});
