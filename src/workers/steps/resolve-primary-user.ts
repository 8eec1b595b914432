import type { UserDirectory } from '../../gong/user-directory.js';
import type { CallDetails } from '../../calls/call-details.js';
import { UnknownRepError } from '../../calls/details-errors.js';
import type { IdentityMap } from '../../calls/identity-map.js';
import type { RepHints } from '../../calls/rep-hints.js';

export interface RepResolution {
  directory: UserDirectory;
  identityMap?: IdentityMap;
  /** GONG_DEFAULT_PRIMARY_USER: a Gong user id or email for calls whose rep is not otherwise known. */
  defaultPrimaryUser?: string;
}

const isUserId = (value: string) => /^\d{1,20}$/.test(value);

/**
 * Makes sure the call has a Gong user id as `primaryUser` and that this user is among the parties, as Gong
 * requires. Tried in order: the id given, the rep's email, each vendor identity through the user map, the default.
 */
export async function resolvePrimaryUser(call: CallDetails, rep: RepHints | undefined, deps: RepResolution): Promise<CallDetails> {
  const tried: string[] = [];
  /** A user id as is, or an email through the directory; the email is kept only when it found the user. */
  const resolve = async (idOrEmail: string): Promise<{ userId: string; email?: string } | undefined> => {
    if (isUserId(idOrEmail)) return { userId: idOrEmail };
    tried.push(idOrEmail);
    const userId = await deps.directory.userIdForEmail(idOrEmail);
    return userId ? { userId, email: idOrEmail } : undefined;
  };

  let found: { userId: string; email?: string } | undefined = call.primaryUser ? { userId: call.primaryUser } : undefined;
  if (!found && rep?.email) found = await resolve(rep.email);
  /** The vendor identity that found the rep: the party carrying it is the rep's (their line, their client name). */
  let foundBy: string | undefined;
  for (const identity of rep?.identities ?? []) {
    if (found) break;
    tried.push(identity);
    const mapped = deps.identityMap?.lookup(identity);
    if (mapped) found = await resolve(mapped);
    if (found) foundBy = identity;
  }
  if (!found && deps.defaultPrimaryUser) found = await resolve(deps.defaultPrimaryUser);
  if (!found) {
    throw new UnknownRepError(`No Gong user found for the rep (tried: ${tried.length ? [...new Set(tried)].join(', ') : 'nothing: the call names no rep'})`);
  }
  return { ...call, primaryUser: found.userId, parties: withPrimaryUser(call.parties, found.userId, found.email, foundBy) };
}

/**
 * Marks the rep's party with the user id (matched by id, by email, or by the vendor identity that found the user),
 * keeping every identity the party already has (number, name, channel) so Gong can match the rep's line; adds a
 * party only when the rep is not listed.
 */
function withPrimaryUser(parties: CallDetails['parties'], userId: string, email: string | undefined, identity: string | undefined): CallDetails['parties'] {
  if (parties.some((p) => p.userId === userId)) return parties;
  let index = email ? parties.findIndex((p) => p.emailAddress?.toLowerCase() === email.toLowerCase()) : -1;
  if (index < 0 && identity) index = parties.findIndex((p) => !p.userId && carriesIdentity(p, identity));
  if (index >= 0) return parties.map((p, i) => (i === index ? { ...p, userId, ...(email && !p.emailAddress ? { emailAddress: email } : {}) } : p));
  return [...parties, { userId, ...(email ? { emailAddress: email } : {}) }];
}

/** A party made from a vendor identity: `+1555…` is its phone number, `client:ann` its name, an email its address. */
function carriesIdentity(party: CallDetails['parties'][number], identity: string): boolean {
  if (identity.startsWith('client:')) return party.name === identity.slice('client:'.length);
  if (identity.includes('@')) return party.emailAddress?.toLowerCase() === identity.toLowerCase();
  return party.phoneNumber === identity;
}
