/**
 * @module http/plugins/transport-security
 *
 * TE-2: behind a trusted reverse proxy that terminates TLS, the proxy's hop to Latchkey is plain
 * HTTP. When the issuer is `https://…` and proxies are declared, a credential-bearing request
 * must have reached the proxy over HTTPS, which the proxy says with `X-Forwarded-Proto: https`
 * (fastify believes it only from a declared proxy). Anything else is refused before its body is
 * looked at. Without declared proxies there is no hop to vouch for, so nothing is checked here.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors/oauth-error.js';
import type { Provider } from '../../provider/provider.js';
import { CREDENTIAL_PATHS } from './no-store.js';

export function registerTransportSecurity(
  app: FastifyInstance,
  provider: Provider,
  behindProxy: boolean,
): void {
  if (!behindProxy) return;
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?')[0] ?? '';
    if (!CREDENTIAL_PATHS.has(path) || request.method === 'OPTIONS') return;
    if (provider.urls.issuer.startsWith('https:') && request.protocol !== 'https') {
      throw new OAuthError('https_required', {
        detail: `protocol ${request.protocol} from ${request.ip}`,
      });
    }
  });
}
