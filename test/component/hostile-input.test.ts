import { recordingReadyEvent } from '../../harness/support/webhook.js';
import { eventBridgeEvent, s3RecordsWithRawKeys, startIntakeService, type IntakeService } from '../property/intake-service.js';

/**
 * Validly signed but hostile bodies, one per fault found by fuzzing the intake routes: each must be refused with a
 * 4xx that names the field, and must leave no job behind. The service runs in its own process with real Redis.
 */
describe('Hostile but validly signed input', () => {
  let intake: IntakeService;
  beforeAll(async () => {
    intake = await startIntakeService('hostile');
  });
  afterAll(async () => {
    await intake?.close();
  });

  const jobCount = async () => Object.values(await intake.env.queue.counts()).reduce((a, b) => a + b, 0);
  const fieldsOf = (body: string) => (JSON.parse(body) as { fields?: Array<{ field: string; problem: string }> }).fields ?? [];
  let n = 0;
  const key = () => `2026/12/02/hostile-${++n}.wav`;

  async function expectRefused(send: () => Promise<{ statusCode: number; body: string }>, field: string, problem: RegExp) {
    const before = await jobCount();
    const res = await send();
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(expect.arrayContaining([{ field, problem: expect.stringMatching(problem) }]));
    expect(await jobCount()).toBe(before);
  }

  describe('generic webhook', () => {
    const generic = (callId: string, k: string, overrides: Record<string, unknown> = {}) => () =>
      intake.generic(JSON.stringify(recordingReadyEvent(callId, k, overrides)));

    it('When callId holds a lone UTF-16 surrogate, then it is refused as not well-formed Unicode (not answered 202 with a job replay cannot find)', async () => {
      await expectRefused(generic('x-\ud800', key()), 'data.callId', /well-formed Unicode/);
    });

    it('When callId is whitespace only, then it is refused as blank (instead of failing for good at Gong)', async () => {
      await expectRefused(generic(' \t ', key()), 'data.callId', /blank/);
    });

    it('When data.context nests 4,200 arrays, then it is refused as too deep (instead of a 500 from a stack overflow)', async () => {
      // Spliced in as text: the test's own JSON.stringify would overflow the stack on it too.
      const body = JSON.stringify(recordingReadyEvent(`deep-${++n}`, key(), { context: '<deep>' })).replace('"<deep>"', `${'['.repeat(4200)}${']'.repeat(4200)}`);
      await expectRefused(() => intake.generic(body), 'data.context', /nest/);
    });

    it('When the recording key has a ".." segment, then it is refused (it would read another bucket)', async () => {
      await expectRefused(generic(`dots-${++n}`, '../secret/x.wav'), 'data.recording.key', /\.\. path segments/);
    });

    it('When the recording key holds a control character, then it is refused', async () => {
      await expectRefused(generic(`ctl-${++n}`, 'a\u0001b.wav'), 'data.recording.key', /control character/);
    });
  });

  describe('S3 events through SNS', () => {
    const sns = (rawKey: string) => () => intake.snsNotification(JSON.stringify(s3RecordsWithRawKeys('recordings', [rawKey])));

    it('When a key has a malformed percent escape, then it is refused naming the key (instead of a 500 from decodeURIComponent)', async () => {
      await expectRefused(sns('calls/x%E0%A4%A.wav'), 'Message.Records.0.s3.object.key', /percent/);
    });

    it('When a key decodes to a lone surrogate, then it is refused', async () => {
      await expectRefused(sns('calls/x-\ud800.wav'), 'Message.Records.0.s3.object.key', /well-formed Unicode/);
    });

    it('When a key decodes to a ".." segment, then it is refused', async () => {
      await expectRefused(sns('..%2Fsecret%2Fx.wav'), 'Message.Records.0.s3.object.key', /\.\. path segments/);
    });
  });

  describe('S3 events through EventBridge', () => {
    const eb = (k: unknown) => () => intake.eventBridge(JSON.stringify(eventBridgeEvent('recordings', k)));

    it('When the key has a ".." segment, then it is refused', async () => {
      await expectRefused(eb('../secret/x.wav'), 'detail.object.key', /\.\. path segments/);
    });

    it('When the key is 200,000 characters, then it is refused as longer than S3 allows (and Gong\'s 2,048-char call id)', async () => {
      await expectRefused(eb(`${'k'.repeat(200_000)}.wav`), 'detail.object.key', /1024 bytes/);
    });

    it('When the key holds a lone surrogate, then it is refused', async () => {
      await expectRefused(eb('calls/x-\udc00.wav'), 'detail.object.key', /well-formed Unicode/);
    });
  });

  describe('Twilio', () => {
    it('When a validly signed callback names another AccountSid than TWILIO_ACCOUNT_SID, then it is refused with 403 and makes no job', async () => {
      const before = await jobCount();
      const other = `AC${'0'.repeat(32)}`;
      const callSid = `CA${'1'.repeat(32)}`;
      const recordingSid = `RE${'2'.repeat(32)}`;
      const res = await intake.twilioCallback([
        ['AccountSid', other],
        ['CallSid', callSid],
        ['RecordingSid', recordingSid],
        ['RecordingStatus', 'completed'],
        ['RecordingUrl', `https://api.twilio.com/2010-04-01/Accounts/${other}/Recordings/${recordingSid}`],
      ]);
      expect(res.statusCode).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(/AccountSid/) });
      expect(await jobCount()).toBe(before);
    });
  });
});
