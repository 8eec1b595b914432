import express, { Router, type Request, type RequestHandler } from 'express';
import type { Queue } from 'bullmq';
import type { ImportService } from '../import/import-service.js';
import type { Logger } from '../logging/logger.js';
import { CALL_QUEUE_NAME, type CallJobData } from '../queue/call-job.js';
import { adminAuth } from './admin-auth.js';
import type { AdminContext, AdminHandler } from './admin-handlers.js';
import { ADMIN_ROUTES, BOARD_API_ROUTES, BOARD_PATH } from './admin-routes.js';
import { boardRefused } from './board-handlers.js';
import { createBoard } from './bull-board.js';
import type { TenantAdmin } from './tenant-overview.js';

export interface AdminRouterOptions {
  queue: Queue<CallJobData>;
  /** Serves /admin/imports when given. */
  imports?: ImportService;
  /** Serves /admin/tenants when given (TENANTS_FILE). */
  tenants?: TenantAdmin;
  /** Bearer token for everything under /admin (ADMIN_TOKEN). Without one, do not mount the router at all. */
  adminToken: string;
  logger: Logger;
  /** Where the router is mounted; Bull Board needs the full path for its links. @defaultValue '/admin' */
  mountPath?: string;
  /**
   * Mark the admin cookie `Secure` even on plain-HTTP requests: pass true when TLS ends at a proxy in front of the
   * service (its public base URL is https). Requests that are secure themselves always get it. @defaultValue false
   */
  secureCookie?: boolean;
}

/**
 * The /admin router: the token check first, then the route table (admin-routes.ts), then Bull Board behind its
 * guard. The one place that maps admin handlers onto Express.
 */
export function createAdminRouter(options: AdminRouterOptions): Router {
  const ctx: AdminContext = { queue: options.queue, logger: options.logger, imports: options.imports, tenants: options.tenants };
  const router = Router();
  router.use(adminAuth({ adminToken: options.adminToken, secureCookie: options.secureCookie }));
  router.use(express.json({ limit: '16kb' }));
  for (const route of ADMIN_ROUTES) router[route.method](route.path, toExpress(route.handler, ctx));
  const tenantIds = options.tenants ? () => options.tenants!.list().map((t) => t.id) : undefined;
  router.use(BOARD_PATH, boardGuard(ctx), createBoard(options.queue, `${options.mountPath ?? '/admin'}${BOARD_PATH}`, tenantIds));
  return router;
}

const refuseUnlisted = boardRefused('the board needs no such request here');

/**
 * Everything Bull Board is sent passes here first. Its routes that change something (BOARD_API_ROUTES) are routed
 * by an Express Router of the same kind Bull Board uses (any case, one trailing slash, parameters percent-decoded),
 * so `%63alls` or `API` lands on the same entry here as there, and can no longer slip past a literal `calls`. An
 * entry's handler answers in the board's place, 'board' lets Bull Board answer, and any other request that is not
 * a GET is refused: a route that a Bull Board upgrade adds stays shut until it is listed.
 */
function boardGuard(ctx: AdminContext): Router {
  const guard = Router();
  // Bull Board has only this queue; the handlers that stand in for it must not act on it under another name.
  guard.param('queueName', (_req, res, next, name) => (name === CALL_QUEUE_NAME ? next() : res.status(404).json({ error: 'Queue not found' })));
  for (const route of BOARD_API_ROUTES) guard[route.method](route.path, route.action === 'board' ? toBoard : toExpress(route.action, ctx));
  const refuse = toExpress(refuseUnlisted, ctx);
  guard.use((req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : refuse(req, res, next)));
  return guard;
}

/** Leaves the guard: the next handler is Bull Board. */
const toBoard: RequestHandler = (_req, _res, next) => next('router');

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
