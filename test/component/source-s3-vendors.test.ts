import { randomUUID } from 'node:crypto';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startS3EventsRig, type S3EventsRig } from '../../harness/vendors/s3-events-service.js';
import { s3Notification } from '../../harness/vendors/sns-stand-in.js';

/**
 * Phone systems that write recordings to S3 themselves, to bytes in Gong: Amazon Connect (metadata through a
 * Connect API stand-in, which can answer "not found" at first), Genesys Cloud's export (metadata file beside the
 * audio, in either order), and EventBridge API destinations as the event path.
 */
describe('S3 events from Amazon Connect, Genesys Cloud and EventBridge', () => {
  let env: PipelineEnv;
  let rig: S3EventsRig;

  beforeAll(async () => {
    env = await startPipelineEnv('src-s3-vendors');
    env.gong.configure({ users: [{ id: '444', emailAddress: 'bob@acme.com' }] });
    rig = await startS3EventsRig(env, { 'genesys-user-1': '333' });
  });
  afterAll(async () => {
    await rig?.close();
    await env?.close();
  });

  const job = async (clientUniqueId: string) => (await env.queue.queue.getJob(jobIdForCall(clientUniqueId)))!;
  const finish = async (clientUniqueId: string) => (await job(clientUniqueId)).waitUntilFinished(env.queue.events, 30_000);
  const gongCall = (clientUniqueId: string) => env.gong.ledger.byClientUniqueId(clientUniqueId);
  const pendingLogged = (clientUniqueId: string) => rig.service.waitForLog((l) => l.callId === clientUniqueId && l.failureClass === 'details_pending');

  it('When a Connect recording arrives before its contact can be described, then the job waits with backoff and then uploads with the agent as rep', async () => {
    const contactId = randomUUID();
    rig.connect.addUser({ id: 'agent-1', username: 'bob', email: 'bob@acme.com', firstName: 'Bob', lastName: 'Agent' });
    rig.connect.addContact({
      id: contactId,
      initiationMethod: 'INBOUND',
      initiationTimestamp: new Date('2026-11-20T10:00:00Z'),
      disconnectTimestamp: new Date('2026-11-20T10:05:30Z'),
      customerNumber: '+15557651234',
      agentId: 'agent-1',
      notFoundTimes: 2,
    });
    const key = `connect/acme/CallRecordings/2026/11/20/${contactId}_20261120T10:05_UTC.wav`;
    const audio = makeWav(80 * 1024);
    await rig.put(key, audio);
    const pending = pendingLogged(`connect:${contactId}`);
    const res = await rig.sns.deliver(rig.service.url, rig.sns.notification(s3Notification('recordings', [key])));
    expect(res.statusCode).toBe(202);
    await pending;
    await finish(`connect:${contactId}`);
    const call = gongCall(`connect:${contactId}`)!;
    expect(call.body).toMatchObject({ direction: 'Inbound', actualStart: '2026-11-20T10:00:00.000Z', duration: 330, primaryUser: '444' });
    expect(call.body.parties).toEqual([
      { phoneNumber: '+15557651234', mediaChannelId: 0 },
      { name: 'Bob Agent', emailAddress: 'bob@acme.com', mediaChannelId: 1, userId: '444' },
    ]);
    expect(call.media?.sha256).toBe(sha256(audio));
    // Two "not yet" attempts, then the one that uploaded.
    expect((await job(`connect:${contactId}`)).attemptsMade).toBe(3);
    expect(rig.connect.requests.filter((r) => r.path.includes(contactId))).toHaveLength(3);
  });

  it('When a Genesys recording arrives before its metadata file, then it waits for the file and then uploads', async () => {
    const { key, metadataKey, metadata, audio, clientUniqueId } = genesysExport();
    await rig.put(key, audio);
    const pending = pendingLogged(clientUniqueId);
    expect((await rig.eventBridge('recordings', key)).statusCode).toBe(202);
    await pending;
    await rig.put(metadataKey, JSON.stringify(metadata));
    // The metadata file's own event is not a recording: answered, skipped.
    expect(JSON.parse((await rig.eventBridge('recordings', metadataKey)).body)).toMatchObject({ ignored: true });
    await finish(clientUniqueId);
    const call = gongCall(clientUniqueId)!;
    expect(call.body).toMatchObject({ direction: 'Inbound', actualStart: '2026-11-20T10:00:00.000Z', duration: 120, primaryUser: '333' });
    expect(call.body.parties).toEqual([{ phoneNumber: '+15559870000' }, { userId: '333' }]);
    expect(call.media?.sha256).toBe(sha256(audio));
  });

  it('When the Genesys metadata file arrives first, then the recording uploads on its first attempt', async () => {
    const { key, metadataKey, metadata, audio, clientUniqueId } = genesysExport();
    await rig.put(metadataKey, JSON.stringify(metadata));
    await rig.put(key, audio);
    expect((await rig.eventBridge('recordings', key)).statusCode).toBe(202);
    await finish(clientUniqueId);
    expect((await job(clientUniqueId)).attemptsMade).toBe(1);
    expect(gongCall(clientUniqueId)!.media?.sha256).toBe(sha256(audio));
  });

  it('When the EventBridge secret is wrong or missing, then the delivery is refused with 401 and nothing is enqueued', async () => {
    const counts = await env.queue.counts();
    expect((await rig.eventBridge('recordings', 'pbx/x.wav', 'not-the-secret')).statusCode).toBe(401);
    expect((await rig.eventBridge('recordings', 'pbx/x.wav', '')).statusCode).toBe(401);
    expect(await env.queue.counts()).toEqual(counts);
  });

  it('When EventBridge names a bucket outside S3_ALLOWED_BUCKETS, then it is answered 200 and skipped', async () => {
    const res = await rig.eventBridge('other-bucket', 'pbx/y.wav');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ignored: true });
  });
});

function genesysExport() {
  const conversationId = randomUUID();
  const recordingId = randomUUID();
  const folder = `org-1/year=2026/month=11/day=20/hour=10/conversation_id=${conversationId}/`;
  return {
    key: `${folder}${recordingId}.wav`,
    metadataKey: `${folder}${recordingId}_metadata.json`,
    clientUniqueId: `genesys:${conversationId}:${recordingId}`,
    audio: makeWav(72 * 1024),
    metadata: {
      mediaType: 'Call',
      mediaSubtype: 'Trunk',
      provider: 'Edge',
      userIds: ['genesys-user-1'],
      conversationId,
      recordingId,
      conversationStartTime: '2026-11-20T10:00:00.000Z',
      conversationEndTime: '2026-11-20T10:02:00.000Z',
      direction: 'inbound',
      ani: 'tel:+15559870000',
    },
  };
}
