import { listJobsHandler, replayJobHandler, replayManyHandler, showCallHandler, type AdminHandler } from './admin-handlers.js';
import { listTenantsHandler, showTenantHandler } from './tenant-handlers.js';
import { cancelImportHandler, listImportsHandler, resumeImportHandler, showImportHandler, startImportHandler } from './import-handlers.js';
import { boardCleanAllHandler, boardCleanJobHandler, boardRefused, boardRetryAllHandler, boardRetryJobHandler } from './board-handlers.js';

export interface AdminRoute {
  method: 'get' | 'post' | 'put' | 'patch';
  /** Relative to /admin. */
  path: string;
  handler: AdminHandler;
}

/** Where Bull Board is served, relative to /admin. */
export const BOARD_PATH = '/queues';

/** The admin route table, in one place. Everything here sits behind the admin token. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'get', path: '/jobs', handler: listJobsHandler },
  { method: 'get', path: '/calls/:callId', handler: showCallHandler },
  { method: 'post', path: '/jobs/:jobId/replay', handler: replayJobHandler },
  { method: 'post', path: '/replay', handler: replayManyHandler },
  { method: 'get', path: '/tenants', handler: listTenantsHandler },
  { method: 'get', path: '/tenants/:tenant', handler: showTenantHandler },
  { method: 'get', path: '/imports', handler: listImportsHandler },
  { method: 'post', path: '/imports', handler: startImportHandler },
  { method: 'get', path: '/imports/:name', handler: showImportHandler },
  { method: 'post', path: '/imports/:name/resume', handler: resumeImportHandler },
  { method: 'post', path: '/imports/:name/cancel', handler: cancelImportHandler },
];

export interface BoardApiRoute {
  method: 'put' | 'post' | 'patch';
  /** Bull Board's own route, relative to BOARD_PATH; `:queueName` must be the calls queue. */
  path: string;
  /** 'board': Bull Board answers (the action cannot lose a call); a handler: it answers in the board's place. */
  action: 'board' | AdminHandler;
}

const QUEUE = '/api/queues/:queueName';
const NOT_YET_IN_GONG = 'drops calls not yet in Gong';

/**
 * Every Bull Board API route that changes something, in Bull Board's order (node_modules/@bull-board/api/dist/routes.js):
 * the guard in front of the board matches like Bull Board, first match wins, so the same request lands on the same
 * entry here as there. A request that is not a GET and matches none is refused. test/unit/admin-board-routes.test.ts
 * fails when a Bull Board upgrade changes the list.
 */
export const BOARD_API_ROUTES: readonly BoardApiRoute[] = [
  { method: 'put', path: '/api/queues/pause', action: 'board' },
  { method: 'put', path: '/api/queues/resume', action: 'board' },
  { method: 'post', path: `${QUEUE}/add`, action: boardRefused('jobs come from webhooks; an added or duplicated job bypasses intake and its deduplication') },
  // Replays, as the CLI and the admin API do (attempts reset, checkpoints kept).
  { method: 'put', path: `${QUEUE}/retry/:queueStatus`, action: boardRetryAllHandler },
  { method: 'put', path: `${QUEUE}/promote`, action: 'board' },
  // Finished jobs only, in batches.
  { method: 'put', path: `${QUEUE}/clean/:queueStatus`, action: boardCleanAllHandler },
  { method: 'put', path: `${QUEUE}/pause`, action: 'board' },
  { method: 'put', path: `${QUEUE}/resume`, action: 'board' },
  // Loses nothing, but a limit stored in Redis would silently outlive the deployment's own concurrency settings.
  { method: 'put', path: `${QUEUE}/concurrency`, action: boardRefused('concurrency is set by the deployment (WORKER_CONCURRENCY), not stored in Redis from the board') },
  { method: 'put', path: `${QUEUE}/empty`, action: boardRefused(`emptying the queue ${NOT_YET_IN_GONG}`) },
  { method: 'put', path: `${QUEUE}/obliterate`, action: boardRefused(`obliterating the queue ${NOT_YET_IN_GONG}`) },
  { method: 'put', path: `${QUEUE}/:jobId/retry`, action: boardRetryJobHandler },
  // Completed jobs only: a waiting, delayed, active or failed job is a call not (yet) in Gong.
  { method: 'put', path: `${QUEUE}/:jobId/clean`, action: boardCleanJobHandler },
  { method: 'put', path: `${QUEUE}/:jobId/promote`, action: 'board' },
  { method: 'patch', path: `${QUEUE}/:jobId/update-data`, action: boardRefused("editing job data can drop the call's Gong checkpoint and upload it twice") },
];
