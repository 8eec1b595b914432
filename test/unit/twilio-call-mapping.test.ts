import { twilioCallDetails, type TwilioCall } from '../../src/sources/twilio/twilio-call-mapping.js';
import { twilioAuthorization } from '../../src/sources/twilio/twilio-credentials.js';
import { DetailsInvalidError } from '../../src/calls/details-errors.js';

const call = (overrides: Partial<TwilioCall>): TwilioCall => ({
  sid: 'CA1',
  from: '+15557654321',
  to: '+15550001111',
  direction: 'inbound',
  start_time: 'Fri, 20 Nov 2026 10:00:00 +0000',
  duration: '30',
  ...overrides,
});
const dual = { channels: '2', source: 'DialVerb' };

describe("Twilio's call as Gong's call", () => {
  it.each([
    ['inbound', {}, 'Inbound', '+15550001111', '+15557654321'],
    ['outbound-api', { from: '+15550001111', to: '+15557654321' }, 'Outbound', '+15550001111', '+15557654321'],
    ['outbound-dial', { from: '+15550001111', to: '+15557654321' }, 'Outbound', '+15550001111', '+15557654321'],
    ['trunking-terminating', {}, 'Inbound', '+15550001111', '+15557654321'],
    ['trunking-originating', { from: '+15550001111', to: '+15557654321' }, 'Outbound', '+15550001111', '+15557654321'],
  ])('a %s call has the rep on the Twilio side, and both the customer and the rep (with their number) as parties', (direction, overrides, expected, rep, customer) => {
    const details = twilioCallDetails(call({ direction, ...overrides }), {});
    expect(details.call.direction).toBe(expected);
    expect(details.rep).toEqual({ identities: [rep] });
    expect(details.call.parties).toEqual([{ phoneNumber: customer }, { phoneNumber: rep }]);
  });

  it("when the rep calls from a browser client, then the rep's party keeps the client name and the other channel", () => {
    const details = twilioCallDetails(call({ from: 'client:ann', to: '+15557654321', direction: 'inbound' }), dual);
    expect(details.call.parties).toEqual([{ phoneNumber: '+15557654321', mediaChannelId: 1 }, { name: 'ann', mediaChannelId: 0 }]);
  });

  it('treats a call from a browser client as Outbound with the client as the rep, despite direction inbound', () => {
    const details = twilioCallDetails(call({ from: 'client:ann', to: '+15557654321', direction: 'inbound' }), {});
    expect(details.call.direction).toBe('Outbound');
    expect(details.rep).toEqual({ identities: ['client:ann'] });
  });

  it('leaves an unknown direction Unknown, trying both sides as the rep', () => {
    const details = twilioCallDetails(call({ direction: 'something-new' }), {});
    expect(details.call.direction).toBe('Unknown');
    expect(details.rep?.identities).toEqual(['+15557654321', '+15550001111']);
  });

  it('takes start_time as UTC ISO and prefers the recording duration', () => {
    const details = twilioCallDetails(call({}), { recordingDuration: '12' });
    expect(details.call).toMatchObject({ actualStart: '2026-11-20T10:00:00.000Z', duration: 12 });
  });

  it('fails for good without any start time', () => {
    expect(() => twilioCallDetails(call({ start_time: null }), {})).toThrow(DetailsInvalidError);
  });

  it('puts the customer on channel 0 when the parent call is theirs, 1 when they were dialed', () => {
    expect(twilioCallDetails(call({}), dual).call.parties[0]).toMatchObject({ mediaChannelId: 0 });
    const fromClient = twilioCallDetails(call({ from: 'client:ann', to: '+15557654321' }), dual);
    expect(fromClient.call.parties[0]).toEqual({ phoneNumber: '+15557654321', mediaChannelId: 1 });
    const apiCall = twilioCallDetails(call({ direction: 'outbound-api', from: '+15550001111', to: '+15557654321' }), dual);
    expect(apiCall.call.parties[0]).toMatchObject({ mediaChannelId: 0 });
  });

  it('sets no channel where Twilio does not say which leg is where', () => {
    for (const hints of [{ channels: '2', source: 'Conference' }, { channels: '2', source: 'StartCallRecordingAPI' }, { channels: '1', source: 'DialVerb' }, { ...dual, track: 'inbound' }]) {
      expect(twilioCallDetails(call({}), hints).call.parties[0]).not.toHaveProperty('mediaChannelId');
    }
    expect(twilioCallDetails(call({ parent_call_sid: 'CA0' }), dual).call.parties[0]).not.toHaveProperty('mediaChannelId');
  });
});

describe('Twilio credentials', () => {
  const decode = (header: string | undefined) => Buffer.from(header!.slice(6), 'base64').toString();
  it('prefers an API key pair, else the account SID and auth token, taking the account from the URL when not configured', () => {
    expect(decode(twilioAuthorization({ apiKeySid: 'SK1', apiKeySecret: 's', authToken: 't' }))).toBe('SK1:s');
    expect(decode(twilioAuthorization({ accountSid: 'AC1', authToken: 't' }, 'AC2'))).toBe('AC1:t');
    expect(decode(twilioAuthorization({ authToken: 't' }, `https://api.twilio.com/2010-04-01/Accounts/AC${'a'.repeat(32)}/Recordings/RE1.wav`))).toBe(`AC${'a'.repeat(32)}:t`);
    expect(twilioAuthorization({})).toBeUndefined();
  });
});
