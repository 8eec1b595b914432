/**
 * The one job schema every phone-system source produces and the one worker consumes. Job data lives in clear text
 * in Redis, so it carries identifiers and metadata only: never credentials, never recording bytes.
 */

export const CALL_QUEUE_NAME = 'calls';
export const CALL_JOB_NAME = 'ingest-call';

export type CallDirection = 'Inbound' | 'Outbound' | 'Conference' | 'Unknown';

/** A participant, in Gong's own field names. */
export interface CallParty {
  name?: string;
  emailAddress?: string;
  phoneNumber?: string;
  userId?: string;
  partyId?: string;
  /** 0 = left, 1 = right channel of a stereo recording. */
  mediaChannelId?: number;
}

/** What Gong needs to know about the call, in Gong's own field names (see `POST /v2/calls`). */
export interface CallDetails {
  actualStart: string;
  direction: CallDirection;
  /** A Gong user id. May be missing at intake when the rep is known only by email or vendor identity (see `rep`). */
  primaryUser?: string;
  parties: CallParty[];
  title?: string;
  purpose?: string;
  disposition?: string;
  scheduledStart?: string;
  scheduledEnd?: string;
  duration?: number;
  workspaceId?: string;
  languageCode?: string;
  meetingUrl?: string;
  customData?: string;
  callProviderCode?: string;
  context?: unknown[];
}

/** Where the audio is. Only a pointer: the worker opens it when it uploads. */
export interface S3RecordingRef {
  kind: 's3';
  bucket: string;
  key: string;
}
/** A vendor-hosted recording, fetched with the vendor's credentials, only from the vendor's configured API origin. */
export interface UrlRecordingRef {
  kind: 'url';
  /** Which vendor's credentials and origin apply, e.g. 'twilio'. */
  vendor: string;
  url: string;
}
export type RecordingRef = S3RecordingRef | UrlRecordingRef;

/** Who the rep is when the source does not know the Gong user id; resolved by the worker (and again on replay). */
export interface RepHints {
  /** A Gong user's email, looked up with GET /v2/users. */
  email?: string;
  /** Vendor-side identities (E.164 numbers, `client:ann`, Connect user names, emails) tried against USER_MAP_FILE. */
  identities?: string[];
}

/**
 * When the source cannot describe the call at intake (metadata lives in the vendor's API or in a file beside the
 * recording), the worker asks the named resolver; a resolver may say "not yet" and the job retries with backoff.
 */
export interface PendingDetails {
  resolver: string;
  hints: Record<string, string>;
}

/** What the worker has already done, saved on the job after each step so a re-run resumes instead of repeating. */
export interface CallJobCheckpoint {
  /** Set as soon as Gong has answered the create; its presence means "never POST /calls again". */
  gongCallId?: string;
  /** Set once Gong holds the media. */
  mediaUploadedAt?: string;
  /** How often Gong answered this job with 429; bounded so a job cannot wait forever. */
  rateLimitedWaits?: number;
}

export interface CallJobData extends CallJobCheckpoint {
  schemaVersion: 1;
  /** Which source made the job ('generic', 'twilio', ...); a metric label, so a small fixed set. */
  source: string;
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
