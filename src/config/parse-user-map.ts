import { normalizeIdentity } from '../calls/normalize-identity.js';

/**
 * How the service names a Gong user in settings: a numeric user id, or an email resolved through /v2/users.
 * Shared by USER_MAP_FILE's entries and GONG_DEFAULT_PRIMARY_USER.
 */
export function isGongUserRef(value: string): boolean {
  return /^(\d{1,20}|[^\s@]+@[^\s@]+\.[^\s@]+)$/.test(value);
}

/**
 * Parses the map: a JSON object from vendor identities (E.164 numbers, `client:ann`, Connect user names, emails,
 * Genesys user ids) to a Gong user email or numeric user id. Throws naming every bad entry.
 * Kept apart from the file watcher so that the start-up config check can use it without the worker's imports.
 */
export function parseUserMap(text: string): Map<string, string> {
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('must be a JSON object of identity → Gong email or user id');
  const map = new Map<string, string>();
  const problems: string[] = [];
  for (const [identity, target] of Object.entries(json)) {
    if (typeof target !== 'string' || !isGongUserRef(target.trim())) problems.push(`"${identity}" must map to a Gong user email or numeric id`);
    else map.set(normalizeIdentity(identity), target.trim());
  }
  if (problems.length) throw new Error(problems.join('; '));
  return map;
}
