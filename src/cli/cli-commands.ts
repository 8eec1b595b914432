import type { Queue } from 'bullmq';
import { JobNotFoundError } from '../admin/admin-errors.js';
import type { ListableState } from '../admin/job-row.js';
import { listJobs } from '../admin/list-jobs.js';
import { replayJob } from '../admin/replay-job.js';
import { replayMany } from '../admin/replay-many.js';
import { showCall } from '../admin/show-call.js';
import type { CallJobData } from '../queue/call-job.js';
import { jobIdForCall } from '../queue/job-id.js';
import { formatTable } from './format-table.js';

/** Exit codes: 0 everything done, 1 something asked for could not be done, 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where a command writes: stdout for results (pipe-able), stderr for problems. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** A command line that parses but does not make sense (e.g. job ids together with --all-failed). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface JobsOptions {
  state: ListableState;
  limit: number;
  since?: Date;
  reason?: string;
  tenant?: string;
  json: boolean;
}

export async function jobsCommand(queue: Queue<CallJobData>, options: JobsOptions, io: CliIo): Promise<number> {
  const rows = await listJobs(queue, options);
  if (options.json) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.err(`No ${options.state} jobs${options.reason || options.since ? ' match' : ''}.`);
    return EXIT.ok;
  }
  const table = formatTable(
    ['CALL ID', 'CLASS', 'ATTEMPTS', 'FINISHED', 'REASON'],
    rows.map((r) => [r.callId, r.failureClass ?? '-', String(r.attemptsMade), r.finishedOn ?? '-', r.failedReason ?? '-']),
  );
  io.out(table);
  return EXIT.ok;
}

export interface ReplayOptions {
  allFailed: boolean;
  since?: Date;
  reason?: string;
  dryRun: boolean;
  /** With --all-failed: only this tenant's jobs; with call ids: the tenant whose job ids they make. */
  tenant?: string;
  json: boolean;
}

/** `replay <id...>` (job ids as `jobs --json` prints them, or call ids) or `replay --all-failed [filters]`. */
export async function replayCommand(queue: Queue<CallJobData>, ids: string[], options: ReplayOptions, io: CliIo): Promise<number> {
  checkReplayUsage(ids, options);
  return options.allFailed ? replayAll(queue, options, io) : replayListed(queue, ids, io, options.tenant);
}

/** Throws {@link UsageError} for a replay command line that does not make sense; checked before connecting. */
export function checkReplayUsage(ids: string[], options: ReplayOptions): void {
  if (options.allFailed && ids.length > 0) throw new UsageError('give job ids or --all-failed, not both');
  if (!options.allFailed && ids.length === 0) throw new UsageError('give the job ids to replay, or --all-failed (with --since/--reason to narrow it)');
  if (!options.allFailed && (options.since || options.reason || options.dryRun)) throw new UsageError('--since, --reason and --dry-run go with --all-failed');
}

async function replayListed(queue: Queue<CallJobData>, ids: string[], io: CliIo, tenant?: string): Promise<number> {
  let failed = 0;
  for (const id of ids) {
    try {
      const result = await replayJob(queue, await resolveJobId(queue, id, tenant));
      io.out(`replayed ${result.jobId}${result.resumesGongCallId ? ` (resumes Gong call ${result.resumesGongCallId}: upload only)` : ''}`);
    } catch (error) {
      failed += 1;
      io.err(`${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}

async function replayAll(queue: Queue<CallJobData>, options: ReplayOptions, io: CliIo): Promise<number> {
  const result = await replayMany(queue, { dryRun: options.dryRun, since: options.since, reason: options.reason, tenant: options.tenant });
  if (options.json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    if (result.jobs.length > 0) {
      io.out(formatTable(['JOB ID', 'CLASS', 'RESUMES'], result.jobs.map((j) => [j.jobId, j.failureClass, j.resumes ? 'yes' : 'no'])));
    }
    io.out(
      options.dryRun
        ? `${result.matched} failed job(s) match; dry run: nothing replayed.`
        : `Replayed ${result.replayed} of ${result.matched} matching failed job(s).`,
    );
  }
  for (const e of result.errors) io.err(`${e.jobId}: ${e.error}`);
  return result.errors.length > 0 ? EXIT.failed : EXIT.ok;
}

export async function showCommand(queue: Queue<CallJobData>, callId: string, io: CliIo, tenant?: string): Promise<number> {
  try {
    io.out(JSON.stringify(await showCall(queue, callId, tenant), null, 2));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof JobNotFoundError)) throw error;
    io.err(error.message);
    return EXIT.failed;
  }
}

/** A job id as listed, or else a call id: `call-…` ids are tried as they are first. */
async function resolveJobId(queue: Queue<CallJobData>, id: string, tenant?: string): Promise<string> {
  if ((id.startsWith('call-') || id.startsWith('t-')) && (await queue.getJob(id))) return id;
  return (await queue.getJob(jobIdForCall(id, tenant))) ? jobIdForCall(id, tenant) : id;
}
