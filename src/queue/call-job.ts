/**
 * The one job schema every phone-system source produces and the one worker consumes. Job data lives in clear text
 * in Redis, so it carries identifiers and metadata only: never credentials, never recording bytes.
 */

import type { CallDetails } from '../calls/call-details.js';
import type { PendingDetails } from '../calls/pending-details.js';
import type { RecordingRef } from '../calls/recording-ref.js';
import type { RepHints } from '../calls/rep-hints.js';

export const CALL_QUEUE_NAME = 'calls';
export const CALL_JOB_NAME = 'ingest-call';

/** What the worker has already done, saved on the job after each step so a re-run resumes instead of repeating. */
export interface CallJobCheckpoint {
  /** Set as soon as Gong has answered the create; its presence means "never POST /calls again". */
  gongCallId?: string;
  /** Set once Gong holds the media (push mode: Gong accepted the upload). */
  mediaUploadedAt?: string;
  /**
   * Pull mode: when Gong was given the pre-signed URL in the create request. Gong fetches the media later, on its
   * own; this says only that nothing is left for the service to do.
   */
  mediaUrlGivenAt?: string;
  /** How often Gong answered this job with 429; bounded so a job cannot wait forever. */
  rateLimitedWaits?: number;
  /** The class (and Gong's request id) of the last failure, read by the admin lists instead of the reason's text. */
  lastFailure?: LastFailureRecord;
}

/** See workers/job-failure: the class of the failure whose stored reason is `reason`. */
export interface LastFailureRecord {
  failureClass: string;
  requestId?: string;
  reason: string;
}

export interface CallJobData extends CallJobCheckpoint {
  schemaVersion: 1;
  /** Which source made the job ('generic', 'twilio', ...); a metric label, so a small fixed set. */
  source: string;
  /**
   * The Gong company (TENANTS_FILE tenant id) the call belongs to; absent for the default tenant (the environment's
   * settings), so jobs made before tenants existed are the default tenant's. Only the id: never its credentials.
   */
  tenant?: string;
  /** Gong's `clientUniqueId`: the phone system's call id, the key that makes redeliveries one job. */
  clientUniqueId: string;
  /** Known at intake, or filled in by the worker from `pendingDetails` (then saved as a checkpoint). */
  call?: CallDetails;
  pendingDetails?: PendingDetails;
  rep?: RepHints;
  recording: RecordingRef;
  /** When the webhook arrived (ISO-8601); end-to-end latency is measured from here. */
  receivedAt: string;
  /** Random per delivery: tells the producer whether its add created the job or found an existing one. */
  intakeId: string;
  /** The W3C trace context of the webhook that made the job (tracing on only), so the worker's spans join its trace. */
  traceContext?: { traceparent?: string; tracestate?: string };
  /** Set on jobs a historical import made: its run and the manifest line (or object number) the call came from. */
  import?: CallImportRef;
}

/** Where an imported call came from; its presence puts the job in the import lane (after every live call). */
export interface CallImportRef {
  run: string;
  line: number;
}

export interface CallJobResult {
  gongCallId: string;
  bytes: number;
  uploadMs: number;
  /** True when Gong already had the media (an earlier attempt's answer was lost). */
  mediaAlreadyHandled: boolean;
  /** push: the service streamed the bytes; pull: Gong was given a pre-signed URL. */
  mode: 'push' | 'pull';
}
