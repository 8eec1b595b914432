import { readFileSync } from 'node:fs';
import type { Env } from './config-schema.js';

export interface HostPort {
  host: string;
  port: number;
}

/** PEM contents (not paths): read once at start-up, so a missing file is a start-up error, not a dead connection. */
export interface RedisTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** Where Redis is: one URL, a Sentinel group, or Cluster seed nodes. `prefix` is hash-tagged. */
export interface RedisSettings {
  mode: 'standalone' | 'sentinel' | 'cluster';
  url: string;
  sentinels?: HostPort[];
  sentinelName: string;
  clusterNodes?: HostPort[];
  /** TLS to the data nodes (REDIS_TLS=true or a rediss:// URL); undefined: plain TCP. */
  tls?: RedisTls;
  /** TLS to the sentinels themselves (REDIS_SENTINEL_TLS), with the same CA and client certificate. */
  sentinelTls: boolean;
  username?: string;
  password?: string;
  prefix: string;
  /** Replicas that must hold an accepted job before the webhook is answered (REDIS_WAIT_REPLICAS). @defaultValue 0 */
  waitReplicas: number;
  /** @defaultValue 1000 */
  waitTimeoutMs: number;
}

export type RedisEnv = Pick<
  Env,
  | 'REDIS_MODE'
  | 'REDIS_URL'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_TLS'
  | 'REDIS_TLS_CA_FILE'
  | 'REDIS_TLS_CERT_FILE'
  | 'REDIS_TLS_KEY_FILE'
  | 'REDIS_SENTINEL_TLS'
  | 'REDIS_USERNAME'
  | 'REDIS_PASSWORD'
  | 'QUEUE_PREFIX'
  | 'REDIS_WAIT_REPLICAS'
  | 'REDIS_WAIT_TIMEOUT_MS'
>;

/** The Redis part of the settings, from the parsed environment (shared with the CLI). Reads the TLS files. */
export function redisSettings(e: RedisEnv): RedisSettings {
  const tlsOn = e.REDIS_TLS || e.REDIS_URL.startsWith('rediss://');
  return {
    mode: e.REDIS_MODE,
    url: e.REDIS_URL,
    sentinels: e.REDIS_SENTINELS,
    sentinelName: e.REDIS_SENTINEL_NAME,
    clusterNodes: e.REDIS_CLUSTER_NODES,
    tls: tlsOn ? readTls(e) : undefined,
    sentinelTls: e.REDIS_SENTINEL_TLS,
    username: e.REDIS_USERNAME,
    password: e.REDIS_PASSWORD,
    prefix: hashTaggedPrefix(e.QUEUE_PREFIX),
    waitReplicas: e.REDIS_WAIT_REPLICAS,
    waitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS,
  };
}

/**
 * BullMQ on Redis Cluster needs every key of a queue in one hash slot. Wrapping the prefix in braces makes that
 * true for BullMQ's keys and for this service's own (rate limits, caches) without operators having to remember.
 * Redis' rule, exactly: the tag is what stands between the first `{` and the first `}` after it, and only when
 * that is not empty (`{}{x}` is not tagged: Redis hashes the whole key).
 */
export function hashTaggedPrefix(prefix: string): string {
  return hashTagOf(prefix) === undefined ? `{${prefix}}` : prefix;
}

/** The part of a key Redis Cluster hashes when it has a hash tag; undefined when it has none. */
export function hashTagOf(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return undefined;
  return key.slice(open + 1, close);
}

/** Redis settings that depend on each other, and TLS files that cannot be read; also used by the CLI. */
export function redisProblems(env: Record<string, string | undefined>): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (env.REDIS_MODE === 'sentinel' && !env.REDIS_SENTINELS) problems.push({ path: 'REDIS_SENTINELS', message: 'is required with REDIS_MODE=sentinel' });
  if (env.REDIS_MODE === 'cluster' && !env.REDIS_CLUSTER_NODES) problems.push({ path: 'REDIS_CLUSTER_NODES', message: 'is required with REDIS_MODE=cluster' });
  if ((env.REDIS_TLS_CERT_FILE === undefined) !== (env.REDIS_TLS_KEY_FILE === undefined)) {
    problems.push({ path: 'REDIS_TLS_CERT_FILE', message: 'REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together (the client certificate and its key)' });
  }
  const tlsOn = ['true', '1', 'yes'].includes(env.REDIS_TLS ?? '') || (env.REDIS_URL ?? '').startsWith('rediss://');
  for (const name of TLS_FILES) {
    const file = env[name];
    if (file === undefined) continue;
    if (!tlsOn) {
      problems.push({ path: name, message: 'is set but TLS is off: set REDIS_TLS=true (or use a rediss:// URL)' });
      continue;
    }
    const problem = pemProblem(file);
    if (problem) problems.push({ path: name, message: problem });
  }
  if (env.REDIS_SENTINEL_TLS !== undefined && ['true', '1', 'yes'].includes(env.REDIS_SENTINEL_TLS) && env.REDIS_MODE !== 'sentinel') {
    problems.push({ path: 'REDIS_SENTINEL_TLS', message: 'only applies with REDIS_MODE=sentinel' });
  }
  return problems;
}

const TLS_FILES = ['REDIS_TLS_CA_FILE', 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE'] as const;

/** Says why a PEM file is unusable, never what it holds (a key file is a secret). */
function pemProblem(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
  return /-----BEGIN [A-Z0-9 ]+-----/.test(text) ? undefined : 'is not a PEM file (no -----BEGIN …----- line)';
}

function readTls(e: RedisEnv): RedisTls {
  const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  return { ca: read(e.REDIS_TLS_CA_FILE), cert: read(e.REDIS_TLS_CERT_FILE), key: read(e.REDIS_TLS_KEY_FILE) };
}
