import { Queue } from 'bullmq';
import { once } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { CALL_QUEUE_NAME } from '../../../src/queue/call-job.js';
import { startGongEmulator, type CallRecord, type GongEmulator } from '../../emulators/gong/create-gong-emulator.js';
import { auditLedger, type FaultFigures } from '../../support/fault-audit.js';
import { startLocalS3, type LocalS3 } from '../../support/local-s3.js';
import { createPhoneSystem, type PhoneSystem, type PhoneSystemOptions } from '../../support/phone-system.js';
import { localServiceEnv } from '../../support/pipeline-env.js';
import { waitUntil } from '../../support/redis/wait-until.js';
import { startService, type ServiceProcess } from '../../support/service-process.js';
import { uniquePrefix } from '../../support/test-queue.js';

/** Where the service's Redis is, as settings, and how the rig itself reads the queue there. */
export interface RedisTopology {
  /** REDIS_* settings for the service (REDIS_MODE, REDIS_URL or REDIS_SENTINELS or REDIS_CLUSTER_NODES …). */
  env: Record<string, string>;
  /** A client the rig uses to read job counts (it must follow failovers itself). */
  connect(): Redis | Cluster;
}

/**
 * The parts around the service in a fault scenario: s3rver and the Gong emulator stay up whatever happens to
 * Redis; the service runs in its own processes (API and workers apart, so each can be killed alone); a phone
 * system drives intake. `settle` waits for the backlog to drain; `figures` audits Gong's ledger.
 */
export interface FaultRig {
  readonly gong: GongEmulator;
  readonly s3: LocalS3;
  readonly prefix: string;
  readonly phone: PhoneSystem;
  readonly api: ServiceProcess | undefined;
  readonly workers: ServiceProcess[];
  startApi(overrides?: Record<string, string>): Promise<ServiceProcess>;
  startWorker(overrides?: Record<string, string>): Promise<ServiceProcess>;
  /** ms epoch of each call's media reaching Gong, in order. */
  readonly mediaStoredAt: number[];
  /** ms epoch of each first 202, in order. */
  acceptedAt(): number[];
  /** Resolves when Gong holds media for `n` calls (counting from the start). */
  mediaStored(n: number): Promise<void>;
  /** Waits until every accepted call has its media in Gong and no job is waiting, active or delayed. */
  settle(timeoutMs?: number): Promise<void>;
  figures(scenario: string, injected: string, recoverMs: number | null, extra?: Record<string, number | string>): FaultFigures;
  close(): Promise<void>;
}

export interface FaultRigOptions {
  topology: RedisTopology;
  /** Settings for every service process of the rig. @defaultValue {} */
  serviceEnv?: Record<string, string>;
  phone?: PhoneSystemOptions;
  label: string;
}

export async function startFaultRig(options: FaultRigOptions): Promise<FaultRig> {
  const prefix = uniquePrefix(options.label);
  const [s3, gong] = await Promise.all([startLocalS3(['recordings']), startGongEmulator()]);
  const mediaStoredAt: number[] = [];
  gong.events.on('media-stored', (_call: CallRecord) => mediaStoredAt.push(Date.now()));
  gong.events.setMaxListeners(0);
  const processes: ServiceProcess[] = [];
  const workers: ServiceProcess[] = [];
  let api: ServiceProcess | undefined;
  const env = (overrides: Record<string, string> = {}) =>
    localServiceEnv(
      { redisUrl: 'redis://127.0.0.1:1', prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint },
      // Short backoff and locks: a killed worker's job is taken up again in seconds, not a minute.
      { LOG_LEVEL: 'info', JOB_BACKOFF_MS: '200', WORKER_LOCK_DURATION_MS: '4000', WORKER_SHUTDOWN_GRACE_MS: '10000', ...options.topology.env, ...options.serviceEnv, ...overrides },
    );
  const phone = createPhoneSystem(() => api!.url, s3, { label: options.label, ...options.phone });
  const observer = options.topology.connect();
  observer.on('error', () => {});
  const queue = new Queue(CALL_QUEUE_NAME, { connection: observer, prefix: hashTag(prefix) });
  queue.on('error', () => {});

  const rig: FaultRig = {
    gong,
    s3,
    prefix,
    phone,
    get api() {
      return api;
    },
    workers,
    async startApi(overrides) {
      api = await startService(env({ ROLE: 'api', ...overrides }));
      processes.push(api);
      return api;
    },
    async startWorker(overrides) {
      const worker = await startService(env({ ROLE: 'worker', ...overrides }));
      processes.push(worker);
      workers.push(worker);
      return worker;
    },
    mediaStoredAt,
    acceptedAt: () => [...phone.accepted.values()].map((c) => c.acceptedAt),
    async mediaStored(n) {
      while (mediaStoredAt.length < n) await once(gong.events, 'media-stored');
    },
    async settle(timeoutMs = 120_000) {
      await waitUntil(
        'every accepted call to have its media in Gong and the queue to be idle',
        async () => {
          for (const call of phone.accepted.values()) if (!gong.ledger.byClientUniqueId(call.callId)?.media) return false;
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return Object.values(counts).every((n) => n === 0);
        },
        timeoutMs,
        250,
      ).catch(() => undefined); // the audit reports what is missing; a timeout is not a crash of the scenario
    },
    figures: (scenario, injected, recoverMs, extra) => auditLedger({ scenario, injected, ledger: gong.ledger, accepted: phone.accepted, deliveries: phone.counts, recoverMs, extra }),
    async close() {
      await Promise.allSettled(processes.map((p) => p.stop('SIGKILL')));
      await queue.close().catch(() => undefined);
      observer.disconnect();
      await Promise.all([s3.close(), gong.close()]);
    },
  };
  return rig;
}

/** The queue prefix as the service tags it (the rig's prefixes never carry braces). */
function hashTag(prefix: string): string {
  return `{${prefix}}`;
}
