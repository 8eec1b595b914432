import { connectContactCall } from '../../src/sources/connect/connect-contact-call.js';
import { parseGenesysKey } from '../../src/sources/genesys/genesys-key.js';
import { genesysMetadataCall } from '../../src/sources/genesys/genesys-metadata-call.js';
import { callFromObjectMetadata } from '../../src/sources/s3-sidecar/object-metadata-call.js';
import { DetailsInvalidError, DetailsPendingError } from '../../src/calls/details-errors.js';

describe('Amazon Connect contacts', () => {
  const contact = {
    Id: 'c-1',
    InitiationMethod: 'OUTBOUND' as const,
    InitiationTimestamp: new Date('2026-11-20T10:00:00Z'),
    DisconnectTimestamp: new Date('2026-11-20T10:01:30Z'),
    CustomerEndpoint: { Type: 'TELEPHONE_NUMBER' as const, Address: '+15550002222' },
  };
  const agent = { Username: 'bob', IdentityInfo: { Email: 'bob@acme.com', FirstName: 'Bob' } };

  it('maps direction, start, duration, the customer on the left channel and the agent on the right', () => {
    expect(connectContactCall(contact, agent)).toEqual({
      call: {
        actualStart: '2026-11-20T10:00:00.000Z',
        direction: 'Outbound',
        duration: 90,
        parties: [{ phoneNumber: '+15550002222', mediaChannelId: 0 }, { name: 'Bob', emailAddress: 'bob@acme.com', mediaChannelId: 1 }],
      },
      rep: { email: 'bob@acme.com', identities: ['bob', 'bob@acme.com'] },
    });
  });

  it.each([
    ['INBOUND', 'Inbound'],
    ['CALLBACK', 'Outbound'],
    ['API', 'Outbound'],
    ['TRANSFER', 'Unknown'],
    ['QUEUE_TRANSFER', 'Unknown'],
  ] as const)('maps InitiationMethod %s to %s', (method, direction) => {
    expect(connectContactCall({ ...contact, InitiationMethod: method }, agent).call.direction).toBe(direction);
  });

  it('waits while the contact has no start, and does without an agent', () => {
    expect(() => connectContactCall({ ...contact, InitiationTimestamp: undefined }, agent)).toThrow(DetailsPendingError);
    expect(connectContactCall(contact, undefined).rep).toBeUndefined();
  });
});

describe('Genesys Cloud export metadata', () => {
  const key = parseGenesysKey('org/year=2026/month=11/day=20/hour=9/conversation_id=c-1/r-1.opus')!;

  it('reads times, direction, the customer number and the users', () => {
    const details = genesysMetadataCall(
      { mediaType: 'Call', userIds: ['u-1', 'u-2'], conversationStartTime: '2026-11-20T09:10:00Z', conversationEndTime: '2026-11-20T09:12:00Z', direction: 'outbound', dnis: 'tel:+15550003333' },
      key,
    );
    expect(details).toEqual({
      call: { actualStart: '2026-11-20T09:10:00.000Z', direction: 'Outbound', duration: 120, parties: [{ phoneNumber: '+15550003333' }] },
      rep: { identities: ['u-1', 'u-2'] },
    });
  });

  it("falls back to the folder's hour when the file names no start", () => {
    expect(genesysMetadataCall({ mediaType: 'Call' }, key).call).toEqual({ actualStart: '2026-11-20T09:00:00.000Z', direction: 'Unknown', parties: [] });
  });

  it('refuses recordings that are not calls (screen, chat, email)', () => {
    expect(() => genesysMetadataCall({ mediaType: 'Screen' }, key)).toThrow(DetailsInvalidError);
  });
});

describe('x-amz-meta-* descriptions', () => {
  it('is not a description without started-at', () => {
    expect(callFromObjectMetadata({ direction: 'inbound' }, 's3://b/k')).toBeUndefined();
  });

  it('reads the documented fields; a numeric rep is the Gong user id, an email is looked up, anything else goes through the map', () => {
    const base = { 'started-at': '2026-11-20T10:00:00Z', direction: 'Inbound', 'customer-number': '+15550004444', title: 'Support', 'duration-seconds': '61.5' };
    expect(callFromObjectMetadata({ ...base, rep: '123' }, 'w')).toEqual({
      call: { actualStart: '2026-11-20T10:00:00Z', direction: 'Inbound', title: 'Support', duration: 61.5, primaryUser: '123', parties: [{ phoneNumber: '+15550004444' }, { userId: '123' }] },
    });
    expect(callFromObjectMetadata({ ...base, rep: 'ann@acme.com' }, 'w')?.rep).toEqual({ email: 'ann@acme.com', identities: ['ann@acme.com'] });
    expect(callFromObjectMetadata({ ...base, rep: 'ext-100' }, 'w')?.rep).toEqual({ identities: ['ext-100'] });
  });

  it('names every invalid field', () => {
    expect(() => callFromObjectMetadata({ 'started-at': 'yesterday', direction: 'sideways' }, 's3://b/k')).toThrow(/started-at.*direction/);
  });
});
