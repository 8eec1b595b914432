import { DetailsInvalidError } from '../../calls/details-errors.js';
import type { CompletedDetails, DetailsResolver } from '../../calls/details-resolver.js';
import type { RepHints } from '../../calls/rep-hints.js';
import type { CallJobData } from '../../queue/call-job.js';

/** The call's details: as given at intake, or from the source's resolver. */
export async function completeDetails(data: CallJobData, resolvers: Readonly<Record<string, DetailsResolver>>): Promise<CompletedDetails> {
  if (data.call) return { call: data.call, rep: data.rep };
  const pending = data.pendingDetails;
  if (!pending) throw new DetailsInvalidError('The job has neither call details nor a way to find them');
  const resolve = resolvers[pending.resolver];
  if (!resolve) throw new DetailsInvalidError(`No resolver "${pending.resolver}" is configured for this job's call details`);
  const found = await resolve(data);
  return { call: found.call, rep: mergeRep(data.rep, found.rep) };
}

function mergeRep(a: RepHints | undefined, b: RepHints | undefined): RepHints | undefined {
  if (!a && !b) return undefined;
  const identities = [...(a?.identities ?? []), ...(b?.identities ?? [])];
  return { email: a?.email ?? b?.email, ...(identities.length ? { identities: [...new Set(identities)] } : {}) };
}
