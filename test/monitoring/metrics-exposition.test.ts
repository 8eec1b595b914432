import { randomUUID } from 'node:crypto';
import got from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';
import { promtool } from './promtool.js';

/** The real /metrics of a service that has done some work, as Prometheus' own linter sees it. */
describe('/metrics', () => {
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('metrics');
    service = await startInProcess(env.serviceEnv());
    const callId = `pbx-${randomUUID()}`;
    await env.s3.put('recordings', `${callId}.wav`, makeWav(16 * 1024));
    await sendGenericWebhook(service.url, recordingReadyEvent(callId, `${callId}.wav`));
    await sendGenericWebhook(service.url, recordingReadyEvent('x', 'x.wav'), { signature: null });
    await (await env.queue.queue.getJob(jobIdForCall(callId)))!.waitUntilFinished(env.queue.events, 30_000);
  });
  afterAll(async () => {
    await service?.stop();
    await env?.close();
  });

  it('When promtool checks the exposition, then it reports nothing', async () => {
    // The worker counts the job a moment after Redis announces it: read until the counter shows (bounded).
    let text = '';
    for (let i = 0; i < 50 && !text.includes('outcome="completed"'); i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      text = await got(`${service.url}/metrics`).text();
    }
    expect(text).toContain('gong_ingest_jobs_finished_total{outcome="completed",failure_class="none"} 1');
    const { status, output } = promtool(['check', 'metrics'], text);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('When scraped, then no label carries a job or call id (cardinality stays bounded)', async () => {
    const text = await got(`${service.url}/metrics`).text();
    expect(text).not.toMatch(/pbx-[0-9a-f-]{36}|call-pbx/);
  });
});
