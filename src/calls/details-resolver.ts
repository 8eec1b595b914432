import type { CallDetails } from './call-details.js';
import { DetailsInvalidError } from './details-errors.js';
import type { HintsOf, PendingDetails, ResolverName } from './pending-details.js';
import type { RecordingRef } from './recording-ref.js';
import type { RepHints } from './rep-hints.js';

/** What a resolver is given: the part of a job that says which call it is and where to look. */
export interface DetailsRequest {
  clientUniqueId: string;
  recording: RecordingRef;
  pendingDetails?: PendingDetails;
  rep?: RepHints;
}

export interface CompletedDetails {
  call: CallDetails;
  rep?: RepHints;
}

/**
 * Looks up a call's metadata where it lives (a vendor API, a file beside the recording). Throws
 * DetailsPendingError while it has not arrived yet, DetailsInvalidError when it never will do.
 */
export type DetailsResolver = (request: DetailsRequest) => Promise<CompletedDetails>;

/** The hints a resolver reads from its request; a job sent to the wrong resolver is invalid, not a crash. */
export function hintsFor<R extends ResolverName>(request: DetailsRequest, resolver: R): HintsOf<R> {
  const pending = request.pendingDetails;
  if (pending?.resolver !== resolver) throw new DetailsInvalidError(`The job's call details are not for the ${resolver} resolver`);
  return pending.hints as HintsOf<R>;
}
