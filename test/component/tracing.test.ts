import { randomBytes, randomUUID } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav } from '../../harness/support/make-wav.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../harness/support/otlp-receiver.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../../harness/support/service-process.js';
import { recordingReadyEvent, sendGenericWebhook, TEST_WEBHOOK_SECRET } from '../../harness/support/webhook.js';

const REPORT_MODULES = ['--import', './harness/support/report-otel-modules.mjs'];
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

/**
 * OpenTelemetry end to end, over real HTTP: the service process exports to an OTLP/HTTP receiver (JSON encoding),
 * with real Redis, s3rver and the Gong emulator around it.
 */
describe('traces', () => {
  let env: PipelineEnv;
  let receiver: OtlpReceiver;
  let service: ServiceProcess;

  beforeAll(async () => {
    [env, receiver] = await Promise.all([startPipelineEnv('tracing'), startOtlpReceiver()]);
    service = await startService(
      env.serviceEnv({
        ROLE: 'all',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'gong-ingest-under-test',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
        // Export every 100 ms instead of every 5 s, so the test waits less.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      }),
      { nodeArgs: REPORT_MODULES },
    );
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([env?.close(), receiver?.close()]);
  });
  afterEach(() => env.gong.faults.clear());

  async function ingest(headers: Record<string, string> = {}) {
    const callId = `pbx-${randomUUID()}`;
    const key = `2026/11/20/${callId}.wav`;
    const audio = makeWav(128 * 1024);
    await env.s3.put('recordings', key, audio);
    const res = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key), { headers });
    expect(res.statusCode).toBe(202);
    const job = (await env.queue.queue.getJob(jobIdForCall(callId)))!;
    await job.waitUntilFinished(env.queue.events, 30_000);
    return { callId, audio, jobId: job.id! };
  }

  /** The spans of the trace whose job span names this call, once the upload's span and the job's have arrived. */
  async function traceOf(callId: string, attempts = 1): Promise<ReceivedSpan[]> {
    const jobSpans = (spans: ReceivedSpan[]) => spans.filter((s) => s.name === 'process calls' && s.attributes['gong_ingest.call_id'] === callId);
    const spans = await receiver.waitFor((all) => {
      const jobs = jobSpans(all);
      return jobs.length >= attempts && all.some((s) => s.traceId === jobs[0]!.traceId && s.name === 'PUT /v2/calls/{id}/media' && s.statusCode !== 2);
    });
    const traceId = jobSpans(spans)[0]!.traceId;
    return spans.filter((s) => s.traceId === traceId);
  }
  const one = (spans: ReceivedSpan[], name: string) => {
    const found = spans.filter((s) => s.name === name);
    expect(found.map((s) => s.name)).toEqual([name]);
    return found[0]!;
  };

  it("When a signed webhook with a sender's traceparent arrives, then one trace covers intake, the job, the recording and both Gong requests, each under the right parent", async () => {
    const senderTrace = randomBytes(16).toString('hex');
    const senderSpan = randomBytes(8).toString('hex');
    const { callId, audio, jobId } = await ingest({ traceparent: `00-${senderTrace}-${senderSpan}-01` });
    const spans = await traceOf(callId);

    const intake = one(spans, 'POST /webhooks/generic');
    expect(intake).toMatchObject({ traceId: senderTrace, parentSpanId: senderSpan, kind: SERVER });
    expect(intake.attributes).toMatchObject({ 'http.route': '/webhooks/generic', 'http.response.status_code': 202, 'gong_ingest.outcome': 'accepted', 'gong_ingest.job_id': jobId });
    const job = one(spans, 'process calls');
    expect(job).toMatchObject({ parentSpanId: intake.spanId, kind: CONSUMER });
    const gongCallId = env.gong.ledger.calls().find((c) => c.clientUniqueId === callId)!.callId;
    expect(job.attributes).toMatchObject({ 'gong_ingest.call_id': callId, 'gong_ingest.attempt': 1, 'gong_ingest.gong_call_id': gongCallId, 'gong_ingest.bytes': audio.length });
    for (const step of ['user lookup', 'recording inspect', 'POST /v2/calls', 'PUT /v2/calls/{id}/media']) {
      expect({ step, parent: one(spans, step).parentSpanId }).toEqual({ step, parent: job.spanId });
    }
    const create = one(spans, 'POST /v2/calls');
    expect(create).toMatchObject({ kind: CLIENT, attributes: expect.objectContaining({ 'http.response.status_code': 200, 'gong_ingest.gong_call_id': gongCallId }) });
    const upload = one(spans, 'PUT /v2/calls/{id}/media');
    expect(upload.attributes).toMatchObject({ 'http.response.status_code': 201, 'gong_ingest.gong_call_id': gongCallId, 'gong_ingest.bytes': audio.length });
    const read = one(spans, 'recording read');
    expect(read).toMatchObject({ parentSpanId: upload.spanId, attributes: expect.objectContaining({ 'gong_ingest.bytes': audio.length, 'gong_ingest.recording.bucket': 'recordings' }) });
    expect(one(spans, 'recording inspect').attributes['gong_ingest.bytes']).toBe(audio.length);
    // The service's resource, from OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
    expect(job.resource).toMatchObject({ 'service.name': 'gong-ingest-under-test', 'deployment.environment.name': 'test' });

    // Log lines written inside the job carry its ids.
    const created = await service.waitForLog((l) => l.msg === 'gong call created' && l.callId === callId);
    expect(created).toMatchObject({ trace_id: senderTrace, span_id: job.spanId });
  });

  it('When Gong fails the first upload, then the trace shows both attempts: the failed one with its class, the second one done, and one create', async () => {
    env.gong.faults.failNext('uploadMedia', { status: 503 });
    const { callId } = await ingest();
    const spans = await traceOf(callId, 2);
    const jobs = spans.filter((s) => s.name === 'process calls').sort((a, b) => Number(a.startNs - b.startNs));
    expect(jobs.map((s) => s.attributes['gong_ingest.attempt'])).toEqual([1, 2]);
    const intake = one(spans, 'POST /webhooks/generic');
    expect(jobs.map((s) => s.parentSpanId)).toEqual([intake.spanId, intake.spanId]);
    expect(jobs[0]).toMatchObject({ statusCode: 2, attributes: expect.objectContaining({ 'gong_ingest.failure_class': 'gong_unavailable', 'gong_ingest.action': 'retry' }) });
    expect(jobs[1]).toMatchObject({ statusCode: 1, attributes: expect.objectContaining({ 'gong_ingest.outcome': 'completed' }) });
    const uploads = spans.filter((s) => s.name === 'PUT /v2/calls/{id}/media').sort((a, b) => Number(a.startNs - b.startNs));
    expect(uploads.map((s) => [s.parentSpanId, s.attributes['http.response.status_code']])).toEqual([
      [jobs[0]!.spanId, 503],
      [jobs[1]!.spanId, 201],
    ]);
    // The second attempt resumed from the checkpoint: the call was created once.
    expect(spans.filter((s) => s.name === 'POST /v2/calls')).toHaveLength(1);
  });

  it('When spans are exported, then no secret, signature or credential is in any of them', async () => {
    await ingest();
    const exported = JSON.stringify(receiver.spans, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    for (const secret of [TEST_WEBHOOK_SECRET, 'emulator-access-key-secret', 'emulator-access-key', 'Basic ', 'v1,', 'webhook-signature', 'AWS_SECRET']) {
      expect({ secret, found: exported.includes(secret) }).toEqual({ secret, found: false });
    }
  });

  it('When tracing is configured, then the SDK is loaded, started before the service, and the AWS SDK warns about no Node version', () => {
    expect(service.output()).toMatch(/otel-module-loaded @opentelemetry\/sdk-node/);
    expect(service.logs.find((l) => String(l.msg).startsWith('tracing on'))).toMatchObject({ protocol: 'http/json' });
    expect(service.output()).not.toMatch(/NodeVersionSupportWarning/);
  });
});

describe('traces, other settings', () => {
  let env: PipelineEnv;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    [env, receiver] = await Promise.all([startPipelineEnv('tracing-off'), startOtlpReceiver()]);
  });
  afterAll(async () => {
    await Promise.all([env?.close(), receiver?.close()]);
  });

  async function acceptOne(service: ServiceProcess) {
    const callId = `pbx-${randomUUID()}`;
    const res = await sendGenericWebhook(service.url, recordingReadyEvent(callId, `2026/11/20/${callId}.wav`));
    expect(res.statusCode).toBe(202);
    return (await env.queue.queue.getJob(jobIdForCall(callId)))!;
  }

  it('When no OTEL_* setting asks for traces, then nothing of the SDK or an exporter is loaded, and jobs carry no trace context', async () => {
    // The receiver is shared with this block's other tests: compare with what it had before this service ran.
    const before = { ...receiver.requestsByType };
    const service = await startService(env.serviceEnv({ ROLE: 'api' }), { nodeArgs: REPORT_MODULES });
    try {
      const job = await acceptOne(service);
      expect(job.data.traceContext).toBeUndefined();
      const loaded = [...service.output().matchAll(/otel-module-loaded (\S+)/g)].map((m) => m[1]);
      // Only the API, whose tracer is a no-op without the SDK.
      expect([...new Set(loaded)]).toEqual(['@opentelemetry/api']);
      expect(service.logs.some((l) => String(l.msg).startsWith('tracing on'))).toBe(false);
    } finally {
      await service.stop();
    }
    expect(receiver.requestsByType).toEqual(before);
  });

  it('When OTEL_EXPORTER_OTLP_PROTOCOL is http/protobuf, then the spans go out protobuf-encoded', async () => {
    const service = await startService(
      env.serviceEnv({ ROLE: 'api', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_BSP_SCHEDULE_DELAY: '100' }),
    );
    try {
      await acceptOne(service);
      await receiver.waitFor(() => (receiver.requestsByType['application/x-protobuf'] ?? 0) > 0);
      expect(receiver.requestsByType['application/json']).toBeUndefined();
    } finally {
      await service.stop();
    }
  });

  it('When OTEL_TRACES_SAMPLER is always_off, then the job carries no sampled context and nothing is exported', async () => {
    const before = { ...receiver.requestsByType };
    const service = await startService(
      env.serviceEnv({ ROLE: 'api', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'always_off', OTEL_BSP_SCHEDULE_DELAY: '100' }),
    );
    let job;
    try {
      job = await acceptOne(service);
    } finally {
      // Shutting down flushes whatever the exporter holds, so "nothing exported" is checked after it.
      await service.stop();
    }
    expect(job.data.traceContext?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(receiver.requestsByType['application/json']).toBe(before['application/json']);
  });
});
