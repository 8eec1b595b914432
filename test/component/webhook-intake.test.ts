import { randomUUID } from 'node:crypto';
import got from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * The webhook front door, through real HTTP against an API-only process: what is accepted lands in Redis once,
 * what is refused leaves nothing behind. No worker runs here, so every accepted job stays visible in the queue.
 */
describe('generic webhook intake', () => {
  let env: PipelineEnv;
  let api: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('intake');
    api = await startInProcess(env.serviceEnv({ ROLE: 'api', S3_ALLOWED_BUCKETS: 'recordings' }));
  });
  afterAll(async () => {
    await api?.stop();
    await env?.close();
  });

  const callId = () => `pbx-${randomUUID()}`;
  const waiting = async () => (await env.queue.counts()).waiting ?? 0;

  it('When a signed webhook arrives, then it answers 202 with the job id derived from the call id and the job is in Redis', async () => {
    const id = callId();
    const res = await sendGenericWebhook(api.url, recordingReadyEvent(id, `${id}.wav`));
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ jobId: jobIdForCall(id), duplicate: false });
    const job = await env.queue.queue.getJob(jobIdForCall(id));
    expect(job?.data).toMatchObject({ source: 'generic', clientUniqueId: id, recording: { kind: 's3', bucket: 'recordings', key: `${id}.wav` } });
  });

  it('When the same call is delivered three times, then there is one job and the later answers say duplicate', async () => {
    const id = callId();
    const before = await waiting();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(JSON.parse((await sendGenericWebhook(api.url, recordingReadyEvent(id, `${id}.wav`))).body));
    expect(answers.map((a) => a.duplicate)).toEqual([false, true, true]);
    expect(new Set(answers.map((a) => a.jobId)).size).toBe(1);
    expect(await waiting()).toBe(before + 1);
  });

  it('When two deliveries of one call race, then exactly one is accepted as new', async () => {
    const id = callId();
    const answers = await Promise.all([1, 2, 3, 4].map(() => sendGenericWebhook(api.url, recordingReadyEvent(id, `${id}.wav`))));
    expect(answers.map((r) => JSON.parse(r.body).duplicate).filter((d) => d === false)).toHaveLength(1);
  });

  describe('refusals leave nothing enqueued', () => {
    let before: number;
    beforeEach(async () => {
      before = await waiting();
    });
    afterEach(async () => {
      expect(await waiting()).toBe(before);
    });

    it('When the signature is missing, then 401', async () => {
      const res = await sendGenericWebhook(api.url, recordingReadyEvent(callId(), 'a.wav'), { signature: null });
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('webhook-signature') });
    });

    it('When the signature was made with another secret, then 401', async () => {
      const other = `whsec_${Buffer.from('some-other-secret-some-other-secret').toString('base64')}`;
      const res = await sendGenericWebhook(api.url, recordingReadyEvent(callId(), 'a.wav'), { secret: other });
      expect(res.statusCode).toBe(401);
    });

    it('When the timestamp is more than five minutes old, then 401', async () => {
      const res = await sendGenericWebhook(api.url, recordingReadyEvent(callId(), 'a.wav'), { timestamp: Math.floor(Date.now() / 1000) - 301 });
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).message).toContain('300 seconds');
    });

    it('When fields are invalid, then 400 names each of them', async () => {
      const event = recordingReadyEvent(callId(), 'a.wav', { direction: 'Sideways', startedAt: 'yesterday', parties: [] });
      const res = await sendGenericWebhook(api.url, event);
      expect(res.statusCode).toBe(400);
      const body = JSON.parse(res.body);
      expect(body.error).toBe('invalid_payload');
      expect(body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['data.direction', 'data.startedAt', 'data.parties']));
    });

    it('When the body is not JSON although signed, then 400', async () => {
      const res = await sendGenericWebhook(api.url, '{"type": "recording.ready", ');
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).fields).toEqual([{ field: '(body)', problem: 'is not valid JSON' }]);
    });

    it('When the recording is in a bucket the service may not read, then 400 names the bucket', async () => {
      const res = await sendGenericWebhook(api.url, recordingReadyEvent(callId(), 'a.wav', { recording: { bucket: 'secrets', key: 'a.wav' } }));
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body).fields).toEqual([{ field: 'data.recording.bucket', problem: expect.stringContaining('"secrets"') }]);
    });

    it('When the body is over 1 MiB, then 413', async () => {
      const event = recordingReadyEvent(callId(), 'a.wav', { customData: 'x'.repeat(1024 * 1024) });
      const res = await sendGenericWebhook(api.url, event);
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'payload_too_large' });
    });

    it('When the body is not JSON by its content type, then 415', async () => {
      const res = await sendGenericWebhook(api.url, 'callId=1', { contentType: 'application/x-www-form-urlencoded' });
      expect(res.statusCode).toBe(415);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'unsupported_media_type' });
    });
  });

  it('When asked, then /healthz and /readyz answer 200 and /metrics counts webhooks by outcome', async () => {
    // Its own deliveries, so that the counts do not depend on which tests ran before.
    const id = callId();
    expect((await sendGenericWebhook(api.url, recordingReadyEvent(id, `${id}.wav`))).statusCode).toBe(202);
    expect((await sendGenericWebhook(api.url, recordingReadyEvent(callId(), 'a.wav'), { secret: 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==' })).statusCode).toBe(401);
    expect((await got(`${api.url}/healthz`)).statusCode).toBe(200);
    expect((await got(`${api.url}/readyz`)).statusCode).toBe(200);
    const metrics = await got(`${api.url}/metrics`).text();
    expect(metrics).toMatch(/gong_ingest_webhooks_received_total\{source="generic",outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/gong_ingest_webhooks_received_total\{source="generic",outcome="unauthorized"\} [1-9]/);
    expect(metrics).toMatch(/gong_ingest_queue_jobs\{state="waiting"\} [1-9]/);
    expect(metrics).toContain('gong_ingest_process_resident_memory_bytes');
  });

  it('When logging, then the signature header never reaches the logs', async () => {
    // Its own deliveries, accepted and refused, each with a signature the output must not contain.
    const accepted = recordingReadyEvent(callId(), 'a.wav');
    const sent = await sendGenericWebhook(api.url, accepted);
    expect(sent.statusCode).toBe(202);
    const forged = `v1,${Buffer.from('forged-signature-forged-signature!').toString('base64')}`;
    expect((await sendGenericWebhook(api.url, recordingReadyEvent(callId(), 'a.wav'), { signature: forged })).statusCode).toBe(401);
    expect(sent.request.options.headers['webhook-signature']).toMatch(/^v1,/);
    expect(api.output()).not.toContain(String(sent.request.options.headers['webhook-signature']));
    expect(api.output()).not.toContain(forged);
    expect(api.output()).not.toMatch(/v1,[A-Za-z0-9+/]{40,}/);
    expect(api.output()).not.toContain('emulator-access-key-secret');
  });
});
