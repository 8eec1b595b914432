import fc from 'fast-check';
import { encodeS3Key } from '../../harness/vendors/sns-stand-in.js';
import { eventBridgeEvent } from './intake-service.js';
import { dropSome, hostileJson, hostileText, maybe, nonce, sometimes, spliceJson, unknownFields } from './hostile-values.js';

/** One generated delivery: what to send on which route. Mostly valid fields, some hostile, to reach deep checks. */
export type Delivery =
  | { route: 'generic'; rawBody: string; callId: unknown }
  | { route: 'twilio'; params: Array<[string, string]> }
  | { route: 'sns'; message: string; envelope: Record<string, unknown> }
  | { route: 'eventbridge'; rawBody: string };

const VALID = Symbol('valid');
const pick = <T>(value: unknown, valid: T): T | unknown => (value === VALID ? valid : value);
const valid = fc.constant(VALID);

export function genericDelivery(): fc.Arbitrary<Delivery> {
  const data = fc.record({
    n: nonce(),
    suffix: fc.string({ unit: 'grapheme', maxLength: 12 }),
    callId: maybe(valid, fc.oneof(hostileText(), hostileJson())),
    bucket: maybe(valid, fc.oneof(hostileText(), fc.constantFrom('secret', 'Recordings', 'other-bucket'))),
    key: maybe(valid, fc.oneof(hostileText(), hostileJson())),
    parties: maybe(valid),
    partyName: maybe(valid, hostileText()),
    context: sometimes(fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }), hostileJson()), 4),
    customData: sometimes(fc.oneof(fc.string({ maxLength: 40 }), hostileJson()), 6),
    title: sometimes(hostileText(), 4),
    direction: maybe(valid),
    extra: sometimes(unknownFields(), 8),
  });
  return fc.tuple(data, sometimes(unknownFields(), 4), sometimes(maybe(valid), 8)).map(([d, envelopeExtra, type]) => {
    const callId = pick(d.callId, `fz-${d.n}-${d.suffix}`);
    const body = {
      type: pick(type ?? VALID, 'recording.ready'),
      ...(envelopeExtra ?? {}),
      data: {
        callId,
        startedAt: '2026-11-20T10:00:00Z',
        direction: pick(d.direction, 'Outbound'),
        primaryUser: '234599484848423',
        parties: pick(d.parties, [{ name: pick(d.partyName, 'Ann Rep'), userId: '234599484848423' }, { phoneNumber: '+15551234567' }]),
        recording: { bucket: pick(d.bucket, 'recordings'), key: pick(d.key, `fuzz/${d.n}.wav`) },
        ...(d.context === null ? {} : { context: d.context }),
        ...(d.customData === null ? {} : { customData: d.customData }),
        ...(d.title === null ? {} : { title: d.title }),
        ...(d.extra ?? {}),
      },
    };
    return { route: 'generic' as const, rawBody: spliceJson(body), callId };
  });
}

export function twilioDelivery(accountSid: string): fc.Arbitrary<Delivery> {
  const fields = fc.record({
    n: nonce(),
    r: nonce(),
    account: maybe(valid, fc.oneof(hostileText(), fc.constant(`AC${'0'.repeat(32)}`)), 2),
    callSid: maybe(valid, hostileText()),
    recordingSid: maybe(valid, hostileText()),
    status: fc.oneof({ arbitrary: fc.constant('completed'), weight: 4 }, { arbitrary: fc.constantFrom('absent', 'failed', 'in-progress'), weight: 1 }, { arbitrary: hostileText(), weight: 1 }),
    url: maybe(valid, hostileText()),
    optional: sometimes(fc.dictionary(fc.constantFrom('RecordingDuration', 'RecordingChannels', 'RecordingStartTime', 'RecordingSource', 'RecordingTrack', 'ErrorCode', 'X-Unknown'), hostileText(), { maxKeys: 3 }), 3),
  });
  return dropSome(fields, ['url']).map((f) => {
    const callSid = pick(f.callSid, `CA${f.n}`) as string;
    const recordingSid = pick(f.recordingSid, `RE${f.r}`) as string;
    const params: Array<[string, string]> = [
      ['AccountSid', pick(f.account, accountSid) as string],
      ['CallSid', callSid],
      ['RecordingSid', recordingSid],
      ['RecordingStatus', f.status],
      ...(f.url === undefined ? [] : [['RecordingUrl', pick(f.url, `https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid}`) as string] as [string, string]]),
      ...Object.entries(f.optional ?? {}),
    ];
    return { route: 'twilio' as const, params };
  });
}

/** A key that is a recording with a fresh name, or anything hostile (raw: SNS keys arrive URL-encoded). */
const s3Key = (n: string, i: number, encode: boolean) => (k: unknown) => (k === VALID ? (encode ? encodeS3Key(`fuzz/${n} ${i}.wav`) : `fuzz/${n} ${i}.wav`) : k);

export function snsDelivery(): fc.Arbitrary<Delivery> {
  const record = fc.record({ key: maybe(valid, fc.oneof(hostileText(), hostileJson())), bucket: maybe(valid, fc.oneof(hostileText(), fc.constant('secret'))), event: maybe(valid, hostileText()) });
  return fc
    .record({ n: nonce(), records: fc.array(record, { minLength: 1, maxLength: 3 }), messageKind: fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: hostileJson(), weight: 1 }), envelope: sometimes(unknownFields(), 4) })
    .map((d) => {
      const message = pick(d.messageKind, {
        Records: d.records.map((r, i) => ({ eventName: pick(r.event, 'ObjectCreated:Put'), s3: { bucket: { name: pick(r.bucket, 'recordings') }, object: { key: s3Key(d.n, i, true)(r.key), size: 1024 } } })),
      });
      return { route: 'sns' as const, message: typeof message === 'string' ? message : spliceJson(message), envelope: d.envelope ?? {} };
    });
}

export function eventBridgeDelivery(): fc.Arbitrary<Delivery> {
  return fc
    .record({ n: nonce(), key: maybe(valid, fc.oneof(hostileText(), hostileJson())), bucket: maybe(valid, fc.oneof(hostileText(), fc.constant('secret'))), extra: sometimes(unknownFields(), 4) })
    .map((d) => ({ route: 'eventbridge' as const, rawBody: spliceJson(eventBridgeEvent(pick(d.bucket, 'recordings'), s3Key(d.n, 0, false)(d.key), d.extra ?? {})) }));
}
