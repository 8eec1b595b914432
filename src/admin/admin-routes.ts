import { CALL_QUEUE_NAME } from '../queue/call-job.js';
import { listJobsHandler, replayJobHandler, replayManyHandler, showCallHandler, type AdminHandler } from './admin-handlers.js';
import { boardCleanAllHandler, boardDisabledHandler, boardRetryAllHandler, boardRetryJobHandler } from './board-handlers.js';

export interface AdminRoute {
  method: 'get' | 'post' | 'put' | 'patch';
  /** Relative to /admin. */
  path: string;
  handler: AdminHandler;
}

/** Where Bull Board is served, relative to /admin. */
export const BOARD_PATH = '/queues';
const boardQueueApi = `${BOARD_PATH}/api/queues/${CALL_QUEUE_NAME}`;

/** The admin route table, in one place. Everything here sits behind the admin token. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'get', path: '/jobs', handler: listJobsHandler },
  { method: 'get', path: '/calls/:callId', handler: showCallHandler },
  { method: 'post', path: '/jobs/:jobId/replay', handler: replayJobHandler },
  { method: 'post', path: '/replay', handler: replayManyHandler },
  // Bull Board's API, taken over for the calls queue before the board sees the request (see board-handlers.ts).
  { method: 'put', path: `${boardQueueApi}/retry/:queueStatus`, handler: boardRetryAllHandler },
  { method: 'put', path: `${boardQueueApi}/:jobId/retry`, handler: boardRetryJobHandler },
  { method: 'put', path: `${boardQueueApi}/clean/:queueStatus`, handler: boardCleanAllHandler },
  { method: 'put', path: `${boardQueueApi}/empty`, handler: boardDisabledHandler },
  { method: 'put', path: `${boardQueueApi}/obliterate`, handler: boardDisabledHandler },
  { method: 'post', path: `${boardQueueApi}/add`, handler: boardDisabledHandler },
  { method: 'patch', path: `${boardQueueApi}/:jobId/update-data`, handler: boardDisabledHandler },
];
