import { generateKeyPairSync } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startS3EventsRig, type S3EventsRig } from '../../harness/vendors/s3-events-service.js';
import { s3Notification } from '../../harness/vendors/sns-stand-in.js';

/**
 * S3 recording events delivered by Amazon SNS, to bytes in Gong: an SNS stand-in over HTTPS with its own signing
 * certificate, s3rver holding recordings described by a sidecar JSON or by x-amz-meta-*, the service in its own
 * process, real Redis, the Gong emulator.
 */
describe('S3 events through SNS', () => {
  let env: PipelineEnv;
  let rig: S3EventsRig;

  beforeAll(async () => {
    env = await startPipelineEnv('src-sns');
    env.gong.configure({ users: [{ id: '222', emailAddress: 'ann@acme.com' }] });
    rig = await startS3EventsRig(env, { '+15550001111': '111' });
  });
  afterAll(async () => {
    await rig?.close();
    await env?.close();
  });

  const finish = async (clientUniqueId: string) => (await env.queue.queue.getJob(jobIdForCall(clientUniqueId)))!.waitUntilFinished(env.queue.events, 30_000);
  const gongCall = (clientUniqueId: string) => env.gong.ledger.byClientUniqueId(clientUniqueId);
  let n = 0;
  /** A recording with a sidecar in the generic webhook's data shape; its key has a space, sent as `+`. */
  async function sidecarRecording() {
    const key = `pbx/2026/11/20/call ${++n}-${Date.now()}.wav`;
    const audio = makeWav(96 * 1024);
    await rig.put(key, audio);
    await rig.put(`${key}.json`, JSON.stringify({ startedAt: '2026-11-20T10:00:00Z', direction: 'Outbound', primaryUserEmail: 'ann@acme.com', parties: [{ emailAddress: 'ann@acme.com' }, { phoneNumber: '+15557654321' }] }));
    return { key, audio, clientUniqueId: `s3:recordings/${key}` };
  }

  it('When SNS asks to confirm the subscription, then the service fetches SubscribeURL on the SNS host', async () => {
    const message = rig.sns.subscriptionConfirmation();
    const res = await rig.sns.deliver(rig.service.url, message);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ confirmed: true });
    expect(rig.sns.requests.some((r) => r.path.includes(`Token=${message.Token}`))).toBe(true);
  });

  it('When a signed (v1) notification announces a recording with a sidecar, then Gong gets the call and the exact bytes', async () => {
    const r = await sidecarRecording();
    const res = await rig.sns.deliver(rig.service.url, rig.sns.notification(s3Notification('recordings', [r.key])));
    expect(res.statusCode).toBe(202);
    await finish(r.clientUniqueId);
    const call = gongCall(r.clientUniqueId)!;
    expect(call.body).toMatchObject({ direction: 'Outbound', actualStart: '2026-11-20T10:00:00Z', primaryUser: '222' });
    expect(call.media).toMatchObject({ bytes: r.audio.length, sha256: sha256(r.audio) });
  });

  it('When a v2 (SHA-256) notification announces a multipart upload described by x-amz-meta-*, then the rep is found by number in the user map', async () => {
    const key = `pbx/meta-${Date.now()}.wav`;
    const audio = makeWav(64 * 1024);
    await rig.put(key, audio, { 'started-at': '2026-11-20T11:00:00Z', direction: 'inbound', rep: '+15550001111', 'customer-number': '+15557650000' });
    const message = rig.sns.notification(s3Notification('recordings', [key], 'ObjectCreated:CompleteMultipartUpload'), { version: '2' });
    expect((await rig.sns.deliver(rig.service.url, message)).statusCode).toBe(202);
    await finish(`s3:recordings/${key}`);
    const call = gongCall(`s3:recordings/${key}`)!;
    expect(call.body).toMatchObject({ direction: 'Inbound', primaryUser: '111' });
    expect(call.body.parties).toEqual([{ phoneNumber: '+15557650000' }, { userId: '111' }]);
  });

  it('When the same signed notification is delivered again (an SNS retry or a replay), then nothing new is added', async () => {
    const r = await sidecarRecording();
    const message = rig.sns.notification(s3Notification('recordings', [r.key]));
    expect((await rig.sns.deliver(rig.service.url, message)).statusCode).toBe(202);
    await finish(r.clientUniqueId);
    const counts = await env.queue.counts();
    const again = await rig.sns.deliver(rig.service.url, message);
    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body)).toMatchObject({ jobs: [{ duplicate: true }] });
    expect(await env.queue.counts()).toEqual(counts);
    expect(env.gong.ledger.calls().filter((c) => c.clientUniqueId === r.clientUniqueId)).toHaveLength(1);
  });

  it.each([
    ['a signature made with another key', () => ({ key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }), 401],
    ['a stale timestamp (older than any SNS retry)', () => ({ timestamp: new Date(Date.now() - 2 * 3600_000).toISOString() }), 401],
    ['a topic not in SNS_TOPIC_ARNS', () => ({ topicArn: 'arn:aws:sns:us-east-1:999999999999:someone-elses' }), 403],
  ])('When a notification comes with %s, then it is refused and nothing is enqueued', async (_label, options, status) => {
    const r = await sidecarRecording();
    const res = await rig.sns.deliver(rig.service.url, rig.sns.notification(s3Notification('recordings', [r.key]), options()));
    expect(res.statusCode).toBe(status);
    expect(await env.queue.queue.getJob(jobIdForCall(r.clientUniqueId))).toBeUndefined();
  });

  it('When SigningCertURL is on a host outside SNS_CERT_HOST_PATTERN, then it is refused and that URL is never fetched', async () => {
    const r = await sidecarRecording();
    const elsewhere = rig.sns.signingCertUrl.replace('localhost', '127.0.0.1').replace('SimpleNotificationService-', 'elsewhere-');
    const res = await rig.sns.deliver(rig.service.url, rig.sns.notification(s3Notification('recordings', [r.key]), { signingCertUrl: elsewhere }));
    expect(res.statusCode).toBe(401);
    expect(res.body).toMatch(/SNS_CERT_HOST_PATTERN/);
    expect(rig.sns.requests.some((q) => q.path.includes('elsewhere-'))).toBe(false);
  });

  it('When S3 sends its s3:TestEvent, or an object outside the allowed buckets, then the answer is 200 and nothing is enqueued', async () => {
    const counts = await env.queue.counts();
    const test = await rig.sns.deliver(rig.service.url, rig.sns.notification({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date().toISOString(), Bucket: 'recordings' }));
    expect(test.statusCode).toBe(200);
    const other = await rig.sns.deliver(rig.service.url, rig.sns.notification(s3Notification('other-bucket', ['x.wav'])));
    expect(other.statusCode).toBe(200);
    expect(JSON.parse(other.body)).toMatchObject({ ignored: true, skipped: [{ bucket: 'other-bucket', reason: 'bucket not in S3_ALLOWED_BUCKETS' }] });
    expect(await env.queue.counts()).toEqual(counts);
  });
});
