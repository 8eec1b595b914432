import { appRoutes } from '@bull-board/api/dist/routes.js';
import { BOARD_API_ROUTES } from '../../src/admin/admin-routes.js';

/**
 * The guard in front of Bull Board picks a board route the way Bull Board does (the first match in its order wins),
 * so its table must list every route of Bull Board that is not a GET, in Bull Board's order. A Bull Board upgrade
 * that adds or reorders routes fails here (until then the guard refuses the new routes).
 */
describe('Bull Board API routes', () => {
  const boardChanges = appRoutes.api
    .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method, path: r.route as string })))
    .filter((r) => r.method !== 'get');

  it("When Bull Board's API routes are listed, then the admin table has each non-GET route, in Bull Board's order", () => {
    expect(BOARD_API_ROUTES.map((r) => ({ method: r.method, path: r.path }))).toEqual(boardChanges);
  });

  it('When a route is left to Bull Board itself, then it is one that cannot lose a call: pausing, resuming, promoting', () => {
    const leftToBoard = BOARD_API_ROUTES.filter((r) => r.action === 'board').map((r) => `${r.method} ${r.path}`);
    expect(leftToBoard).toEqual([
      'put /api/queues/pause',
      'put /api/queues/resume',
      'put /api/queues/:queueName/promote',
      'put /api/queues/:queueName/pause',
      'put /api/queues/:queueName/resume',
      'put /api/queues/:queueName/:jobId/promote',
    ]);
  });
});
