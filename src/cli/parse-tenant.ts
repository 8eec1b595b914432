import { InvalidArgumentError } from 'commander';
import { tenantSchema } from '../admin/admin-schemas.js';

/** `--tenant <id>`: a tenant id by the admin API's own rule (a TENANTS_FILE id, or `default`). */
export function parseTenant(value: string): string {
  const parsed = tenantSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'is not a tenant id');
  return parsed.data;
}
