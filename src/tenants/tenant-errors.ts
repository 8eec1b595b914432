/** A job names a tenant this process does not serve (TENANTS_FILE lost it, or it is not set here). */
export class TenantUnknownError extends Error {
  override readonly name = 'TenantUnknownError';
  readonly code = 'TENANT_UNKNOWN';
  constructor(readonly tenant: string) {
    super(`Tenant "${tenant}" is not in TENANTS_FILE; add it back, then replay the call`);
  }
}
