import { randomUUID } from 'node:crypto';
import got from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * Webhook to bytes in Gong, through a service process running API and worker, real Redis, s3rver and the Gong
 * emulator, including the faults Gong and networks really produce.
 */
describe('upload pipeline', () => {
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('pipeline');
    service = await startInProcess(env.serviceEnv({ ROLE: 'all' }));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.close();
  });
  afterEach(() => env.gong.faults.clear());

  /** Puts a fresh recording in S3 and sends its webhook; resolves with what a test needs to check the outcome. */
  async function ingest(bytes = 256 * 1024, overrides: Record<string, unknown> = {}) {
    const callId = `pbx-${randomUUID()}`;
    const key = `2026/11/20/${callId}.wav`;
    const audio = makeWav(bytes);
    await env.s3.put('recordings', key, audio);
    const res = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key, overrides));
    expect(res.statusCode).toBe(202);
    const job = (await env.queue.queue.getJob(jobIdForCall(callId)))!;
    return { callId, key, audio, job };
  }

  const finish = (job: Awaited<ReturnType<typeof ingest>>['job']) => job.waitUntilFinished(env.queue.events, 30_000);
  /** A counter's value in a /metrics text, 0 when the series is not there yet. */
  const counter = (metrics: string, series: string) => Number(metrics.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1] ?? 0);
  const callsFor = (callId: string) => env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);

  it('When a webhook arrives, then Gong gets one call with the mapped fields and media whose sha256 equals the S3 object', async () => {
    const { callId, audio, job, key } = await ingest();
    const result = await finish(job);
    const [call, ...others] = callsFor(callId);
    expect(others).toHaveLength(0);
    expect(result).toMatchObject({ gongCallId: call!.callId, bytes: audio.length, mediaAlreadyHandled: false });
    expect(call!.body).toMatchObject({
      clientUniqueId: callId,
      actualStart: '2026-11-20T10:00:00Z',
      direction: 'Outbound',
      primaryUser: '234599484848423',
      duration: 12.5,
      title: 'Discovery call',
    });
    expect(call!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio), contentType: 'audio/wav', fileName: key.split('/').pop(), via: 'upload' });
    const stored = await env.queue.queue.getJob(job.id!);
    expect(stored?.data.gongCallId).toBe(call!.callId);
  });

  it('When the same webhook is delivered again after the upload, then Gong sees nothing new', async () => {
    const { callId, key, job } = await ingest();
    await finish(job);
    const requestsBefore = env.gong.ledger.requests().length;
    const again = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key));
    expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
    expect(env.gong.ledger.requests().length).toBe(requestsBefore);
    expect(callsFor(callId)).toHaveLength(1);
  });

  it('When Gong answers 503 to the create twice, then the job retries and ends with one call and its media', async () => {
    env.gong.faults.failNext('createCall', { status: 503, times: 2 });
    const { callId, audio, job } = await ingest();
    await finish(job);
    expect(callsFor(callId)).toHaveLength(1);
    expect(callsFor(callId)[0]!.media?.sha256).toBe(sha256(audio));
    expect(env.gong.ledger.count({ op: 'createCall', status: 503 })).toBeGreaterThanOrEqual(2);
  });

  it("When the create's answer is lost, then the retry recovers the call id from Gong's duplicate answer and makes no second call", async () => {
    env.gong.faults.dropResponseNext('createCall');
    const { callId, audio, job } = await ingest();
    await finish(job);
    expect(callsFor(callId)).toHaveLength(1);
    expect(callsFor(callId)[0]!.media?.sha256).toBe(sha256(audio));
    expect(env.gong.ledger.count({ op: 'createCall', status: 400 })).toBeGreaterThanOrEqual(1);
  });

  it('When the upload is cut in the middle, then a retry streams the whole file again from S3', async () => {
    env.gong.faults.cutUploadNext({ afterBytes: 128 * 1024 });
    const { callId, audio, job } = await ingest(1024 * 1024);
    await finish(job);
    expect(callsFor(callId)[0]!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
    expect(env.gong.ledger.count({ op: 'uploadMedia', status: 'cut' })).toBe(1);
  });

  it("When the upload's answer is lost, then the retry's 'already been handled' counts as done", async () => {
    env.gong.faults.dropResponseNext('uploadMedia');
    const { callId, audio, job } = await ingest();
    const result = await finish(job);
    expect(result).toMatchObject({ mediaAlreadyHandled: true });
    expect(callsFor(callId)).toHaveLength(1);
    expect(callsFor(callId)[0]!.media?.sha256).toBe(sha256(audio));
  });

  it('When the upload gets 500, then it is retried until the media is complete', async () => {
    env.gong.faults.failNext('uploadMedia', { status: 500 });
    const { callId, audio, job } = await ingest();
    await finish(job);
    expect(callsFor(callId)[0]!.media?.sha256).toBe(sha256(audio));
  });

  it('When the recording is not audio, then the job fails at once with a clear reason and nothing reaches Gong', async () => {
    const callId = `pbx-${randomUUID()}`;
    await env.s3.put('recordings', `${callId}.wav`, Buffer.from('this is a text file pretending to be a wav'));
    await sendGenericWebhook(service.url, recordingReadyEvent(callId, `${callId}.wav`));
    const job = (await env.queue.queue.getJob(jobIdForCall(callId)))!;
    await expect(finish(job)).rejects.toThrow(/\[unsupported_format\] Recording s3:\/\/recordings\/.* is not WAV, MP3, MP4, MKV or FLAC/);
    const failed = await env.queue.queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
    expect(callsFor(callId)).toHaveLength(0);
  });

  it('When the recording does not exist, then the job fails permanently naming it', async () => {
    const callId = `pbx-${randomUUID()}`;
    await sendGenericWebhook(service.url, recordingReadyEvent(callId, `missing/${callId}.wav`));
    const job = (await env.queue.queue.getJob(jobIdForCall(callId)))!;
    await expect(finish(job)).rejects.toThrow(/\[recording_missing\] Recording s3:\/\/recordings\/missing\/.* does not exist/);
  });

  it('When Gong says telephony import is disabled for the user (409), then the job fails at once telling what an admin must do', async () => {
    env.gong.configure({ importDisabledUsers: ['999'] });
    try {
      const { job } = await ingest(64 * 1024, {
        primaryUser: '999',
        parties: [{ name: 'Ann', userId: '999' }],
      });
      await expect(finish(job)).rejects.toThrow(/\[gong_import_disabled\].*admin must enable/);
    } finally {
      env.gong.configure({ importDisabledUsers: [] });
    }
  });

  it('When jobs finish, then /metrics shows jobs, Gong requests by status, durations and bytes', async () => {
    // Its own jobs, so that the counts do not depend on which tests ran before: one that retries a 503 and
    // completes, one that fails for good.
    const failedBefore = counter(await got(`${service.url}/metrics`).text(), 'gong_ingest_jobs_finished_total{outcome="failed",failure_class="unsupported_format"}');
    env.gong.faults.failNext('createCall', { status: 503 });
    await finish((await ingest()).job);
    const callId = `pbx-${randomUUID()}`;
    await env.s3.put('recordings', `${callId}.wav`, Buffer.from('not audio at all'));
    await sendGenericWebhook(service.url, recordingReadyEvent(callId, `${callId}.wav`));
    await expect(finish((await env.queue.queue.getJob(jobIdForCall(callId)))!)).rejects.toThrow(/unsupported_format/);
    // The queue's event can reach this process before the worker process has run its own 'failed' handler (which
    // counts the metric): read /metrics until the count is there, for a bounded time.
    let metrics = '';
    for (let i = 0; i < 50; i++) {
      metrics = await got(`${service.url}/metrics`).text();
      if (counter(metrics, 'gong_ingest_jobs_finished_total{outcome="failed",failure_class="unsupported_format"}') > failedBefore) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metrics).toMatch(/gong_ingest_jobs_finished_total\{outcome="completed",failure_class="none"\} [1-9]/);
    expect(counter(metrics, 'gong_ingest_jobs_finished_total{outcome="failed",failure_class="unsupported_format"}')).toBe(failedBefore + 1);
    expect(metrics).toMatch(/gong_ingest_gong_requests_total\{operation="createCall",status="200"\} [1-9]/);
    expect(metrics).toMatch(/gong_ingest_gong_requests_total\{operation="uploadMedia",status="201"\} [1-9]/);
    expect(metrics).toMatch(/gong_ingest_gong_request_duration_seconds_bucket\{le="1800",operation="uploadMedia"\} [1-9]/);
    expect(metrics).toMatch(/gong_ingest_upload_bytes_total [1-9]/);
    expect(metrics).toMatch(/gong_ingest_job_retries_total\{failure_class="gong_unavailable"\} [1-9]/);
  });

  it('When the worker works, then its logs carry job, call and Gong ids and never the Gong credentials', async () => {
    const { callId, job } = await ingest();
    await finish(job);
    const line = await service.waitForLog((l) => l.msg === 'media uploaded' && l.callId === callId);
    expect(line).toMatchObject({ jobId: expect.any(String), callId: expect.any(String), gongCallId: expect.any(String) });
    const basic = Buffer.from('emulator-access-key:emulator-access-key-secret').toString('base64');
    expect(service.output()).not.toContain(basic);
    expect(service.output()).not.toContain('emulator-access-key-secret');
  });
});

