import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../logging/logger.js';
import { resolveTenants, TenantsFileError } from './resolve-tenants.js';
import type { TenantSet, TenantSettings } from './tenant-settings.js';

/** The tenants a process serves now; follows TENANTS_FILE's edits. */
export interface TenantDirectory {
  get(id: string): TenantSettings | undefined;
  list(): readonly TenantSettings[];
  /** Told after each successful reload (routes and workers rebuild what they keep per tenant). */
  onChange(listener: () => void): void;
  close(): void;
}

export interface TenantsFileOptions {
  set: TenantSet;
  logger: Logger;
  /** Counted per reload: 'loaded' or 'invalid'. */
  onReload?: (outcome: 'loaded' | 'invalid') => void;
  /** Lookups re-check the file's modification at most this often. @defaultValue 1000 */
  recheckMs?: number;
}

/**
 * TENANTS_FILE kept current, the way USER_MAP_FILE is: a watch on its folder (ConfigMaps replace the file through a
 * symlink swap) and a modification-time check on lookup, since watches can miss events. An edit that does not
 * parse or check out is logged with every problem (never a secret) and counted, and the last good tenants stay.
 * Start-up has already refused an invalid file (config/tenants-problems.ts), so `set.tenants` is the first good one.
 */
export function createTenantsFile(options: TenantsFileOptions): TenantDirectory {
  const recheckMs = options.recheckMs ?? 1000;
  const file = options.set.file;
  let tenants = new Map(options.set.tenants.map((t) => [t.id, t]));
  let signature = file ? fileSignature(file) : '';
  let checkedAt = Date.now();
  const listeners: Array<() => void> = [];

  function reload(): void {
    if (!file) return;
    checkedAt = Date.now();
    const current = fileSignature(file);
    if (current === signature) return;
    signature = current;
    try {
      const next = resolveTenants(readFileSync(file, 'utf8'), { env: options.set.environment, defaultBuckets: options.set.defaultBuckets });
      tenants = new Map(next.map((t) => [t.id, t]));
      options.logger.info({ file, tenants: tenants.size }, 'tenants file loaded');
      options.onReload?.('loaded');
      for (const listener of listeners) listener();
    } catch (error) {
      const problems = error instanceof TenantsFileError ? error.problems : [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`];
      options.logger.error({ file, problems, tenants: tenants.size }, 'TENANTS_FILE is invalid; keeping the previous tenants');
      options.onReload?.('invalid');
    }
  }

  let watcher: FSWatcher | undefined;
  if (file) {
    try {
      watcher = watch(dirname(file), (_event, name) => {
        if (!name || name === basename(file) || name.startsWith('..')) reload();
      });
      watcher.on('error', () => watcher?.close());
      watcher.unref();
    } catch {
      // No watch available: the modification-time check on lookup still picks up changes.
    }
  }
  const fresh = () => {
    if (Date.now() - checkedAt >= recheckMs) reload();
  };

  return {
    get(id) {
      fresh();
      return tenants.get(id);
    },
    list() {
      fresh();
      return [...tenants.values()];
    },
    onChange: (listener) => void listeners.push(listener),
    close: () => watcher?.close(),
  };
}

function fileSignature(file: string): string {
  try {
    const info = statSync(file);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
