import type { RedisClient } from '../redis/redis-connection.js';
import { ImportRunExistsError, ImportRunNotFoundError } from './import-errors.js';
import type { ImportCursor } from './import-row.js';
import type { ImportRunCounts } from '../metrics/metrics.js';
import { DEFAULT_TENANT } from '../tenants/tenant-id.js';

/**
 * Import runs in Redis, under the queue's hash-tagged prefix (so a run's keys and the queue's share a Cluster slot):
 *   `<prefix>:import:runs`               zset of run names by creation time (the list, newest last);
 *   `<prefix>:import:run:<name>`         hash: the record and its counters;
 *   `<prefix>:import:run:<name>:invalid` list of invalid rows (JSON `{line, problems}`), capped;
 *   `<prefix>:import:run:<name>:failed`  zset of the run's jobs that failed for good (job id → manifest line).
 * The counters the CLI writes (read, queued, …) move once per batch, with the cursor, in one MULTI: the cursor never
 * runs ahead of the counts. The workers write inGong and the failed set as jobs end.
 */
export type RunStatus = 'reading' | 'queued' | 'cancelled';

/** An import run's counters (defined beside the metric that exports them). */
export type RunCounts = ImportRunCounts;

export interface ImportRun {
  name: string;
  source: string;
  created: string;
  status: RunStatus;
  cursor: ImportCursor;
  counts: RunCounts;
  /** Queued and not yet in Gong, failed or cancelled. */
  pending: number;
  /** The Gong company the run imports into ('default', or a TENANTS_FILE id). */
  tenant: string;
}

/** Invalid rows kept per run for the failed-rows file and the admin API; beyond that only counted. */
export const MAX_INVALID_KEPT = 10_000;

const COUNTERS = ['read', 'invalid', 'skipped', 'queued', 'duplicate', 'inGong', 'cancelled'] as const;

export interface RunStore {
  create(name: string, source: string, tenant?: string): Promise<ImportRun>;
  get(name: string): Promise<ImportRun>;
  /** Newest first. */
  list(limit?: number): Promise<ImportRun[]>;
  /** After a batch is in the queue: the counts it added and the cursor past it, atomically. */
  recordBatch(name: string, added: Partial<Record<(typeof COUNTERS)[number], number>>, cursor: ImportCursor, invalid: Array<{ line: number; problems: unknown }>): Promise<void>;
  setStatus(name: string, status: RunStatus): Promise<void>;
  invalidRows(name: string, limit?: number): Promise<Array<{ line: number; problems: Array<{ field: string; problem: string }> }>>;
  /** Failed jobs of the run: job id and line, by line. */
  failedJobs(name: string, limit?: number): Promise<Array<{ jobId: string; line: number }>>;
  addCancelled(name: string, n: number): Promise<void>;
  keys(name: string): { run: string; invalid: string; failed: string };
}

export function createRunStore(redis: RedisClient, prefix: string): RunStore {
  const runsKey = `${prefix}:import:runs`;
  const keys = (name: string) => ({ run: `${prefix}:import:run:${name}`, invalid: `${prefix}:import:run:${name}:invalid`, failed: `${prefix}:import:run:${name}:failed` });

  async function get(name: string): Promise<ImportRun> {
    const k = keys(name);
    const [hash, failed] = await Promise.all([redis.hgetall(k.run), redis.zcard(k.failed)]);
    if (!hash.name) throw new ImportRunNotFoundError(name);
    const n = (field: string) => Number(hash[field] ?? 0);
    const counts: RunCounts = { read: n('read'), invalid: n('invalid'), skipped: n('skipped'), queued: n('queued'), duplicate: n('duplicate'), inGong: n('inGong'), failed, cancelled: n('cancelled') };
    return {
      name: hash.name,
      source: hash.source ?? '',
      created: hash.created ?? '',
      status: (hash.status as RunStatus) ?? 'reading',
      cursor: { line: n('cursorLine'), ...(hash.cursorKey ? { key: hash.cursorKey } : {}) },
      counts,
      pending: Math.max(0, counts.queued - counts.inGong - counts.failed - counts.cancelled),
      // Runs made before tenants existed have no field: they are the default tenant's.
      tenant: hash.tenant || DEFAULT_TENANT,
    };
  }

  return {
    keys,
    get,
    async create(name, source, tenant = DEFAULT_TENANT) {
      const created = new Date().toISOString();
      // HSETNX on the name field makes creation atomic: two CLIs starting the same name cannot both own it.
      const fresh = await redis.hsetnx(keys(name).run, 'name', name);
      if (!fresh) throw new ImportRunExistsError(name);
      await redis.multi().hset(keys(name).run, { source, created, status: 'reading', cursorLine: 0, tenant }).zadd(runsKey, Date.parse(created), name).exec();
      return get(name);
    },
    async list(limit = 100) {
      const names = await redis.zrevrange(runsKey, 0, limit - 1);
      const runs = await Promise.all(names.map((name) => get(name).catch(() => undefined)));
      return runs.filter((r): r is ImportRun => r !== undefined);
    },
    async recordBatch(name, added, cursor, invalid) {
      const k = keys(name);
      const tx = redis.multi();
      for (const [field, value] of Object.entries(added)) if (value) tx.hincrby(k.run, field, value);
      tx.hset(k.run, { cursorLine: cursor.line, ...(cursor.key ? { cursorKey: cursor.key } : {}) });
      if (invalid.length) {
        tx.rpush(k.invalid, ...invalid.map((row) => JSON.stringify(row)));
        tx.ltrim(k.invalid, 0, MAX_INVALID_KEPT - 1);
      }
      await tx.exec();
    },
    async setStatus(name, status) {
      await redis.hset(keys(name).run, 'status', status);
    },
    async invalidRows(name, limit = MAX_INVALID_KEPT) {
      return (await redis.lrange(keys(name).invalid, 0, limit - 1)).map((row) => JSON.parse(row) as { line: number; problems: Array<{ field: string; problem: string }> });
    },
    async failedJobs(name, limit = 100_000) {
      const flat = await redis.zrange(keys(name).failed, 0, limit - 1, 'WITHSCORES');
      const rows: Array<{ jobId: string; line: number }> = [];
      for (let i = 0; i < flat.length; i += 2) rows.push({ jobId: flat[i]!, line: Number(flat[i + 1]) });
      return rows;
    },
    async addCancelled(name, n) {
      if (n) await redis.hincrby(keys(name).run, 'cancelled', n);
    },
  };
}
