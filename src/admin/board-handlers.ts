import { CALL_QUEUE_NAME } from '../queue/call-job.js';
import { errorAnswer, type AdminHandler } from './admin-handlers.js';
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
  if (status !== 'failed' && status !== 'completed') return { status: 405, body: { error: `Disabled in gong-ingest: cleaning ${status} jobs drops calls not yet in Gong` } };
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

/** Board actions that would lose calls or break their checkpoints: the operations runbook has safer ways. */
export const boardDisabledHandler: AdminHandler = async () => ({
  status: 405,
  body: { error: `Disabled in gong-ingest: emptying or obliterating the ${CALL_QUEUE_NAME} queue loses calls, editing job data can drop the Gong call checkpoint, and jobs come from webhooks` },
});
