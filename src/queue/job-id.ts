import { DEFAULT_TENANT } from '../tenants/tenant-id.js';

/**
 * The job id is derived from the call's clientUniqueId, so every redelivery of one call maps to one BullMQ job.
 * BullMQ ids must not contain ':' and must not be all digits; this encoding escapes ':' (and '%', so that the
 * mapping stays one-to-one) and always starts with a letter. It is kept readable for operators in Bull Board.
 *
 * A tenant other than the default one puts `t-<tenant>--` in front (the same call id in two Gong companies is two
 * calls); tenant ids have no double hyphen, so the first `--` ends the tenant. The default tenant's ids are the
 * ones jobs had before tenants existed, so jobs already in Redis, replays and redeliveries still find each other.
 */
export function jobIdForCall(clientUniqueId: string, tenant?: string): string {
  const base = `call-${clientUniqueId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
  return tenant && tenant !== 'default' ? `t-${tenant}--${base}` : base;
}

/** The inverse of {@link jobIdForCall}; undefined when the id was not made by it. */
export function callIdFromJobId(jobId: string): string | undefined {
  const base = jobId.startsWith('t-') && jobId.includes('--') ? jobId.slice(jobId.indexOf('--') + 2) : jobId;
  if (!base.startsWith('call-')) return undefined;
  return base.slice(5).replace(/%3A/g, ':').replace(/%25/g, '%');
}

/** The tenant a job id belongs to: the one named in it, else the default tenant. */
export function tenantOfJobId(jobId: string): string {
  return tenantFromJobId(jobId) ?? DEFAULT_TENANT;
}

/** The tenant named in a job id, or undefined for the default tenant's ids. */
export function tenantFromJobId(jobId: string): string | undefined {
  if (!jobId.startsWith('t-') || !jobId.includes('--')) return undefined;
  return jobId.slice(2, jobId.indexOf('--'));
}
