import type { IncomingMessage } from 'node:http';

/** What a stand-in was asked, for assertions that something was (or was never) requested. */
export interface LoggedRequest {
  method: string;
  path: string;
  authorization?: string;
}

export function logRequest(log: LoggedRequest[], req: IncomingMessage): LoggedRequest {
  const entry = { method: req.method ?? 'GET', path: req.url ?? '/', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) };
  log.push(entry);
  return entry;
}

export function listenOn(server: import('node:net').Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as import('node:net').AddressInfo).port));
  });
}

export function closeServer(server: import('node:http').Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
