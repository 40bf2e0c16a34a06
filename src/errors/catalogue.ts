/**
 * @module errors/catalogue
 *
 * Every error Latchkey puts on the wire, in one place: HTTP status, OAuth `error` code and the
 * exact `error_description`. `docs/errors.md` lists the same rows and `test/errors-doc.test.ts`
 * keeps the two equal. Descriptions may hold `{name}` placeholders, filled by {@link OAuthError}
 * with values that have passed {@link safeEcho}.
 */

/** One catalogue row. */
export interface ErrorSpec {
  readonly status: number;
  readonly error: string;
  readonly description: string;
}

export const ERRORS = {
  // --- request syntax (TE-3, TE-5, TE-15, TE-16) ---
  missing_parameter: {
    status: 400,
    error: 'invalid_request',
    description: 'Missing required parameter: {name}',
  },
  repeated_parameter: {
    status: 400,
    error: 'invalid_request',
    description: 'Parameter {name} must not be repeated',
  },
  invalid_parameter_type: {
    status: 400,
    error: 'invalid_request',
    description: 'Parameter {name} must be a string',
  },
  unsupported_content_type: {
    status: 400,
    error: 'invalid_request',
    description: 'Content-Type must be application/x-www-form-urlencoded or application/json',
  },
  malformed_body: {
    status: 400,
    error: 'invalid_request',
    description: 'The request body could not be parsed',
  },
  body_too_large: {
    status: 400,
    error: 'invalid_request',
    description: 'The request body is too large',
  },
  credentials_in_query: {
    status: 400,
    error: 'invalid_request',
    description: 'Credentials must not be sent in the query string',
  },
  method_not_allowed: {
    status: 405,
    error: 'invalid_request',
    description: 'The token endpoint accepts POST only',
  },
  https_required: {
    status: 400,
    error: 'invalid_request',
    description: 'HTTPS is required',
  },
  multiple_client_auth: {
    status: 400,
    error: 'invalid_request',
    description: 'Only one client authentication method may be used',
  },
  client_id_mismatch: {
    status: 400,
    error: 'invalid_request',
    description: 'client_id does not match the client authentication',
  },
  // --- grant dispatch ---
  unsupported_grant_type: {
    status: 400,
    error: 'unsupported_grant_type',
    description: 'Unsupported grant type: {grant_type}',
  },
  grant_not_allowed: {
    status: 403,
    error: 'unauthorized_client',
    description: "Grant type '{grant_type}' not allowed for the client.",
  },
  // --- client authentication ---
  client_unauthorized: { status: 401, error: 'access_denied', description: 'Unauthorized' },
  // --- audience / resource ---
  unknown_audience: {
    status: 403,
    error: 'access_denied',
    description: 'Service not enabled within domain: {audience}',
  },
  invalid_resource: {
    status: 400,
    error: 'invalid_target',
    description: 'The resource parameter must be one absolute URI without a fragment',
  },
  // --- connections ---
  no_default_connection: {
    status: 500,
    error: 'server_error',
    description: 'Authorization server not configured with default connection.',
  },
  unknown_realm: {
    status: 400,
    error: 'invalid_request',
    description: 'Unknown realm {realm}.',
  },
  connection_disabled: {
    status: 400,
    error: 'invalid_request',
    description: 'the connection was disabled',
  },
  // --- resource owner ---
  wrong_credentials: {
    status: 403,
    error: 'invalid_grant',
    description: 'Wrong email or password.',
  },
  user_blocked: { status: 401, error: 'unauthorized', description: 'user is blocked' },
  // --- attack protection ---
  invalid_forwarded_ip: {
    status: 400,
    error: 'invalid_request',
    description: 'The {header} header must hold one IP address',
  },
  brute_force_blocked: {
    status: 429,
    error: 'too_many_attempts',
    description:
      "Your account has been blocked after multiple consecutive login attempts. We've sent you a notification via your preferred contact method with instructions on how to unblock it.",
  },
  suspicious_ip_throttled: {
    status: 429,
    error: 'too_many_attempts',
    description:
      'We have detected suspicious login behavior and further attempts will be blocked. Please contact the administrator.',
  },
  login_rate_limited: {
    status: 429,
    error: 'too_many_attempts',
    description: 'Too many login attempts. Please try again later.',
  },
  client_auth_throttled: {
    status: 429,
    error: 'too_many_attempts',
    description: 'Too many failed client authentications. Please try again later.',
  },
  invalid_unblock_ticket: {
    status: 400,
    error: 'invalid_request',
    description: 'The unblock link is invalid, expired or already used',
  },
  // --- refresh tokens ---
  invalid_refresh_token: {
    status: 403,
    error: 'invalid_grant',
    description: 'Unknown or invalid refresh token.',
  },
  refresh_user_deleted: {
    status: 403,
    error: 'invalid_grant',
    description: "The refresh_token was generated for a user who doesn't exist anymore.",
  },
  refresh_user_blocked: { status: 403, error: 'invalid_grant', description: 'user is blocked' },
  scope_exceeds_grant: {
    status: 400,
    error: 'invalid_scope',
    description: 'The requested scope exceeds the scope granted by the refresh token',
  },
  // --- client credentials ---
  no_audience: {
    status: 403,
    error: 'access_denied',
    description: 'No audience parameter was provided, and no default audience has been configured',
  },
  no_client_grant: {
    status: 403,
    error: 'access_denied',
    description:
      'Client is not authorized to access "{audience}". You might probably want to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants',
  },
  scopes_not_granted: {
    status: 403,
    error: 'access_denied',
    description: 'Client has not been granted scopes: {scopes}',
  },
  // --- MFA (issue 5; Auth0's texts where known, see docs/errors.md) ---
  mfa_required: {
    status: 403,
    error: 'mfa_required',
    description: 'Multifactor authentication required',
  },
  mfa_token_malformed: { status: 403, error: 'invalid_grant', description: 'Malformed mfa_token' },
  mfa_token_expired: { status: 403, error: 'expired_token', description: 'mfa_token is expired' },
  mfa_token_key_mismatch: {
    status: 403,
    error: 'invalid_grant',
    description: 'mfa_token is bound to another DPoP key',
  },
  invalid_otp: { status: 403, error: 'invalid_grant', description: 'Invalid otp_code.' },
  invalid_binding_code: {
    status: 403,
    error: 'invalid_grant',
    description: 'Invalid binding_code.',
  },
  invalid_oob_code: { status: 403, error: 'invalid_grant', description: 'Invalid oob_code.' },
  oob_code_expired: { status: 403, error: 'expired_token', description: 'oob_code is expired' },
  invalid_recovery_code: {
    status: 403,
    error: 'invalid_grant',
    description: 'Invalid recovery_code.',
  },
  mfa_too_many_attempts: {
    status: 429,
    error: 'too_many_attempts',
    description: 'Too many failed verification attempts. Try again later.',
  },
  mfa_too_many_emails: {
    status: 429,
    error: 'too_many_attempts',
    description: 'Too many codes sent. Try again later.',
  },
  unsupported_challenge_type: {
    status: 400,
    error: 'unsupported_challenge_type',
    description: 'User is not enrolled with any of the requested challenge types.',
  },
  association_required: {
    status: 400,
    error: 'association_required',
    description: 'User must associate an authenticator first.',
  },
  mfa_already_enrolled: {
    status: 403,
    error: 'access_denied',
    description: 'User is already enrolled',
  },
  active_authenticator_removal: {
    status: 403,
    error: 'access_denied',
    description: 'An active authenticator cannot be removed with an mfa_token',
  },
  unsupported_authenticator_type: {
    status: 400,
    error: 'invalid_request',
    description: 'authenticator_types must be otp, or oob with oob_channels email',
  },
  factor_not_enabled: {
    status: 400,
    error: 'invalid_request',
    description: 'The {factor} factor is not enabled',
  },
  invalid_email: {
    status: 400,
    error: 'invalid_request',
    description: 'email must be an email address',
  },
  authenticator_not_found: {
    status: 404,
    error: 'not_found',
    description: 'Authenticator not found',
  },
  // --- DPoP (RFC 9449) at the token endpoint ---
  dpop_nonce_required: {
    status: 400,
    error: 'use_dpop_nonce',
    description: 'Authorization server requires nonce in DPoP proof',
  },
  dpop_multiple_headers: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'Exactly one DPoP header is allowed',
  },
  dpop_malformed: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof is not a well-formed JWT',
  },
  dpop_typ: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof typ must be dpop+jwt',
  },
  dpop_alg: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof alg is not supported',
  },
  dpop_jwk: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof jwk must be a public key',
  },
  dpop_signature: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof signature is invalid',
  },
  dpop_jti: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof jti is missing or invalid',
  },
  dpop_htm: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof htm does not match the request method',
  },
  dpop_htu: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof htu does not match the request URL',
  },
  dpop_iat: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof iat is missing or outside the acceptable window',
  },
  dpop_replayed: {
    status: 400,
    error: 'invalid_dpop_proof',
    description: 'DPoP proof has already been used',
  },
  dpop_proof_required: {
    status: 400,
    error: 'invalid_request',
    description: 'A DPoP proof is required',
  },
  dpop_not_supported_by_api: {
    status: 400,
    error: 'invalid_request',
    description: 'The API does not support sender-constrained tokens',
  },
  // --- DPoP at /userinfo (RFC 9449 §7, §9) ---
  dpop_resource_nonce_required: {
    status: 401,
    error: 'use_dpop_nonce',
    description: 'Resource server requires nonce in DPoP proof',
  },
  dpop_resource_invalid_proof: {
    status: 401,
    error: 'invalid_dpop_proof',
    description: 'The DPoP proof is invalid',
  },
  // --- /userinfo (RFC 6750) ---
  invalid_token: {
    status: 401,
    error: 'invalid_token',
    description: 'The access token is missing, expired or invalid',
  },
  // --- routing ---
  not_found: { status: 404, error: 'not_found', description: 'Not found' },
  malformed_url: {
    status: 400,
    error: 'invalid_request',
    description: 'The request URL could not be parsed',
  },
  url_too_long: {
    status: 414,
    error: 'invalid_request',
    description: 'The request URL is too long',
  },
  // --- HTTP that never became a request (node's parser refused it; the connection closes) ---
  malformed_http: {
    status: 400,
    error: 'invalid_request',
    description: 'The HTTP request could not be parsed',
  },
  headers_too_large: {
    status: 431,
    error: 'invalid_request',
    description: 'The request headers are too large',
  },
  request_timeout: {
    status: 408,
    error: 'invalid_request',
    description: 'The request did not arrive in time',
  },
  // --- anything unexpected ---
  server_error: {
    status: 500,
    error: 'server_error',
    description: 'The server encountered an unexpected error',
  },
  // --- load shedding ---
  temporarily_unavailable: {
    status: 503,
    error: 'temporarily_unavailable',
    description: 'The server is too busy to check passwords right now; retry later',
  },
  storage_unavailable: {
    status: 503,
    error: 'temporarily_unavailable',
    description: 'The server cannot reach its data store right now; retry later',
  },
} as const satisfies Record<string, ErrorSpec>;

/** The stable key of a catalogue row, e.g. `wrong_credentials`. */
export type ErrorKey = keyof typeof ERRORS;
