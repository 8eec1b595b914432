import { z } from 'zod';
import type { CallJobData } from './call-job.js';
import { JobContractError } from './job-contract-error.js';
import { zodFieldProblems } from '../validation/field-problems.js';
import { TENANT_ID_PATTERN } from '../tenants/tenant-id.js';

/**
 * The job contract, checked when a worker takes a job. Jobs live 7–30 days in Redis and are replayed, so a job may
 * have been written by an older (or newer) version: a shape this version cannot read fails at once, naming the
 * field, instead of failing somewhere in the middle of the upload. Unknown keys are allowed (and kept: the worker
 * goes on with `job.data` itself), so that a field added later does not fail jobs an older worker takes.
 */
export const CALL_JOB_SCHEMA_VERSION = 1;

const text = z.string();
const optionalText = z.string().optional();

const callParty = z.object({
  name: optionalText,
  emailAddress: optionalText,
  phoneNumber: optionalText,
  userId: optionalText,
  partyId: optionalText,
  mediaChannelId: z.number().optional(),
});

const callDetails = z.object({
  actualStart: text,
  direction: z.enum(['Inbound', 'Outbound', 'Conference', 'Unknown']),
  primaryUser: optionalText,
  parties: z.array(callParty),
  title: optionalText,
  purpose: optionalText,
  disposition: optionalText,
  scheduledStart: optionalText,
  scheduledEnd: optionalText,
  duration: z.number().optional(),
  workspaceId: optionalText,
  languageCode: optionalText,
  meetingUrl: optionalText,
  customData: optionalText,
  callProviderCode: optionalText,
  context: z.array(z.unknown()).optional(),
});

const bucketAndKey = { bucket: text, key: text };

/** Per resolver, the hints its intake writes (see calls/pending-details.ts). */
const pendingDetails = z.discriminatedUnion('resolver', [
  z.object({
    resolver: z.literal('twilio'),
    hints: z.object({
      accountSid: text,
      callSid: text,
      recordingSid: text,
      channels: optionalText,
      source: optionalText,
      track: optionalText,
      recordingStartTime: optionalText,
      recordingDuration: optionalText,
    }),
  }),
  z.object({ resolver: z.literal('connect'), hints: z.object({ contactId: text }) }),
  z.object({ resolver: z.literal('genesys'), hints: z.object({ ...bucketAndKey, conversationId: text, recordingId: text }) }),
  z.object({ resolver: z.literal('s3-sidecar'), hints: z.object(bucketAndKey) }),
]);

const recording = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('s3'), ...bucketAndKey }),
  z.object({ kind: z.literal('url'), vendor: text, url: text }),
]);

export const callJobSchemaV1 = z.object({
  schemaVersion: z.literal(CALL_JOB_SCHEMA_VERSION),
  source: text,
  tenant: z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id').optional(),
  clientUniqueId: text.min(1),
  call: callDetails.optional(),
  pendingDetails: pendingDetails.optional(),
  rep: z.object({ email: optionalText, identities: z.array(text).optional() }).optional(),
  recording,
  receivedAt: text,
  intakeId: text,
  traceContext: z.object({ traceparent: optionalText, tracestate: optionalText }).optional(),
  import: z.object({ run: text, line: z.number() }).optional(),
  gongCallId: optionalText,
  mediaUploadedAt: optionalText,
  mediaUrlGivenAt: optionalText,
  rateLimitedWaits: z.number().int().nonnegative().optional(),
  lastFailure: z.object({ failureClass: text, requestId: optionalText, reason: text }).optional(),
});

/** Compile-time: the schema and the `CallJobData` type describe the same job (fails to compile when they drift). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SCHEMA_MATCHES_TYPE: Same<z.infer<typeof callJobSchemaV1>, CallJobData> = true;

/** Throws {@link JobContractError} unless `data` is a job this version can run. */
export function checkCallJob(data: unknown): asserts data is CallJobData {
  const version = typeof data === 'object' && data !== null ? (data as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== CALL_JOB_SCHEMA_VERSION) {
    throw new JobContractError(
      `The job has schemaVersion ${JSON.stringify(version) ?? 'missing'}, but this version of gong-ingest runs only version ${CALL_JOB_SCHEMA_VERSION} jobs; ` +
        'run it with the version that wrote it, or remove it (it was not sent to Gong)',
    );
  }
  const parsed = callJobSchemaV1.safeParse(data);
  if (!parsed.success) {
    throw new JobContractError(
      `The job's data is not a valid version ${CALL_JOB_SCHEMA_VERSION} job (written by hand or by a faulty version); fix the job's data or re-send the call`,
      zodFieldProblems(parsed.error, { whole: '(job)' }),
    );
  }
}
