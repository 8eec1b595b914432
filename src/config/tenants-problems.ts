import { readFileSync } from 'node:fs';
import { resolveTenants, TenantsFileError } from '../tenants/resolve-tenants.js';
import type { TenantSettings } from '../tenants/tenant-settings.js';

/**
 * TENANTS_FILE is read once at start-up with the other settings, so a wrong path, a broken file or a tenant whose
 * secret variable is missing stops the process with every other problem listed. Edits while running are the
 * watcher's business (tenants/tenants-file.ts): it keeps the last good set. Synchronous: this runs once, first.
 */
export function readTenantsFile(env: Record<string, string | undefined>): { tenants: TenantSettings[]; problems: string[] } {
  const file = env.TENANTS_FILE;
  if (!file) return { tenants: [], problems: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { tenants: [], problems: [`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`] };
  }
  try {
    return { tenants: resolveTenants(text, { env, defaultBuckets: (env.S3_ALLOWED_BUCKETS ?? '').split(',').map((b) => b.trim()).filter(Boolean) }), problems: [] };
  } catch (error) {
    if (error instanceof TenantsFileError) return { tenants: [], problems: error.problems };
    throw error;
  }
}
