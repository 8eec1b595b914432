/**
 * Tenant ids: one Gong company each. They appear in routes, job ids, Redis keys, metric labels and logs, so they are
 * short, lower-case, and never hold a `:` (BullMQ ids), a `{` (Redis hash tags) or a double hyphen (the job id's
 * separator, see tenantJobId).
 */
export const DEFAULT_TENANT = 'default';

/** `[a-z0-9-]{1,40}`, no leading, trailing or double hyphen. */
export const TENANT_ID_PATTERN = /^(?=.{1,40}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isTenantId(value: string): boolean {
  return TENANT_ID_PATTERN.test(value);
}

/** The tenant a job belongs to: jobs made before tenants existed, and the single-company setup, are the default's. */
export function tenantOf(data: { tenant?: string }): string {
  return data.tenant ?? DEFAULT_TENANT;
}

/** Metric labels for a tenant: none for the default one, so a single-company deployment's series stay as they were. */
export function tenantLabel(tenant: string | undefined): { tenant?: string } {
  return !tenant || tenant === DEFAULT_TENANT ? {} : { tenant };
}
