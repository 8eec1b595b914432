import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CALL_JOB_NAME, type CallJobData } from '../../src/queue/call-job.js';
import { callJobOptions } from '../../src/queue/enqueue-call.js';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/jobs');
const retention = { attempts: 8, backoffMs: 200, keepCompletedSeconds: 3_600, keepFailedSeconds: 3_600 };

/** Jobs put into Redis as they were written before the job schema existed, taken by a worker of today. */
describe('job contract', () => {
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('job-contract');
    service = await startInProcess(env.serviceEnv({ ROLE: 'worker' }));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.close();
  });

  const add = (data: CallJobData) => env.queue.queue.add(CALL_JOB_NAME, data, callJobOptions(jobIdForCall(data.clientUniqueId), retention));

  it('when a job written by the code before the schema is in Redis, then the worker runs it into one Gong call with its media', async () => {
    const data = JSON.parse(readFileSync(join(fixtures, 'generic-v1.json'), 'utf8')) as CallJobData;
    const audio = makeWav(64 * 1024);
    await env.s3.put('recordings', (data.recording as { key: string }).key, audio);
    const job = await add(data);
    const result = await job.waitUntilFinished(env.queue.events, 30_000);
    const calls = env.gong.ledger.calls().filter((c) => c.clientUniqueId === data.clientUniqueId);
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ gongCallId: calls[0]!.callId, bytes: audio.length });
    expect(calls[0]!.media?.sha256).toBe(sha256(audio));
  });

  it('when a job of an unknown schema version is in Redis, then it fails at once as job_invalid and Gong sees nothing', async () => {
    const data = { ...(JSON.parse(readFileSync(join(fixtures, 'generic-v1.json'), 'utf8')) as CallJobData), clientUniqueId: 'pbx-fixture-v2' };
    const requestsBefore = env.gong.ledger.requests().length;
    const job = await add({ ...data, schemaVersion: 2 } as unknown as CallJobData);
    await expect(job.waitUntilFinished(env.queue.events, 30_000)).rejects.toThrow(/^\[job_invalid\] The job has schemaVersion 2/);
    const failed = (await env.queue.queue.getJob(job.id!))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.data.lastFailure).toMatchObject({ failureClass: 'job_invalid' });
    expect(env.gong.ledger.requests().length).toBe(requestsBefore);
  });
});
