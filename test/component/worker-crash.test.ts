import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../../harness/support/service-process.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * A worker process killed with SIGKILL (no chance to clean up) at the worst moments. The job's lock expires, a
 * new worker takes it up from its checkpoint, and Gong still ends with one call and the whole recording.
 */
describe('worker killed mid-job', () => {
  let env: PipelineEnv;
  let api: ServiceProcess;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    // Slow uploads down so that "in the middle of the upload" is a moment a test can hit.
    env = await startPipelineEnv('crash', { uploadBytesPerSecond: 1024 * 1024 });
    api = await startService(env.serviceEnv({ ROLE: 'api' }));
  });
  // Each test's worker is stopped after it: the next test's job must go to the worker that test kills.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    await Promise.all([api, ...workers].map((s) => s?.stop()));
    await env?.close();
  });

  const startWorker = async () => {
    const worker = await startService(env.serviceEnv({ ROLE: 'worker', WORKER_LOCK_DURATION_MS: '3000' }));
    workers.push(worker);
    return worker;
  };

  async function ingest(bytes: number) {
    const callId = `pbx-${randomUUID()}`;
    const audio = makeWav(bytes);
    await env.s3.put('recordings', `${callId}.wav`, audio);
    expect((await sendGenericWebhook(api.url, recordingReadyEvent(callId, `${callId}.wav`))).statusCode).toBe(202);
    return { callId, audio, job: (await env.queue.queue.getJob(jobIdForCall(callId)))! };
  }

  it('When the worker dies right after Gong created the call, then a restarted worker finishes without a second call', async () => {
    const first = await startWorker();
    const created = once(env.gong.events, 'call-created');
    const { callId, audio, job } = await ingest(256 * 1024);
    await created;
    first.proc.kill('SIGKILL');
    await first.stop();

    await startWorker();
    await job.waitUntilFinished(env.queue.events, 30_000);
    const calls = env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.media?.sha256).toBe(sha256(audio));
  });

  it('When the worker dies in the middle of the upload, then a restarted worker uploads the whole file to the same call', async () => {
    const createsBefore = env.gong.ledger.count({ op: 'createCall', status: 200 });
    const first = await startWorker();
    const { callId, audio, job } = await ingest(3 * 1024 * 1024);
    await new Promise<void>((resolve) => {
      const onProgress = (p: { bytesReceived: number }) => {
        if (p.bytesReceived < 512 * 1024) return;
        env.gong.events.off('upload-progress', onProgress);
        resolve();
      };
      env.gong.events.on('upload-progress', onProgress);
    });
    first.proc.kill('SIGKILL');
    await first.stop();
    expect(env.gong.ledger.byClientUniqueId(callId)?.media).toBeUndefined();

    await startWorker();
    await job.waitUntilFinished(env.queue.events, 60_000);
    const calls = env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 })).toBe(createsBefore + 1); // no second create
  });
});
