/**
 * `npm run demo:trace`: one call through the whole pipeline with tracing on, then the trace drawn as text. Like the
 * demo (Gong emulator, s3rver, the service with API and worker), plus an OTLP/HTTP receiver in this process
 * (OTEL_EXPORTER_OTLP_PROTOCOL=http/json). Gong fails the first upload (503) so the drawing shows a retry.
 * `--no-retry` leaves Gong alone. docs/observability.md shows its output.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jobIdForCall } from '../src/queue/job-id.js';
import { startGongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3 } from '../harness/support/local-s3.js';
import { makeWav } from '../harness/support/make-wav.js';
import { startOtlpReceiver } from '../harness/support/otlp-receiver.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { renderTrace } from '../harness/support/render-trace.js';
import { startService } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { ensureRedis } from './lib/ensure-redis.js';

const say = (text: string) => process.stdout.write(`${text}\n`);
const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
const [gong, s3, receiver] = await Promise.all([startGongEmulator(), startLocalS3(['recordings']), startOtlpReceiver()]);
const prefix = `trace-demo-${randomUUID().slice(0, 8)}`;
const queue = await openTestQueue(prefix, redis.url);
const service = await startService(
  localServiceEnv(
    { redisUrl: redis.url, prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint },
    { LOG_LEVEL: 'info', JOB_BACKOFF_MS: '300', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200' },
  ),
);
try {
  const callId = `demo-${randomUUID().slice(0, 8)}`;
  const key = `2026/11/20/${callId}.wav`;
  await s3.put('recordings', key, makeWav(2 * 1024 * 1024));
  if (!process.argv.includes('--no-retry')) gong.faults.failNext('uploadMedia', { status: 503 });
  // As a sender that traces its own side would: its span becomes the parent of the webhook's.
  const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
  const answer = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key), { headers: { traceparent } });
  say(`webhook  POST /webhooks/generic (traceparent ${traceparent}) -> ${answer.statusCode} ${answer.body}`);
  const job = (await queue.queue.getJob(jobIdForCall(callId)))!;
  await job.waitUntilFinished(queue.events, 60_000);
  const traceId = traceparent.split('-')[1]!;
  const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === traceId && s.name === 'process calls' && s.statusCode === 1));
  say('');
  say(renderTrace(spans.filter((s) => s.traceId === traceId)));
  const line = service.logs.find((l) => l.msg === 'gong call created');
  say(`\nthe log line of the create, inside the first attempt's span:\n${JSON.stringify(line)}`);
} finally {
  await service.stop();
  await Promise.all([gong.close(), s3.close(), receiver.close(), queue.close()]);
  await redis.close();
}
