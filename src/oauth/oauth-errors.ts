/**
 * The tenant's Gong OAuth connection cannot give a token now: never connected, or Gong refused the refresh (the app
 * was disconnected, or a refresh token was spent elsewhere). Its jobs wait, without counting attempts, until an
 * operator connects the tenant again (GET /oauth/gong/start).
 */
export class TenantNotConnectedError extends Error {
  override readonly name = 'TenantNotConnectedError';
  readonly code = 'TENANT_NOT_CONNECTED';
  constructor(
    readonly tenant: string,
    readonly state: 'not-connected' | 'needs-reconnecting',
    detail: string,
  ) {
    super(`Tenant ${tenant} ${state === 'not-connected' ? 'is not connected to Gong' : 'needs reconnecting to Gong'} (${detail}); connect it with GET /oauth/gong/start?tenant=${tenant}`);
  }
}

/** Gong's token endpoint refused a grant (invalid_grant, invalid_client): trying again with the same input cannot help. */
export class OAuthGrantRefusedError extends Error {
  override readonly name = 'OAuthGrantRefusedError';
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(`Gong's token endpoint refused the grant: ${status} ${error}`);
  }
}

/** Gong's token endpoint did not answer usefully (network, 5xx, an answer without tokens): try again later. */
export class OAuthEndpointError extends Error {
  override readonly name = 'OAuthEndpointError';
}
