import { errorAnswer, type AdminHandler, type AdminResponse } from './admin-handlers.js';
import { replayJob } from './replay-job.js';
import { replayMany } from './replay-many.js';

/**
 * Bull Board's own retry resets no attempt counter and its "retry all" loads every failed job at once. These take
 * its place for the calls queue, so the board's Retry buttons replay exactly as the CLI and the admin API do.
 * Answers keep the board's shape (`{error}`), which its UI shows.
 */
export const boardRetryJobHandler: AdminHandler = async (req, { queue, logger }) => {
  try {
    const result = await replayJob(queue, req.params.jobId ?? '');
    logger.info({ ...result, via: 'bull board' }, 'failed job replayed');
    return { status: 204, body: {} };
  } catch (error) {
    const answer = errorAnswer(error);
    return { status: answer.status, body: { error: answer.body.message } };
  }
};

export const boardRetryAllHandler: AdminHandler = async (req, { queue, logger }) => {
  if (req.params.queueStatus !== 'failed') return { status: 400, body: { error: 'Only failed jobs are replayed' } };
  const result = await replayMany(queue, { dryRun: false });
  logger.info({ matched: result.matched, replayed: result.replayed, errors: result.errors.length, via: 'bull board' }, 'replay of failed jobs');
  return { status: 200, body: {} };
};

const CLEAN_BATCH = 1_000;

/** "Clean all" removes finished jobs only: cleaning waiting or delayed jobs would drop calls never sent to Gong. */
export const boardCleanAllHandler: AdminHandler = async (req, { queue, logger }) => {
  const status = req.params.queueStatus;
  if (status !== 'failed' && status !== 'completed') return refusedAnswer(`cleaning ${status} jobs drops calls not yet in Gong`);
  // As the board does, jobs that finished in the last 5 s stay; unlike it, in batches, so Redis is never blocked long.
  let removed = 0;
  let batch: number;
  do {
    batch = (await queue.clean(5_000, CLEAN_BATCH, status)).length;
    removed += batch;
  } while (batch === CLEAN_BATCH);
  logger.info({ status, removed, via: 'bull board' }, 'finished jobs cleaned');
  return { status: 200, body: {} };
};

const NOT_YET_IN_GONG = 'drops a call not yet in Gong';

/**
 * The board's per-job Clean (job.remove()) for a completed job only. Bull Board shows it on waiting, delayed and failed
 * jobs too, where one click would delete a call that is not in Gong: a failed one is replayed, not removed.
 */
export const boardCleanJobHandler: AdminHandler = async (req, { queue, logger }) => {
  const jobId = req.params.jobId ?? '';
  const job = await queue.getJob(jobId);
  if (!job) return { status: 404, body: { error: 'Job not found' } };
  // A completed job stays completed (the board's Retry is ours and replays failed jobs only), so check-then-remove is safe.
  const state = await job.getState();
  if (state !== 'completed') return refusedAnswer(`removing a ${state} job ${NOT_YET_IN_GONG} (only completed jobs are removed one by one)`);
  await job.remove();
  logger.info({ jobId, via: 'bull board' }, 'completed job removed');
  return { status: 204, body: {} };
};

/** A board action that would lose calls or break their checkpoints: 405, in the board's answer shape, saying why. */
export function boardRefused(reason: string): AdminHandler {
  return async () => refusedAnswer(reason);
}

function refusedAnswer(reason: string): AdminResponse {
  return { status: 405, body: { error: `Disabled in gong-ingest: ${reason}` } };
}
