import type { CallDetails } from './call-details.js';
import type { RecordingRef } from './recording-ref.js';
import type { RepHints } from './rep-hints.js';

/**
 * When the source cannot describe the call at intake (metadata lives in the vendor's API or in a file beside the
 * recording), the worker asks the named resolver; a resolver may say "not yet" and the job retries with backoff.
 */
export interface PendingDetails {
  resolver: string;
  hints: Record<string, string>;
}

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
