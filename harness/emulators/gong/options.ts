/** A Gong user as GET /v2/users lists it. */
export interface EmulatedUser {
  id: string;
  emailAddress: string;
  firstName?: string;
  lastName?: string;
  /** @defaultValue true */
  active?: boolean;
}

/** How the emulator behaves. Every option except `port` and `host` can be changed at run time with `configure`. */
export interface GongEmulatorOptions {
  /** @defaultValue 0 (a free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 'emulator-access-key' */
  accessKey?: string;
  /** @defaultValue 'emulator-access-key-secret' */
  accessKeySecret?: string;
  /** Accepted as `Bearer <token>` besides Basic auth. @defaultValue 'emulator-bearer-token' */
  bearerToken?: string;
  /** Requests allowed in any sliding 1000 ms window, all endpoints together (Gong's default is 3). @defaultValue Infinity */
  ratePerSecond?: number;
  /** Requests allowed per day window (Gong's default is 10,000). @defaultValue Infinity */
  dailyLimit?: number;
  /** Length of the daily budget's window; tests shorten it. @defaultValue 86_400_000 */
  dayLengthMs?: number;
  /** Largest media file accepted, uploaded or downloaded. @defaultValue 1_610_612_736 (1.5 GB) */
  maxMediaBytes?: number;
  /** Answer 411 to a media PUT sent without Content-Length (chunked). @defaultValue true */
  requireContentLength?: boolean;
  /** The users GET /v2/users lists. @defaultValue [] */
  users?: EmulatedUser[];
  /** @defaultValue 100 */
  usersPageSize?: number;
  /** primaryUser ids whose calls get the 409 "import is not enabled". @defaultValue [] */
  importDisabledUsers?: string[];
  /** Throttle on reading media bodies, so that a test can act in the middle of an upload. @defaultValue Infinity */
  uploadBytesPerSecond?: number;
  /** The OAuth app's client id (the partner's marketplace app). @defaultValue 'emulator-oauth-client' */
  oauthClientId?: string;
  /** @defaultValue 'emulator-oauth-client-secret' */
  oauthClientSecret?: string;
  /** `expires_in` of the access tokens it issues; tests shorten it to see refreshes. @defaultValue 3600 */
  oauthAccessTokenTtlSeconds?: number;
}

/** The options with every default applied: what the emulator reads, live, on every request. */
export type ResolvedOptions = Required<GongEmulatorOptions>;

/** The defaults, applied here and nowhere else. */
export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  accessKey: 'emulator-access-key',
  accessKeySecret: 'emulator-access-key-secret',
  bearerToken: 'emulator-bearer-token',
  ratePerSecond: Infinity,
  dailyLimit: Infinity,
  dayLengthMs: 86_400_000,
  maxMediaBytes: 1_610_612_736,
  requireContentLength: true,
  users: [],
  usersPageSize: 100,
  importDisabledUsers: [],
  uploadBytesPerSecond: Infinity,
  oauthClientId: 'emulator-oauth-client',
  oauthClientSecret: 'emulator-oauth-client-secret',
  oauthAccessTokenTtlSeconds: 3600,
});

/** Applies the defaults to the options given at start. Throws naming the first invalid option. */
export function resolveOptions(options: GongEmulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = { ...DEFAULT_OPTIONS, users: [], importDisabledUsers: [] };
  applyPatch(resolved, options, true);
  return resolved;
}

/**
 * Applies a run-time patch in place, after checking all of it (a bad patch changes nothing). `port` and `host`
 * cannot change once listening. JSON cannot carry Infinity, so a limit given as null or "Infinity" means none.
 */
export function patchOptions(current: ResolvedOptions, patch: Partial<GongEmulatorOptions>): void {
  for (const key of ['port', 'host'] as const) {
    if (patch[key] !== undefined && patch[key] !== current[key]) throw new Error(`${key} cannot change while the emulator runs`);
  }
  const next = { ...current };
  applyPatch(next, patch, false);
  Object.assign(current, next);
}

const POSITIVE_LIMITS = ['ratePerSecond', 'dailyLimit', 'dayLengthMs', 'maxMediaBytes', 'usersPageSize', 'uploadBytesPerSecond', 'oauthAccessTokenTtlSeconds'] as const;
const STRINGS = ['host', 'accessKey', 'accessKeySecret', 'bearerToken', 'oauthClientId', 'oauthClientSecret'] as const;

function applyPatch(target: ResolvedOptions, patch: Partial<GongEmulatorOptions>, atStart: boolean): void {
  const known = new Set<string>(Object.keys(DEFAULT_OPTIONS));
  for (const key of Object.keys(patch)) {
    if (!known.has(key)) throw new Error(`Unknown Gong emulator option ${key}`);
  }
  if (atStart && patch.port !== undefined) {
    if (!Number.isInteger(patch.port) || patch.port < 0 || patch.port > 65_535) throw new Error(`port must be an integer 0-65535, got ${String(patch.port)}`);
    target.port = patch.port;
  }
  for (const key of STRINGS) {
    const value: unknown = patch[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new Error(`${key} must be a non-empty string`);
    target[key] = value;
  }
  for (const key of POSITIVE_LIMITS) {
    const value = limitValue(key, patch[key] as unknown);
    if (value !== undefined) target[key] = value;
  }
  if (patch.usersPageSize !== undefined && !Number.isInteger(target.usersPageSize)) throw new Error('usersPageSize must be a whole number');
  if (patch.requireContentLength !== undefined) {
    if (typeof patch.requireContentLength !== 'boolean') throw new Error('requireContentLength must be true or false');
    target.requireContentLength = patch.requireContentLength;
  }
  if (patch.users !== undefined) target.users = checkUsers(patch.users);
  if (patch.importDisabledUsers !== undefined) {
    const ids: unknown = patch.importDisabledUsers;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error('importDisabledUsers must be an array of user id strings');
    target.importDisabledUsers = [...(ids as string[])];
  }
}

function limitValue(key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === 'Infinity') return Infinity;
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) throw new Error(`${key} must be a positive number (or Infinity), got ${String(value)}`);
  return value;
}

function checkUsers(users: unknown): EmulatedUser[] {
  if (!Array.isArray(users)) throw new Error('users must be an array');
  return users.map((user: unknown, index) => {
    const u = user as Partial<EmulatedUser> | null;
    if (typeof u?.id !== 'string' || typeof u.emailAddress !== 'string') throw new Error(`users[${index}] needs string id and emailAddress`);
    return { ...u, id: u.id, emailAddress: u.emailAddress };
  });
}
