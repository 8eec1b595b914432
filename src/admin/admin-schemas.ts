import { z } from 'zod';
import { zodFieldProblems, type FieldProblem } from '../validation/field-problems.js';
import { LISTABLE_STATES } from './job-row.js';
import { TENANT_ID_PATTERN } from '../tenants/tenant-id.js';

/** A point in time: ISO-8601 with `Z` or an offset, or a plain date (midnight UTC). */
export const sinceSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'must be an ISO-8601 date-time with Z or an offset (2026-11-20T10:00:00Z), or a date (2026-11-20)',
  })
  .transform((v) => new Date(v));

/** A tenant id as TENANTS_FILE writes it, or `default`. */
export const tenantSchema = z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id (a-z, 0-9, single inner hyphens, at most 40)');

export const reasonSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** GET /admin/jobs query. */
export const listJobsQuery = z.strictObject({
  state: z.enum(LISTABLE_STATES, { error: `must be one of ${LISTABLE_STATES.join(', ')}` }).default('failed'),
  limit: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(50),
  since: sinceSchema.optional(),
  reason: reasonSchema.optional(),
  tenant: tenantSchema.optional(),
});

/** POST /admin/replay body. */
export const replayManyBody = z.strictObject({
  since: sinceSchema.optional(),
  reason: reasonSchema.optional(),
  dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  tenant: tenantSchema.optional(),
});

/** GET /admin/calls/:callId query. */
export const showCallQuery = z.strictObject({ tenant: tenantSchema.optional() });

/** Zod issues as the `fields` list of a 400 answer, each naming its field (`query.limit`, `body.since`). */
export function fieldProblems(error: z.ZodError, where: 'query' | 'body'): FieldProblem[] {
  return zodFieldProblems(error, { prefix: where, whole: `(${where})`, nameUnknownKeys: true });
}
