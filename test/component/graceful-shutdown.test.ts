import { randomUUID } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../../harness/support/service-process.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/** SIGTERM, as Kubernetes sends it, while a worker is in the middle of an upload. */
describe('graceful shutdown', () => {
  let env: PipelineEnv;
  let api: ServiceProcess;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    env = await startPipelineEnv('shutdown', { uploadBytesPerSecond: 1024 * 1024 });
    api = await startService(env.serviceEnv({ ROLE: 'api' }));
  });
  // Each test starts from no worker: one left running by another test would take the next test's job.
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    await api?.stop();
    await env?.close();
  });

  const startWorker = async (graceMs: number) => {
    const worker = await startService(env.serviceEnv({ ROLE: 'worker', WORKER_SHUTDOWN_GRACE_MS: String(graceMs) }));
    workers.push(worker);
    return worker;
  };

  async function ingestAndWaitForUpload(bytes: number) {
    const callId = `pbx-${randomUUID()}`;
    const audio = makeWav(bytes);
    await env.s3.put('recordings', `${callId}.wav`, audio);
    const uploading = new Promise<void>((resolve) => {
      const onProgress = (p: { callId: string; bytesReceived: number }) => {
        if (p.bytesReceived < 256 * 1024 || env.gong.ledger.call(p.callId)?.clientUniqueId !== callId) return;
        env.gong.events.off('upload-progress', onProgress);
        resolve();
      };
      env.gong.events.on('upload-progress', onProgress);
    });
    expect((await sendGenericWebhook(api.url, recordingReadyEvent(callId, `${callId}.wav`))).statusCode).toBe(202);
    await uploading;
    return { callId, audio, job: (await env.queue.queue.getJob(jobIdForCall(callId)))! };
  }

  it('When SIGTERM arrives mid-upload and the grace period suffices, then the upload finishes before the process exits 0', async () => {
    const worker = await startWorker(30_000);
    const { callId, audio, job } = await ingestAndWaitForUpload(2 * 1024 * 1024);
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(await job.getState()).toBe('completed');
    expect(env.gong.ledger.byClientUniqueId(callId)?.media?.sha256).toBe(sha256(audio));
  });

  it('When the grace period runs out mid-upload, then the job goes back to the queue with its checkpoint, no attempt counted, and another worker finishes it without a second call', async () => {
    const worker = await startWorker(500);
    const { callId, audio, job } = await ingestAndWaitForUpload(4 * 1024 * 1024);
    expect(await worker.stop('SIGTERM')).toBe(0);
    await worker.waitForLog((l) => l.msg === 'job handed back to the queue at shutdown');
    const handedBack = (await env.queue.queue.getJob(job.id!))!;
    expect(await handedBack.getState()).toBe('waiting');
    expect(handedBack.data.gongCallId).toBe(env.gong.ledger.byClientUniqueId(callId)?.callId);
    expect(handedBack.attemptsMade).toBe(0);

    await startWorker(30_000);
    await job.waitUntilFinished(env.queue.events, 60_000);
    const calls = env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
  });
});

describe('graceful shutdown of the API', () => {
  let env: PipelineEnv;

  beforeAll(async () => {
    env = await startPipelineEnv('shutdown-api');
  });
  afterAll(async () => {
    await env?.close();
  });

  it('When SIGTERM arrives while a webhook is being received, then that webhook is still answered 202, new requests are not served, and the process exits 0', async () => {
    const { request } = await import('node:http');
    const { signStandardWebhook } = await import('../../src/sources/generic/verify-standard-webhook.js');
    const { TEST_WEBHOOK_SECRET } = await import('../../harness/support/webhook.js');
    const api = await startService(env.serviceEnv({ ROLE: 'api' }));
    const callId = `pbx-${randomUUID()}`;
    const body = JSON.stringify(recordingReadyEvent(callId, `${callId}.wav`));
    const timestamp = Math.floor(Date.now() / 1000);
    const req = request(`${api.url}/webhooks/generic`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'webhook-id': 'msg_shutdown',
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signStandardWebhook(TEST_WEBHOOK_SECRET, 'msg_shutdown', timestamp, body),
      },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    // Half the body now, the rest after SIGTERM: the request is in flight when shutdown begins.
    req.write(body.slice(0, 100));
    await new Promise((r) => setTimeout(r, 1_000)); // time for the API to take the connection and the first bytes
    const exited = api.stop('SIGTERM');
    await api.waitForLog((l) => l.msg === 'shutting down');
    await expect(sendGenericWebhook(api.url, recordingReadyEvent(`pbx-${randomUUID()}`, 'a.wav'))).rejects.toThrow(/ECONNREFUSED|ECONNRESET/); // refused, or reset if it raced the listener closing
    req.end(body.slice(100));
    expect(await answered).toBe(202);
    expect(await exited).toBe(0);
    expect(await env.queue.queue.getJob(jobIdForCall(callId))).toBeDefined();
  });
});
