import type { UserDirectory } from '../../gong/user-directory.js';
import type { CallDetails, RepHints } from '../../queue/call-job.js';
import { UnknownRepError } from '../call-details-errors.js';

/** Vendor-side identities (E.164 numbers, `client:ann`, agent user names, emails) to a Gong email or user id. */
export interface IdentityMap {
  lookup(identity: string): string | undefined;
}

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
  for (const identity of rep?.identities ?? []) {
    if (found) break;
    tried.push(identity);
    const mapped = deps.identityMap?.lookup(identity);
    if (mapped) found = await resolve(mapped);
  }
  if (!found && deps.defaultPrimaryUser) found = await resolve(deps.defaultPrimaryUser);
  if (!found) {
    throw new UnknownRepError(`No Gong user found for the rep (tried: ${tried.length ? [...new Set(tried)].join(', ') : 'nothing: the call names no rep'})`);
  }
  return { ...call, primaryUser: found.userId, parties: withPrimaryUser(call.parties, found.userId, found.email) };
}

/** Marks the rep's party with the user id (matched by id or email), or adds one when the rep is not listed. */
function withPrimaryUser(parties: CallDetails['parties'], userId: string, email: string | undefined): CallDetails['parties'] {
  if (parties.some((p) => p.userId === userId)) return parties;
  const index = email ? parties.findIndex((p) => p.emailAddress?.toLowerCase() === email.toLowerCase()) : -1;
  if (index >= 0) return parties.map((p, i) => (i === index ? { ...p, userId } : p));
  return [...parties, { userId, ...(email ? { emailAddress: email } : {}) }];
}
