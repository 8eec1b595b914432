import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApp } from '../../src/api/create-app.js';
import { createLogger } from '../../src/logging/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import type { SourceContext, SourceDefinition } from '../../src/sources/source-definition.js';

/**
 * The adapter from Express to a source handler, over real HTTP: a handler that throws (a bug, not bad input) is a
 * logged 500 with a JSON body, and is counted like every other webhook so the dashboards and alerts see it.
 */
describe('webhook route', () => {
  let server: Server;
  let url: string;
  const logLines: string[] = [];
  const metrics = createMetrics();

  beforeAll(async () => {
    const logger = createLogger('info', new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
    const broken: SourceDefinition = {
      name: 'broken',
      path: '/webhooks/broken',
      accepts: ['application/json'],
      create: () => async () => {
        throw new TypeError('Cannot read properties of undefined');
      },
    };
    const app = createApp({
      logger,
      metrics,
      redisReady: async () => true,
      isAcceptingTraffic: () => true,
      webhooks: { sources: [broken], context: {} as SourceContext },
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('When a source handler throws, then the sender gets a 500 JSON error, the error is logged, and the webhook is counted as error', async () => {
    const res = await fetch(`${url}/webhooks/broken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal_error', message: 'Internal error' });
    expect(logLines.some((l) => l.includes('request failed') && l.includes('Cannot read properties of undefined'))).toBe(true);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toMatch(/gong_ingest_webhooks_received_total\{source="broken",outcome="error"\} 1/);
  });
});
