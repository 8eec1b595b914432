import { readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { IdentityMap } from '../../workers/steps/resolve-primary-user.js';
import { normalizeIdentity } from './normalize-identity.js';

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

const GONG_TARGET = /^(\d{1,20}|[^\s@]+@[^\s@]+\.[^\s@]+)$/;

/**
 * Parses the map: a JSON object from vendor identities (E.164 numbers, `client:ann`, Connect user names, emails,
 * Genesys user ids) to a Gong user email or numeric user id. Throws naming every bad entry.
 */
export function parseUserMap(text: string): Map<string, string> {
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('must be a JSON object of identity → Gong email or user id');
  const map = new Map<string, string>();
  const problems: string[] = [];
  for (const [identity, target] of Object.entries(json)) {
    if (typeof target !== 'string' || !GONG_TARGET.test(target.trim())) problems.push(`"${identity}" must map to a Gong user email or numeric id`);
    else map.set(normalizeIdentity(identity), target.trim());
  }
  if (problems.length) throw new Error(problems.join('; '));
  return map;
}

/**
 * Loads USER_MAP_FILE and keeps it current: a watch on its folder (editors and Kubernetes ConfigMaps replace the
 * file rather than write into it) and, because watches can miss events on some file systems, a check of the file's
 * modification time on lookup. A file that fails to parse is reported and the previous map kept.
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
      if (signature !== 'missing') options.logger.error({ file: options.path, code: (error as NodeJS.ErrnoException).code }, 'USER_MAP_FILE cannot be read; reps are found only by email and GONG_DEFAULT_PRIMARY_USER');
      signature = 'missing';
      map = new Map();
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
