/**
 * `npm run demo`: the whole pipeline on one laptop with no Gong account and no AWS. Starts the Gong emulator,
 * a local S3 (s3rver) holding a generated recording, and the service (API + worker); sends one signed webhook;
 * waits for the upload; prints what Gong received. Uses the Redis at REDIS_URL, or starts a throwaway
 * redis-server when none answers. `--source twilio` or `--source s3-events` runs tools/demo-sources.ts instead.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { startGongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3 } from '../harness/support/local-s3.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { makeWav, sha256 } from '../harness/support/make-wav.js';
import { startService } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../harness/support/webhook.js';
import { ensureRedis } from './lib/ensure-redis.js';

const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
  const gong = await startGongEmulator();
  const s3 = await startLocalS3(['recordings']);
  const callId = `demo-${randomUUID().slice(0, 8)}`;
  const key = `2026/11/20/${callId}.wav`;
  const audio = makeWav(2 * 1024 * 1024);
  await s3.put('recordings', key, audio);
  say(`Gong emulator   ${gong.url}`);
  say(`local S3        ${s3.endpoint}  (s3://recordings/${key}, ${audio.length} bytes)`);

  const prefix = `demo-${randomUUID().slice(0, 8)}`;
  const service = await startService(
    localServiceEnv({ redisUrl: redis.url, prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint }, { LOG_LEVEL: 'info' }),
  );
  say(`service         ${service.url}  (API + worker, Redis ${redis.url})`);

  try {
    const stored = once(gong.events, 'media-stored');
    const answer = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key));
    say(`webhook         POST /webhooks/generic -> ${answer.statusCode} ${answer.body}`);
    let timer: NodeJS.Timeout | undefined;
    const arrived = await Promise.race([
      stored.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 60_000))),
    ]);
    clearTimeout(timer);
    if (!arrived) {
      say('No upload within 60 s; the service log follows:\n' + service.output().slice(-3000));
      process.exitCode = 1;
      return;
    }
    const call = gong.ledger.byClientUniqueId(callId);
    const matches = call?.media?.sha256 === sha256(audio);
    say('');
    say(`Gong call id    ${call?.callId}`);
    say(`bytes in Gong   ${call?.media?.bytes} of ${audio.length}`);
    say(`sha256 matches  ${matches ? 'yes' : 'NO'}  (${call?.media?.sha256})`);
    process.exitCode = matches ? 0 : 1;
  } finally {
    await service.stop();
    // The demo's keys are its own (a fresh prefix): remove them rather than leave a week of demo jobs behind.
    await (await openTestQueue(prefix, redis.url)).close();
    await Promise.all([gong.close(), s3.close()]);
    await redis.close();
  }
}

/** `npm run demo -- --source twilio|s3-events` shows a phone-system source instead of the generic webhook. */
const sourceIndex = process.argv.indexOf('--source');
const source = sourceIndex >= 0 ? process.argv[sourceIndex + 1] : process.argv.find((a) => a.startsWith('--source='))?.slice(9);
if (source && source !== 'generic') await import('./demo-sources.js');
else await main();
