/**
 * What each vendor's intake leaves its resolver, by resolver name: the intake writes these into the job and the
 * worker's resolver reads them back, possibly weeks later (jobs are kept and replayed), so the keys are a contract.
 * queue/call-job-schema.ts checks them when a worker takes the job.
 */

/** Twilio's recording callback: the ids that find the call, and the recording facts the Calls resource lacks. */
export interface TwilioHints {
  accountSid: string;
  callSid: string;
  recordingSid: string;
  /** RecordingChannels: '1' or '2'. */
  channels?: string;
  /** RecordingSource, e.g. 'DialVerb'. */
  source?: string;
  /** RecordingTrack: 'inbound', 'outbound' or 'both'. */
  track?: string;
  recordingStartTime?: string;
  /** Seconds, as Twilio sends them. */
  recordingDuration?: string;
}

/** An Amazon Connect recording: the contact read through Connect's API. */
export interface ConnectHints {
  contactId: string;
}

/** A Genesys Cloud export: the metadata file lies beside the recording. */
export interface GenesysHints {
  bucket: string;
  key: string;
  conversationId: string;
  recordingId: string;
}

/** Any other S3 recording: a sidecar JSON or the object's own metadata. */
export interface SidecarHints {
  bucket: string;
  key: string;
}

/**
 * When the source cannot describe the call at intake (metadata lives in the vendor's API or in a file beside the
 * recording), the worker asks the named resolver; a resolver may say "not yet" and the job retries with backoff.
 */
export type PendingDetails =
  | { resolver: 'twilio'; hints: TwilioHints }
  | { resolver: 'connect'; hints: ConnectHints }
  | { resolver: 'genesys'; hints: GenesysHints }
  | { resolver: 's3-sidecar'; hints: SidecarHints };

export type ResolverName = PendingDetails['resolver'];

/** The hints a resolver was given, typed by its name. */
export type HintsOf<R extends ResolverName> = Extract<PendingDetails, { resolver: R }>['hints'];
