import type { UserDirectory } from '../../src/gong/user-directory.js';
import type { CallDetails } from '../../src/calls/call-details.js';
import { UnknownRepError } from '../../src/calls/details-errors.js';
import { resolvePrimaryUser } from '../../src/workers/steps/resolve-primary-user.js';

const directory: UserDirectory = {
  userIdForEmail: async (email) => ({ 'ann@acme.com': '111', 'bob@acme.com': '222' })[email.toLowerCase()],
};
const call = (overrides: Partial<CallDetails> = {}): CallDetails => ({
  actualStart: '2026-11-20T10:00:00Z',
  direction: 'Inbound',
  parties: [{ name: 'Ann', emailAddress: 'Ann@acme.com' }, { phoneNumber: '+15551234567' }],
  ...overrides,
});

describe("finding the rep's Gong user id", () => {
  it('keeps a primary user id that is already among the parties', async () => {
    const given = call({ primaryUser: '111', parties: [{ userId: '111' }] });
    expect(await resolvePrimaryUser(given, undefined, { directory })).toEqual(given);
  });

  it("resolves the rep's email and marks the party with that email", async () => {
    const resolved = await resolvePrimaryUser(call(), { email: 'ann@acme.com' }, { directory });
    expect(resolved.primaryUser).toBe('111');
    expect(resolved.parties[0]).toEqual({ name: 'Ann', emailAddress: 'Ann@acme.com', userId: '111' });
    expect(resolved.parties).toHaveLength(2);
  });

  it('maps vendor identities through the user map, to an email or an id, in order', async () => {
    const identityMap = { lookup: (id: string) => ({ 'client:bob': 'bob@acme.com', '+15550000000': '333' })[id] };
    expect((await resolvePrimaryUser(call(), { identities: ['client:nobody', 'client:bob'] }, { directory, identityMap })).primaryUser).toBe('222');
    const byNumber = await resolvePrimaryUser(call(), { identities: ['+15550000000'] }, { directory, identityMap });
    expect(byNumber.primaryUser).toBe('333');
    expect(byNumber.parties).toContainEqual({ userId: '333' });
  });

  it("when a vendor identity found the rep, then the party carrying it gets the user id and keeps its number, name and channel", async () => {
    const identityMap = { lookup: (id: string) => ({ '+15550001111': 'ann@acme.com', 'client:bob': '222' })[id] };
    const line = call({ parties: [{ phoneNumber: '+15557654321', mediaChannelId: 0 }, { phoneNumber: '+15550001111', mediaChannelId: 1 }] });
    const byNumber = await resolvePrimaryUser(line, { identities: ['+15550001111'] }, { directory, identityMap });
    expect(byNumber.parties).toEqual([{ phoneNumber: '+15557654321', mediaChannelId: 0 }, { phoneNumber: '+15550001111', mediaChannelId: 1, userId: '111', emailAddress: 'ann@acme.com' }]);
    const client = call({ parties: [{ phoneNumber: '+15557654321' }, { name: 'bob' }] });
    const byClient = await resolvePrimaryUser(client, { identities: ['client:bob'] }, { directory, identityMap });
    expect(byClient.parties).toEqual([{ phoneNumber: '+15557654321' }, { name: 'bob', userId: '222' }]);
  });

  it('falls back to the default primary user', async () => {
    expect((await resolvePrimaryUser(call(), { identities: ['client:x'] }, { directory, defaultPrimaryUser: 'bob@acme.com' })).primaryUser).toBe('222');
  });

  it('fails naming every identity tried when nobody is found', async () => {
    const attempt = resolvePrimaryUser(call(), { email: 'ghost@acme.com', identities: ['client:ghost', '+15559999999'] }, { directory });
    await expect(attempt).rejects.toThrow(UnknownRepError);
    await expect(attempt).rejects.toThrow('tried: ghost@acme.com, client:ghost, +15559999999');
  });
});

describe('the default primary user', () => {
  it("does not take over the party of a rep whose email Gong does not know", async () => {
    const agent = { name: 'Zed', emailAddress: 'zed@acme.com' };
    const resolved = await resolvePrimaryUser(call({ parties: [agent] }), { email: 'zed@acme.com' }, { directory, defaultPrimaryUser: '999' });
    expect(resolved.primaryUser).toBe('999');
    expect(resolved.parties).toEqual([agent, { userId: '999' }]);
  });
});
