/**
 * @module endpoints/token/early-shed
 *
 * The first step of a token request, before client authentication and every lookup: a grant
 * that verifies a password (`verifiesPassword`), for a source with no room in the hash queue,
 * is answered 503 `temporarily_unavailable` at once. Under a credential-stuffing flood almost
 * every request ends here, so the flood costs the event loop little more than parsing.
 *
 * The source is the one the hash queue will use: the `auth0-forwarded-for` IP when the header
 * holds one (the client is not authenticated yet, so this may be a claim the client is not
 * trusted to make: then the request is shed only if that claimed IP has no room, which harms
 * no one but the claimant), otherwise the caller's address. Requests with an `Origin` header
 * (browsers) skip this step, so that their 503 comes later with the CORS headers a browser
 * needs to read it; grants/shared/verify-password still sheds them before any lookup.
 */
import { hashQueueFull } from '../../accounts/password-hasher.js';
import { FORWARDED_FOR_HEADER } from '../../attack-protection/end-user-ip.js';
import { canonicalIp } from '../../attack-protection/ip-address.js';
import type { TokenRequest } from '../../grants/grant-handler.js';
import type { GrantRegistry } from '../../provider/grant-registry.js';
import type { Provider } from '../../provider/provider.js';
import { optionalParam } from '../../shared/params.js';

function claimedSource(request: TokenRequest): string {
  const forwarded = request.headers[FORWARDED_FOR_HEADER];
  const claimed = typeof forwarded === 'string' ? canonicalIp(forwarded.trim()) : null;
  return claimed ?? canonicalIp(request.ip) ?? request.ip;
}

/** Throws the 503 of a full hash queue when `request` would only be shed later. */
export function shedEarly(
  provider: Provider,
  registry: GrantRegistry,
  request: TokenRequest,
): void {
  const pool = provider.hasher.scheduler;
  if (!pool || request.headers.origin !== undefined) return;
  const grantType = optionalParam(request.params, 'grant_type');
  if (grantType === undefined || !registry.get(grantType)?.verifiesPassword) return;
  if (!pool.hasRoom(claimedSource(request))) throw hashQueueFull();
}
