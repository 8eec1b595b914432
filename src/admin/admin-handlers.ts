import type { Queue } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { ImportService } from '../import/import-service.js';
import type { CallJobData } from '../queue/call-job.js';
import { JobNotFoundError, JobNotReplayableError } from './admin-errors.js';
import type { FieldProblem } from '../validation/field-problems.js';
import { fieldProblems, listJobsQuery, replayManyBody, showCallQuery } from './admin-schemas.js';
import { listJobs } from './list-jobs.js';
import { replayJob } from './replay-job.js';
import { replayMany } from './replay-many.js';
import { showCall } from './show-call.js';
import type { TenantAdmin } from './tenant-overview.js';

/**
 * Admin handlers never see Express (as in bull-board): they take a small request and return `{status, body}`;
 * create-admin-router.ts maps them onto Express.
 */
export interface AdminRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  /** The parsed JSON body; undefined when none was sent. */
  body: unknown;
}

export interface AdminResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface AdminContext {
  queue: Queue<CallJobData>;
  logger: Logger;
  /** Historical imports (/admin/imports); absent where the process cannot run them. */
  imports?: ImportService;
  /** TENANTS_FILE's tenants (/admin/tenants); absent in a single-company deployment. */
  tenants?: TenantAdmin;
}

export type AdminHandler = (req: AdminRequest, ctx: AdminContext) => Promise<AdminResponse>;

/** More matched jobs than this are counted but not all listed in an HTTP answer. */
const MAX_LISTED_IN_ANSWER = 1000;

export const listJobsHandler: AdminHandler = async (req, { queue }) => {
  const query = listJobsQuery.safeParse(req.query);
  if (!query.success) return invalid(fieldProblems(query.error, 'query'));
  const jobs = await listJobs(queue, query.data);
  return { status: 200, body: { state: query.data.state, count: jobs.length, jobs } };
};

export const showCallHandler: AdminHandler = async (req, { queue }) => {
  const query = showCallQuery.safeParse(req.query);
  if (!query.success) return invalid(fieldProblems(query.error, 'query'));
  try {
    return { status: 200, body: { ...(await showCall(queue, req.params.callId ?? '', query.data.tenant)) } };
  } catch (error) {
    return errorAnswer(error);
  }
};

export const replayJobHandler: AdminHandler = async (req, { queue, logger }) => {
  try {
    const result = await replayJob(queue, req.params.jobId ?? '');
    logger.info({ ...result, via: 'admin api' }, 'failed job replayed');
    return { status: 202, body: { replayed: true, ...result } };
  } catch (error) {
    return errorAnswer(error);
  }
};

export const replayManyHandler: AdminHandler = async (req, { queue, logger }) => {
  // A bare POST must not replay everything by accident: `{}` says "every failed job" on purpose.
  if (req.body === undefined) return invalid([{ field: '(body)', problem: 'send a JSON object; {} replays every failed job' }]);
  const body = replayManyBody.safeParse(req.body);
  if (!body.success) return invalid(fieldProblems(body.error, 'body'));
  const result = await replayMany(queue, body.data);
  logger.info({ dryRun: result.dryRun, matched: result.matched, replayed: result.replayed, errors: result.errors.length, reason: body.data.reason, since: body.data.since, tenant: body.data.tenant, via: 'admin api' }, 'replay of failed jobs');
  return {
    status: body.data.dryRun ? 200 : 202,
    body: { ...result, jobs: result.jobs.slice(0, MAX_LISTED_IN_ANSWER), jobsTruncated: result.jobs.length > MAX_LISTED_IN_ANSWER },
  };
};

export function invalid(fields: FieldProblem[]): AdminResponse {
  return { status: 400, body: { error: 'invalid_request', message: 'The request is invalid', fields } };
}

/** The admin errors as answers; anything else is rethrown to the app's error handler (500). */
export function errorAnswer(error: unknown): AdminResponse {
  if (error instanceof JobNotFoundError) return { status: 404, body: { error: 'job_not_found', message: error.message, jobId: error.jobId } };
  if (error instanceof JobNotReplayableError) {
    return { status: 409, body: { error: 'job_not_replayable', message: error.message, jobId: error.jobId, state: error.state } };
  }
  throw error;
}
