import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type { CallJobData } from '../queue/call-job.js';
import { TenantBoardView } from './tenant-board-view.js';

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

/**
 * The whole queue, and with TENANTS_FILE a read-only view per tenant (tenant-board-view.ts), kept in step with the
 * file: the views are rebuilt when the tenants listed change.
 */
export function createBoard(queue: Queue<CallJobData>, basePath: string, tenants?: () => readonly string[]): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  const whole = new BullMQAdapter(queue as Queue, adapterOptions);
  const adapters = (ids: readonly string[]) => [whole, ...ids.map((id) => new TenantBoardView(queue, id))];
  const initial = tenants?.() ?? [];
  let shown = initial.join(',');
  const board = createBullBoard({ queues: adapters(initial), serverAdapter, options: { uiConfig: { boardTitle: 'gong-ingest' } } });
  const router = serverAdapter.getRouter() as RequestHandler;
  if (!tenants) return router;
  return (req, res, next) => {
    const now = tenants();
    if (now.join(',') !== shown) {
      shown = now.join(',');
      board.replaceQueues(adapters(now));
    }
    router(req, res, next);
  };
}
