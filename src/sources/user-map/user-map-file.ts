import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { IdentityMap } from '../../calls/identity-map.js';
import { normalizeIdentity } from '../../calls/normalize-identity.js';
import { parseUserMap } from '../../config/parse-user-map.js';

/** USER_MAP_FILE as the worker uses it; `close` stops watching the file. */
export interface UserMapFile extends IdentityMap {
  /** How many identities the map holds now. */
  size(): number;
  close(): void;
}

export interface UserMapFileOptions {
  path: string;
  logger: Logger;
  /** Lookups re-check the file's modification at most this often. @defaultValue 1000 */
  recheckMs?: number;
}

/**
 * Loads USER_MAP_FILE and keeps it current: a watch on its folder (editors and Kubernetes ConfigMaps replace the
 * file rather than write into it) and, because watches can miss events on some file systems, a check of the file's
 * modification time on lookup. A file that fails to parse is reported and the previous map kept. The config
 * check has already refused a missing or invalid file at start-up; these rules are for edits while running.
 */
export function createUserMapFile(options: UserMapFileOptions): UserMapFile {
  const recheckMs = options.recheckMs ?? 1000;
  let map = new Map<string, string>();
  let signature = '';
  let checkedAt = 0;

  function reload(): void {
    checkedAt = Date.now();
    let current: string;
    try {
      const info = statSync(options.path);
      current = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (error) {
      // Like an invalid edit, a file that disappears while running keeps the last good map: a deploy mistake must
      // not turn every mapped rep into a failed call. (At start-up the config check has refused a missing file.)
      if (signature !== 'missing') options.logger.error({ file: options.path, code: (error as NodeJS.ErrnoException).code, identities: map.size }, 'USER_MAP_FILE cannot be read; keeping the previous map');
      signature = 'missing';
      return;
    }
    if (current === signature) return;
    try {
      map = parseUserMap(readFileSync(options.path, 'utf8'));
      signature = current;
      options.logger.info({ file: options.path, identities: map.size }, 'user map loaded');
    } catch (error) {
      signature = current;
      options.logger.error({ file: options.path, problem: (error as Error).message }, 'USER_MAP_FILE is invalid; keeping the previous map');
    }
  }

  reload();
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(options.path), (_event, name) => {
      if (!name || name === basename(options.path) || name.startsWith('..')) reload();
    });
    watcher.on('error', () => watcher?.close());
    watcher.unref();
  } catch {
    // No watch available: the modification-time check on lookup still picks up changes.
  }

  return {
    lookup(identity) {
      if (Date.now() - checkedAt >= recheckMs) reload();
      return map.get(normalizeIdentity(identity));
    },
    size: () => map.size,
    close: () => watcher?.close(),
  };
}
