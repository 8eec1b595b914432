import express, { Router, type Request, type RequestHandler } from 'express';
import type { Queue } from 'bullmq';
import type { Logger } from '../logging/logger.js';
import type { CallJobData } from '../queue/call-job.js';
import { adminAuth } from './admin-auth.js';
import type { AdminContext, AdminHandler } from './admin-handlers.js';
import { ADMIN_ROUTES, BOARD_PATH } from './admin-routes.js';
import { createBoard } from './bull-board.js';

export interface AdminRouterOptions {
  queue: Queue<CallJobData>;
  /** Bearer token for everything under /admin (ADMIN_TOKEN). Without one, do not mount the router at all. */
  adminToken: string;
  logger: Logger;
  /** Where the router is mounted; Bull Board needs the full path for its links. @defaultValue '/admin' */
  mountPath?: string;
}

/**
 * The /admin router: the token check first, then the route table (admin-routes.ts), then Bull Board. The one place
 * that maps admin handlers onto Express.
 */
export function createAdminRouter(options: AdminRouterOptions): Router {
  const ctx: AdminContext = { queue: options.queue, logger: options.logger };
  const router = Router();
  router.use(adminAuth(options.adminToken));
  router.use(express.json({ limit: '16kb' }));
  for (const route of ADMIN_ROUTES) router[route.method](route.path, toExpress(route.handler, ctx));
  router.use(BOARD_PATH, createBoard(options.queue, `${options.mountPath ?? '/admin'}${BOARD_PATH}`));
  return router;
}

function toExpress(handler: AdminHandler, ctx: AdminContext): RequestHandler {
  return async (req, res, next) => {
    // A body that is not JSON is refused rather than ignored: an ignored `{"dryRun": true}` would replay for real.
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is('application/json')) {
      res.status(415).json({ error: 'unsupported_media_type', message: 'Send the body as application/json' });
      return;
    }
    try {
      const answer = await handler({ params: stringParams(req), query: req.query as Record<string, unknown>, body: req.body }, ctx);
      res.setHeader('Cache-Control', 'no-store');
      res.status(answer.status);
      if (answer.status === 204) res.end();
      else res.json(answer.body);
    } catch (error) {
      next(error);
    }
  };
}

function stringParams(req: Request): Record<string, string> {
  return Object.fromEntries(Object.entries(req.params).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
