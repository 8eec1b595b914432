import { DelayedError, WaitingError, type Job } from 'bullmq';
import type { GongClient } from '../gong/gong-client.js';
import { toNewCallRequest } from '../gong/map-call.js';
import type { Logger } from '../logging/logger.js';
import type { CallJobData, CallJobResult } from '../queue/call-job.js';
import { checkCallJob } from '../queue/call-job-schema.js';
import type { S3RecordingRef } from '../calls/recording-ref.js';
import type { OpenedRecording, RecordingInfo, RecordingStore } from '../storage/recording-store.js';
import { completeDetails } from './steps/complete-details.js';
import type { DetailsResolver } from '../calls/details-resolver.js';
import { resolvePrimaryUser, type RepResolution } from './steps/resolve-primary-user.js';
import { classifyFailure, type Classification } from './classify-failure.js';
import { jobFailureFor, lastFailureOf } from './job-failure.js';
import { ATTR } from '../telemetry/span-names.js';
import { DEFAULT_TENANT, tenantOf } from '../tenants/tenant-id.js';
import { TenantUnknownError } from '../tenants/tenant-errors.js';
import { openJobSpan, readRecordingSpan, recordingAttributes, withStepSpan, type JobSpan } from './trace-job.js';

export interface MediaDelivery {
  /** push: stream the bytes to Gong; pull: give Gong a pre-signed URL to fetch. @defaultValue 'push' */
  mode: 'push' | 'pull';
  presign?: (ref: S3RecordingRef, info: RecordingInfo, ttlSeconds: number) => Promise<string>;
  /** @defaultValue 21600 */
  pullUrlTtlSeconds: number;
}

export interface CallProcessorDeps {
  gong: GongClient;
  recordings: RecordingStore;
  logger: Logger;
  rep: RepResolution;
  media: MediaDelivery;
  /** Where sources that describe calls later (vendor APIs, sidecar files) look the details up, by name. */
  resolvers?: Readonly<Record<string, DetailsResolver>>;
  /** Told when Gong answers 429, so every worker holds back (see traffic/gong-traffic). */
  pauseGong?: (ms: number) => Promise<void>;
  /** 429 waits allowed per job before it fails (GONG_MAX_RATE_LIMITED_WAITS; its default is the settings schema's). */
  maxRateLimitedWaits: number;
  onUploaded?: (bytes: number) => void;
  /**
   * Called after each checkpoint is saved (REDIS_WAIT_REPLICAS): resolves once replicas hold it, or when they do not
   * in time (best effort: a checkpoint lost in a fail-over costs one more Gong request, which Gong's duplicate
   * answers make harmless, never a second call).
   */
  afterCheckpoint?: () => Promise<void>;
  /**
   * With TENANTS_FILE: each tenant's Gong client, limiter, recordings and rep look-up (these deps are the default
   * tenant's), and its dispatch slots. Without it every job is the default tenant's.
   */
  tenants?: TenantScopes;
}

/** The Gong side of the deps, for one tenant. */
export type TenantScopeDeps = Pick<CallProcessorDeps, 'gong' | 'recordings' | 'rep' | 'media' | 'pauseGong'>;

/** Per-tenant deps and dispatch slots (workers/tenant-runtimes.ts). */
export interface TenantScopes {
  /** A tenant's Gong scope; undefined when TENANTS_FILE has no such tenant (any more). Not for the default tenant. */
  get(tenant: string): Promise<TenantScopeDeps | undefined>;
  /** Reserves the tenant's next free slot and says how far from now it is (a job that cannot go is delayed there). */
  reserveSlot(tenant: string): Promise<number>;
}

/**
 * The use case, step by step. Each step's result is saved on the job before the next begins, so a run that dies
 * anywhere (crash, SIGKILL, lost lock) resumes from the last checkpoint:
 *   1. complete the call's details (from the source's resolver when they were not known at intake) and find the
 *      rep's Gong user id; save them;
 *   2. inspect the recording (allowed, exists, size, real format): before anything is created in Gong, so a bad
 *      recording never leaves an empty call behind;
 *   3. create the call, or recover its id from Gong's duplicate answer; save `gongCallId` at once;
 *   4. stream the recording into the call's media ("already handled" counts as done), or in pull mode hand Gong
 *      a pre-signed URL in step 3 instead (MEDIA_MODE=pull: one request per call, Gong must reach the store).
 */
export function createCallProcessor(deps: CallProcessorDeps) {
  return async function processCallJob(job: Job<CallJobData, CallJobResult>, token?: string, signal?: AbortSignal): Promise<CallJobResult> {
    // One span per attempt, in the trace of the webhook that made the job; its log lines carry the trace's ids.
    return openJobSpan(job, (span) => processAttempt(job, span, token, signal));
  };

  async function processAttempt(job: Job<CallJobData, CallJobResult>, span: JobSpan, token?: string, signal?: AbortSignal): Promise<CallJobResult> {
    const tenant = tenantOf(job.data);
    const log = deps.logger.child({ jobId: job.id, callId: job.data.clientUniqueId, source: job.data.source, attempt: job.attemptsMade + 1, ...(tenant === DEFAULT_TENANT ? {} : { tenant }) });
    try {
      // Before any step: a job this version cannot read fails now, naming the field, not halfway through.
      checkCallJob(job.data);
      const result = await runSteps(job, await depsForTenant(deps, tenant), log, signal);
      span.succeeded(result);
      return result;
    } catch (error) {
      if (signal?.aborted && token) {
        // Shutdown ran out of grace: give the job back now (no attempt counted), checkpoint and all, instead of
        // leaving it locked until the lock expires.
        await job.moveToWait(token);
        log.info({ gongCallId: job.data.gongCallId }, 'job handed back to the queue at shutdown');
        span.handedBack();
        throw new WaitingError();
      }
      const decision = classifyFailure(error, { rateLimitedWaits: job.data.rateLimitedWaits ?? 0, maxRateLimitedWaits: deps.maxRateLimitedWaits });
      span.failed(decision.failureClass, decision.action, job.data.gongCallId);
      const failure = jobFailureFor(decision, error);
      log.warn(
        { failureClass: decision.failureClass, action: decision.action, waitMs: decision.waitMs, gongCallId: job.data.gongCallId, requestId: decision.requestId },
        failure.message,
      );
      if (decision.action === 'wait' && token) await waitWithoutAttempt(job, token, decision, deps);
      // Best effort: when Redis itself failed, the save fails too, and the reason's prefix still names the class.
      await job.updateData({ ...job.data, lastFailure: lastFailureOf(failure) }).catch(() => undefined);
      throw failure;
    }
  }
}

/**
 * Puts the job back as delayed for `waitMs` (plus jitter, so a backlog does not wake all at once) and ends the
 * run with DelayedError, which BullMQ does not count as an attempt. A 429 also pauses every worker's Gong
 * requests, and is counted on the job so that the wait is bounded.
 */
async function waitWithoutAttempt(job: Job<CallJobData, CallJobResult>, token: string, decision: Classification, deps: CallProcessorDeps): Promise<never> {
  const tenant = tenantOf(job.data);
  // A tenant whose rate is taken by its own backlog: go behind that backlog, at the tenant's next free slot.
  const slotMs = decision.tenantSlot && deps.tenants ? await deps.tenants.reserveSlot(tenant) : 0;
  const waitMs = Math.max(decision.waitMs ?? 1_000, slotMs);
  if (decision.gongSaid429) {
    // The tenant's own pause: one company's 429 holds back only that company's requests.
    await (tenant === DEFAULT_TENANT || !deps.tenants ? deps : await deps.tenants.get(tenant))?.pauseGong?.(waitMs);
    await job.updateData({ ...job.data, rateLimitedWaits: (job.data.rateLimitedWaits ?? 0) + 1 });
  }
  const jitter = Math.floor(Math.random() * Math.min(30_000, waitMs * 0.1 + 250));
  await job.moveToDelayed(Date.now() + waitMs + jitter, token);
  throw new DelayedError();
}

/** The job's tenant's Gong scope over the shared deps; a tenant TENANTS_FILE no longer has fails the job (replayable). */
async function depsForTenant(deps: CallProcessorDeps, tenant: string): Promise<CallProcessorDeps> {
  if (tenant === DEFAULT_TENANT) return deps;
  const scope = await deps.tenants?.get(tenant);
  if (!scope) throw new TenantUnknownError(tenant);
  return { ...deps, ...scope };
}

async function runSteps(job: Job<CallJobData, CallJobResult>, deps: CallProcessorDeps, log: Logger, signal?: AbortSignal): Promise<CallJobResult> {
  // Imported calls ask the limiter in the import lane: they take only turns no live call is waiting for.
  const lane = job.data.import ? 'import' : 'live';
  const save = async (patch: Partial<CallJobData>) => {
    await job.updateData({ ...job.data, ...patch });
    await deps.afterCheckpoint?.();
  };
  if (job.data.gongCallId && (job.data.mediaUploadedAt || job.data.mediaUrlGivenAt)) {
    // Everything was done; only the completion was lost (the worker died between the last save and the end).
    return { gongCallId: job.data.gongCallId, bytes: 0, uploadMs: 0, mediaAlreadyHandled: true, mode: deps.media.mode };
  }

  let call = job.data.call;
  if (!job.data.gongCallId) {
    const resolved = await withStepSpan('user lookup', {}, async () => {
      const details = await completeDetails(job.data, deps.resolvers ?? {});
      return resolvePrimaryUser(details.call, details.rep, deps.rep);
    });
    if (JSON.stringify(resolved) !== JSON.stringify(job.data.call)) await save({ call: resolved });
    call = resolved;
  }
  const info = await withStepSpan('recording inspect', recordingAttributes(job.data.recording), async (span) => {
    const found = await deps.recordings.inspect(job.data.recording);
    span.setAttribute(ATTR.bytes, found.size);
    return found;
  });

  // Pull mode hands Gong the URL in the create request only; a call that already exists (created by a push-mode
  // run before the mode was switched) can get its media only by upload.
  const { recording } = job.data;
  const presign = deps.media.mode === 'pull' ? deps.media.presign : undefined;
  let gongCallId = job.data.gongCallId;
  if (!gongCallId) {
    const url = presign && recording.kind === 's3' ? await presign(recording, info, deps.media.pullUrlTtlSeconds) : undefined;
    // In push mode an upload follows: an import's create keeps the share's room for it (traffic-lane.ts).
    const reservation = url ? undefined : ({ id: job.id!, kind: 'reserve' } as const);
    const created = await deps.gong.createCall(toNewCallRequest(job.data.clientUniqueId, call!, url), { signal, lane, reservation });
    gongCallId = created.callId;
    log = log.child({ gongCallId, requestId: created.requestId });
    log.info({ recovered: created.recovered, downloadMediaUrl: Boolean(url) }, created.recovered ? 'gong call recovered from duplicate answer' : 'gong call created');
    if (url && !created.recovered) {
      // One request per call: Gong fetches the recording itself, no bytes pass through the service.
      await save({ gongCallId, mediaUrlGivenAt: new Date().toISOString() });
      return { gongCallId, bytes: info.size, uploadMs: 0, mediaAlreadyHandled: false, mode: 'pull' };
    }
    // A recovered call may have been created without the URL (push mode, before a switch, or an earlier attempt
    // whose answer was lost): upload, and let Gong's "already handled" answer say when it fetched the URL already.
    // If Gong is still fetching, the two may race; either way Gong ends up with the media, which a skipped
    // upload could not promise.
    await save({ gongCallId });
  } else {
    log = log.child({ gongCallId });
  }

  let opened: OpenedRecording | undefined;
  let started = Date.now();
  let uploaded;
  try {
    uploaded = await deps.gong.uploadMedia(
      gongCallId,
      async () => {
        // Called once the limiter lets the upload go, so the recording is not held open while it waits.
        opened = await readRecordingSpan(recordingAttributes(job.data.recording), () => deps.recordings.open(job.data.recording, info));
        started = Date.now();
        return { stream: opened.stream, size: opened.size, name: info.fileName, type: info.contentType };
      },
      { signal, lane, reservation: { id: job.id!, kind: 'use' } },
    );
  } finally {
    opened?.stream.destroy();
    await opened?.release?.();
  }
  const uploadMs = Date.now() - started;
  const bytes = opened?.size ?? info.size;
  await save({ gongCallId, mediaUploadedAt: new Date().toISOString() });
  if (!uploaded.alreadyHandled) deps.onUploaded?.(bytes);
  log.child({ requestId: uploaded.requestId }).info({ bytes, uploadMs, alreadyHandled: uploaded.alreadyHandled }, 'media uploaded');
  return { gongCallId, bytes, uploadMs, mediaAlreadyHandled: uploaded.alreadyHandled, mode: 'push' };
}
