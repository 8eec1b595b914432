import { startGongEmulator, type GongEmulator, type GongEmulatorOptions } from '../emulators/gong/create-gong-emulator.js';
import { startLocalS3, S3RVER_CREDENTIALS, type LocalS3 } from './local-s3.js';
import { openTestQueue, TEST_REDIS_URL, uniquePrefix, type TestQueue } from './test-queue.js';
import { TEST_WEBHOOK_SECRET } from './webhook.js';

/** The real parts a pipeline test needs around the service: Redis (shared, own prefix), s3rver, the Gong emulator. */
export interface PipelineEnv {
  prefix: string;
  s3: LocalS3;
  gong: GongEmulator;
  queue: TestQueue;
  /** Environment for a service process wired to these parts. */
  serviceEnv(overrides?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export interface ServiceWiring {
  redisUrl: string;
  prefix: string;
  gongUrl: string;
  s3Endpoint: string;
}

/** The environment of a service process wired to a local Redis, s3rver and the Gong emulator (tests, demo, benches). */
export function localServiceEnv(wiring: ServiceWiring, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: wiring.redisUrl,
    QUEUE_PREFIX: wiring.prefix,
    GONG_BASE_URL: wiring.gongUrl,
    GONG_ACCESS_KEY: 'emulator-access-key',
    GONG_ACCESS_KEY_SECRET: 'emulator-access-key-secret',
    S3_ENDPOINT: wiring.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ALLOWED_BUCKETS: 'recordings',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ...overrides,
  };
}

export async function startPipelineEnv(label: string, gongOptions: GongEmulatorOptions = {}): Promise<PipelineEnv> {
  const prefix = uniquePrefix(label);
  const [s3, gong, queue] = await Promise.all([startLocalS3(['recordings', 'other-bucket']), startGongEmulator(gongOptions), openTestQueue(prefix)]);
  return {
    prefix,
    s3,
    gong,
    queue,
    serviceEnv: (overrides = {}) =>
      localServiceEnv(
        { redisUrl: TEST_REDIS_URL, prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint },
        // A short shutdown grace: a test that fails with a job in flight must not leave a worker waiting 2 minutes.
        { JOB_BACKOFF_MS: '200', WORKER_LOCK_DURATION_MS: '4000', WORKER_SHUTDOWN_GRACE_MS: '10000', ...overrides },
      ),
    async close() {
      await Promise.all([s3.close(), gong.close(), queue.close()]);
    },
  };
}
