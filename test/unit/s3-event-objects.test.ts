import { connectContactId } from '../../src/sources/connect/connect-key.js';
import { parseGenesysKey } from '../../src/sources/genesys/genesys-key.js';
import { decodeS3Key, parseEventBridgeEvent, parseS3Notification } from '../../src/sources/s3-events/created-objects.js';
import { intakeForObject } from '../../src/sources/s3-events/recording-intake.js';

const contactId = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';

describe('S3 events', () => {
  it('decodes keys the way S3 encodes them in event records', () => {
    expect(decodeS3Key('calls/2026/my+call%281%29.wav')).toBe('calls/2026/my call(1).wav');
    expect(decodeS3Key(`CallRecordings/2026/11/20/${contactId}_20261120T10%3A05_UTC.wav`)).toBe(`CallRecordings/2026/11/20/${contactId}_20261120T10:05_UTC.wav`);
    expect(decodeS3Key('a%2Bb.wav')).toBe('a+b.wav');
  });

  it('reads created objects from a notification, skipping other event names, and knows the test event', () => {
    expect(parseS3Notification({ Service: 'Amazon S3', Event: 's3:TestEvent' })).toEqual({ kind: 'test' });
    const parsed = parseS3Notification({
      Records: [
        { eventName: 'ObjectCreated:CompleteMultipartUpload', s3: { bucket: { name: 'b' }, object: { key: 'a+b.wav', size: 5 } } },
        { eventName: 'ObjectRemoved:Delete', s3: { bucket: { name: 'b' }, object: { key: 'gone.wav' } } },
      ],
    });
    expect(parsed).toEqual({ kind: 'objects', objects: [{ bucket: 'b', key: 'a b.wav', size: 5 }] });
    expect(parseS3Notification({ Records: [] })).toMatchObject({ kind: 'other' });
  });

  it('when a record key has a malformed percent escape or decodes to a refused key, then the whole notification is invalid, naming each key', () => {
    const record = (key: string) => ({ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key } } });
    const parsed = parseS3Notification({ Records: [record('ok.wav'), record('x%E0%A4%A.wav'), record('..%2Fsecret%2Fx.wav')] }, 'Message');
    expect(parsed).toEqual({
      kind: 'invalid',
      fields: [
        { field: 'Message.Records.1.s3.object.key', problem: expect.stringMatching(/malformed percent escape/) },
        { field: 'Message.Records.2.s3.object.key', problem: expect.stringMatching(/path segments/) },
      ],
    });
  });

  it('when an EventBridge key breaks the key rules, then the event is invalid naming detail.object.key', () => {
    const event = (key: string) => ({ source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: 'b' }, object: { key } } });
    expect(parseEventBridgeEvent(event('k'.repeat(200_000)))).toEqual({ kind: 'invalid', fields: [{ field: 'detail.object.key', problem: expect.stringMatching(/1024 bytes/) }] });
    expect(parseEventBridgeEvent(event('a/../b.wav'))).toMatchObject({ kind: 'invalid' });
  });

  it('reads an EventBridge Object Created event without decoding its key', () => {
    const event = { source: 'aws.s3', 'detail-type': 'Object Created', detail: { bucket: { name: 'b' }, object: { key: 'a+b.wav', size: 3 } } };
    expect(parseEventBridgeEvent(event)).toEqual({ kind: 'objects', objects: [{ bucket: 'b', key: 'a+b.wav', size: 3 }] });
    expect(parseEventBridgeEvent({ ...event, 'detail-type': 'Object Deleted' })).toMatchObject({ kind: 'other' });
  });
});

describe('recording keys', () => {
  it('recognises Amazon Connect recordings and their contact id', () => {
    expect(connectContactId(`connect/acme/CallRecordings/2026/11/20/${contactId}_20261120T10:05_UTC.wav`)).toBe(contactId);
    expect(connectContactId(`connect/acme/ChatTranscripts/2026/11/20/${contactId}_20261120T10:05_UTC.json`)).toBeUndefined();
  });

  it('recognises Genesys exports and where their metadata file is', () => {
    const key = 'org/year=2026/month=11/day=20/hour=9/conversation_id=c-1/r-1.opus';
    expect(parseGenesysKey(key)).toEqual({
      conversationId: 'c-1',
      recordingId: 'r-1',
      startHour: { year: 2026, month: 11, day: 20, hour: 9 },
      metadataKeys: ['org/year=2026/month=11/day=20/hour=9/conversation_id=c-1/r-1_metadata.json', 'org/year=2026/month=11/day=20/hour=9/conversation_id=c-1/r-1.opus_metadata.json'],
    });
    expect(parseGenesysKey('org/year=2026/month=11/day=20/hour=9/conversation_id=c-1/r-1_metadata.json')).toBeUndefined();
  });

  it('makes one job per vendor id, and skips what is not a recording', () => {
    const connect = intakeForObject({ bucket: 'b', key: `x/CallRecordings/2026/11/20/${contactId}_20261120T10:05_UTC.wav` });
    expect(connect).toMatchObject({ intake: { clientUniqueId: `connect:${contactId}`, pendingDetails: { resolver: 'connect', hints: { contactId } } } });
    const genesys = intakeForObject({ bucket: 'b', key: 'o/year=2026/month=11/day=20/hour=9/conversation_id=c-1/r-1.opus' });
    expect(genesys).toMatchObject({ intake: { clientUniqueId: 'genesys:c-1:r-1', pendingDetails: { resolver: 'genesys' } } });
    expect(intakeForObject({ bucket: 'b', key: 'pbx/a b.mp3' })).toMatchObject({ intake: { clientUniqueId: 's3:b/pbx/a b.mp3', recording: { kind: 's3', bucket: 'b', key: 'pbx/a b.mp3' } } });
    for (const key of ['pbx/a.wav.json', 'pbx/', 'reports/daily.csv']) expect(intakeForObject({ bucket: 'b', key })).toHaveProperty('skipped');
    expect(intakeForObject({ bucket: 'b', key: 'pbx/a.wav', size: 0 })).toHaveProperty('skipped');
  });
});
