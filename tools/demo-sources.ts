/**
 * `tsx tools/demo-sources.ts --source twilio|s3-events`: the phone-system sources end to end on one laptop, with
 * no Twilio, AWS or Gong account. Starts the Gong emulator, a local S3 (s3rver), stand-ins of the vendor's side
 * over real HTTP (Twilio's REST API; SNS with its own certificates, Amazon Connect's API) and the service (API +
 * worker); sends signed vendor requests; waits for each recording to reach Gong; prints what Gong received.
 * Uses the Redis at REDIS_URL, or starts a throwaway redis-server when none answers.
 */
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startGongEmulator, type GongEmulator } from '../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3 } from '../harness/support/local-s3.js';
import { makeWav, sha256 } from '../harness/support/make-wav.js';
import { localServiceEnv } from '../harness/support/pipeline-env.js';
import { startService, type ServiceProcess } from '../harness/support/service-process.js';
import { openTestQueue } from '../harness/support/test-queue.js';
import { startConnectStandIn } from '../harness/vendors/connect-stand-in.js';
import { s3Notification, startSnsStandIn, TEST_TOPIC_ARN } from '../harness/vendors/sns-stand-in.js';
import { makeTestCertificates } from '../harness/vendors/test-certificates.js';
import { completedCallback, sendTwilioCallback, sid, startTwilioStandIn } from '../harness/vendors/twilio-stand-in.js';
import { ensureRedis } from './lib/ensure-redis.js';

const say = (text: string) => process.stdout.write(`${text}\n`);
const pad = (label: string) => label.padEnd(18);

type Cleanup = () => Promise<void> | void;
interface Demo {
  env: Record<string, string>;
  /** Sends the vendor's requests; returns the Gong clientUniqueIds to wait for, with the bytes expected. */
  run(service: ServiceProcess): Promise<Array<{ clientUniqueId: string; audio: Buffer }>>;
  cleanup: Cleanup[];
}

async function twilioDemo(): Promise<Demo> {
  const twilio = await startTwilioStandIn();
  const mapDir = mkdtempSync(join(tmpdir(), 'demo-map-'));
  writeFileSync(join(mapDir, 'users.json'), JSON.stringify({ '+15550001111': '234599484848423' }));
  say(`${pad('Twilio stand-in')}${twilio.url}  (Calls resource and recording media)`);
  return {
    env: { PUBLIC_BASE_URL: 'https://ingest.example.com', TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_API_BASE_URL: twilio.url, USER_MAP_FILE: join(mapDir, 'users.json') },
    cleanup: [() => twilio.close(), () => rmSync(mapDir, { recursive: true, force: true })],
    async run(service) {
      const callSid = sid('CA');
      const recordingSid = sid('RE');
      const audio = makeWav(1024 * 1024);
      twilio.addCall({ sid: callSid, from: '+15557654321', to: '+15550001111', direction: 'inbound', start_time: new Date().toUTCString(), duration: '65' });
      twilio.addRecording(recordingSid, { bytes: audio, notFoundTimes: 1 });
      const signing = { authToken: twilio.authToken, publicUrl: 'https://ingest.example.com/webhooks/twilio' };
      const bad = await sendTwilioCallback(service.url, completedCallback(twilio, callSid, recordingSid), { ...signing, authToken: 'wrong-token' });
      say(`${pad('forged callback')}POST /webhooks/twilio -> ${bad.statusCode} ${bad.body}`);
      const absent = await sendTwilioCallback(service.url, { ...completedCallback(twilio, sid('CA'), sid('RE')), RecordingStatus: 'absent' }, signing);
      say(`${pad('absent')}POST /webhooks/twilio -> ${absent.statusCode} ${absent.body}`);
      const good = await sendTwilioCallback(service.url, completedCallback(twilio, callSid, recordingSid), signing);
      say(`${pad('completed')}POST /webhooks/twilio -> ${good.statusCode} ${good.body}`);
      say(`${pad('')}(the media answers 404 once, as Twilio's can right after the callback: the job retries)`);
      return [{ clientUniqueId: `twilio:${callSid}`, audio }];
    },
  };
}

async function s3EventsDemo(s3: Awaited<ReturnType<typeof startLocalS3>>): Promise<Demo> {
  const certificates = makeTestCertificates();
  const [sns, connect] = await Promise.all([startSnsStandIn(certificates), startConnectStandIn()]);
  say(`${pad('SNS stand-in')}${sns.url}  (signing certificate, SubscribeURL)`);
  say(`${pad('Connect stand-in')}${connect.url}  (DescribeContact, DescribeUser)`);
  const secret = `demo-${randomUUID()}`;
  return {
    env: {
      SNS_CERT_HOST_PATTERN: '^localhost$',
      SNS_TOPIC_ARNS: TEST_TOPIC_ARN,
      NODE_EXTRA_CA_CERTS: certificates.tls.certPath,
      EVENTBRIDGE_AUTH_SECRET: secret,
      CONNECT_INSTANCE_ID: connect.instanceId,
      CONNECT_ENDPOINT: connect.url,
      GONG_DEFAULT_PRIMARY_USER: '234599484848423',
    },
    cleanup: [() => sns.close(), () => connect.close(), () => certificates.remove()],
    async run(service) {
      const confirm = await sns.deliver(service.url, sns.subscriptionConfirmation());
      say(`${pad('SNS subscribe')}POST /webhooks/s3-events -> ${confirm.statusCode} ${confirm.body}`);

      const contactId = randomUUID();
      connect.addUser({ id: 'agent-1', username: 'ann', email: 'ann@acme.com' });
      connect.addContact({ id: contactId, initiationMethod: 'INBOUND', initiationTimestamp: new Date(), customerNumber: '+15557654321', agentId: 'agent-1', notFoundTimes: 1 });
      const connectKey = `connect/acme/CallRecordings/2026/11/20/${contactId}_20261120T10:00_UTC.wav`;
      const connectAudio = makeWav(512 * 1024);
      await s3.put('recordings', connectKey, connectAudio);
      const note = await sns.deliver(service.url, sns.notification(s3Notification('recordings', [connectKey]), { version: '2' }));
      say(`${pad('SNS (Connect)')}POST /webhooks/s3-events -> ${note.statusCode} ${note.body}`);
      say(`${pad('')}(the contact is "not found" once, as a fresh one can be: the job retries)`);

      const pbxKey = `pbx/2026/11/20/call ${randomUUID().slice(0, 8)}.wav`;
      const pbxAudio = makeWav(256 * 1024);
      await s3.put('recordings', pbxKey, pbxAudio);
      await s3.put('recordings', `${pbxKey}.json`, Buffer.from(JSON.stringify({ startedAt: new Date().toISOString(), direction: 'Outbound', primaryUser: '234599484848423', parties: [{ userId: '234599484848423' }, { phoneNumber: '+15551230000' }] })));
      const eb = await fetch(`${service.url}/webhooks/s3-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gong-ingest-key': secret },
        body: JSON.stringify({ 'detail-type': 'Object Created', source: 'aws.s3', detail: { bucket: { name: 'recordings' }, object: { key: pbxKey, size: pbxAudio.length } } }),
      });
      say(`${pad('EventBridge (PBX)')}POST /webhooks/s3-events -> ${eb.status} ${await eb.text()}`);
      return [
        { clientUniqueId: `connect:${contactId}`, audio: connectAudio },
        { clientUniqueId: `s3:recordings/${pbxKey}`, audio: pbxAudio },
      ];
    },
  };
}

async function waitForMedia(gong: GongEmulator, clientUniqueId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!gong.ledger.byClientUniqueId(clientUniqueId)?.media) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await Promise.race([once(gong.events, 'media-stored'), new Promise((r) => setTimeout(r, Math.min(left, 1_000)))]);
  }
  return true;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { source: { type: 'string', default: 'twilio' } } });
  if (values.source !== 'twilio' && values.source !== 's3-events') {
    say('usage: tsx tools/demo-sources.ts --source twilio|s3-events');
    process.exit(2);
  }
  const redis = await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', say);
  const gong = await startGongEmulator();
  const s3 = await startLocalS3(['recordings']);
  say(`${pad('Gong emulator')}${gong.url}`);
  say(`${pad('local S3')}${s3.endpoint}`);
  const demo = values.source === 'twilio' ? await twilioDemo() : await s3EventsDemo(s3);
  const prefix = `demo-${randomUUID().slice(0, 8)}`;
  const service = await startService(
    localServiceEnv({ redisUrl: redis.url, prefix, gongUrl: gong.url, s3Endpoint: s3.endpoint }, { LOG_LEVEL: 'info', JOB_BACKOFF_MS: '500', ...demo.env }),
  );
  say(`${pad('service')}${service.url}  (API + worker, Redis ${redis.url})`);
  try {
    const expected = await demo.run(service);
    let allGood = true;
    for (const { clientUniqueId, audio } of expected) {
      const arrived = await waitForMedia(gong, clientUniqueId, 60_000);
      const call = gong.ledger.byClientUniqueId(clientUniqueId);
      const matches = arrived && call?.media?.sha256 === sha256(audio);
      allGood &&= matches;
      say('');
      say(`${pad('call')}${clientUniqueId}`);
      if (!arrived) {
        say('No upload within 60 s; the service log follows:\n' + service.output().slice(-3000));
        continue;
      }
      const body = call!.body as Record<string, unknown>;
      say(`${pad('Gong call id')}${call!.callId}  (${String(body.direction)}, primaryUser ${String(body.primaryUser)})`);
      say(`${pad('parties')}${JSON.stringify(body.parties)}`);
      say(`${pad('bytes in Gong')}${call!.media!.bytes} of ${audio.length}, sha256 matches ${matches ? 'yes' : 'NO'}`);
    }
    process.exitCode = allGood ? 0 : 1;
  } finally {
    await service.stop();
    // The demo's keys are its own (a fresh prefix): remove them rather than leave a week of demo jobs behind.
    await (await openTestQueue(prefix, redis.url)).close();
    for (const step of demo.cleanup) await step();
    await Promise.all([gong.close(), s3.close()]);
    await redis.close();
  }
}

await main();
