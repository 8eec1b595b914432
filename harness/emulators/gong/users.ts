import { gongError, newRequestId, type Answer } from './answers.js';
import type { EmulatedUser } from './options.js';

/**
 * GET /v2/users: one page of users. `records.cursor` is present only while more pages exist, and an empty
 * result is a 404, as on all of Gong's list endpoints.
 */
export function listUsers(url: URL, users: readonly EmulatedUser[], pageSize: number): Answer {
  const cursor = url.searchParams.get('cursor');
  const offset = cursor === null ? 0 : decodeCursor(cursor);
  if (offset === undefined) return gongError(400, `cursor ${cursor} is not valid`);

  const page = users.slice(offset, offset + pageSize);
  if (page.length === 0) return gongError(404, 'No users found corresponding to the provided filters');
  const next = offset + page.length;
  return {
    status: 200,
    body: {
      requestId: newRequestId(),
      records: {
        totalRecords: users.length,
        currentPageSize: page.length,
        currentPageNumber: Math.floor(offset / pageSize),
        ...(next < users.length ? { cursor: encodeCursor(next) } : {}),
      },
      users: page.map((u) => ({ id: u.id, emailAddress: u.emailAddress, firstName: u.firstName, lastName: u.lastName, active: u.active ?? true })),
    },
  };
}

// Opaque to clients, like Gong's: they must pass it back, not compute it.
function encodeCursor(offset: number): string {
  return Buffer.from(`users:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^users:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
