import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type { CallJobData } from '../queue/call-job.js';

/**
 * Bull Board for the calls queue. It has no authentication of its own: it is only ever mounted behind
 * adminAuth. Job data is shown as stored, which is safe because job data never holds credentials.
 */
/** The adapter's base class reads `allowCompletedRetries`; the BullMQ adapter's typings leave it out. */
const adapterOptions = {
  description: 'Phone-call recordings on their way to Gong. Retry replays a failed job from its checkpoint.',
  // Completed jobs are done: re-running one does nothing useful (its checkpoints say so) and only confuses.
  allowCompletedRetries: false,
};

export function createBoard(queue: Queue<CallJobData>, basePath: string): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: [
      new BullMQAdapter(queue as Queue, adapterOptions),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'gong-ingest' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
