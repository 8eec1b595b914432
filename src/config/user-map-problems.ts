import { readFileSync } from 'node:fs';
import { parseUserMap } from './parse-user-map.js';

/**
 * USER_MAP_FILE is read once at start-up, so that a wrong path or a broken file stops the process with the other
 * bad settings instead of leaving it running with an empty map (every mapped rep then fails as unknown). Edits
 * while running are the watcher's business: it keeps the last good map. An api-only process never reads the map.
 * Synchronous on purpose: this runs once, before anything else.
 */
export function userMapProblems(env: Record<string, string | undefined>): Array<{ path: string; message: string }> {
  const file = env.USER_MAP_FILE;
  if (!file || env.ROLE === 'api') return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return [{ path: 'USER_MAP_FILE', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})` }];
  }
  try {
    parseUserMap(text);
    return [];
  } catch (error) {
    return [{ path: 'USER_MAP_FILE', message: `is invalid: ${(error as Error).message}` }];
  }
}
