import { randomBytes } from 'node:crypto';
import got, { type OptionsOfTextResponseBody } from 'got';
import { importCalls, manifestRow, writeJsonl } from '../../harness/support/import-fixtures.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';

/** /admin/imports on a real service (API + worker), behind the admin token, and the import metrics it exports. */
describe('admin API: imports', () => {
  const ADMIN_TOKEN = `admin-${randomBytes(18).toString('hex')}`;
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('import-admin');
    service = await startInProcess(env.serviceEnv({ ROLE: 'all', ADMIN_TOKEN, GONG_RATE_LIMIT_PER_SECOND: '20' }));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.close();
  });

  const admin = (path: string, options: OptionsOfTextResponseBody = {}) =>
    got(`${service.url}/admin${path}`, { throwHttpErrors: false, retry: { limit: 0 }, responseType: 'json', ...options, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers } } as OptionsOfTextResponseBody & { responseType: 'json' });

  it('When an import is started over the admin API, then it runs to Gong, is listed with its counts, and shows in the metrics', async () => {
    const rows = await importCalls(env.s3, 6, 'admin');
    const manifest = await writeJsonl([...rows, manifestRow('bad', 'x.wav', { direction: 'Sideways' })]);

    const dry = await admin('/imports', { method: 'POST', json: { source: manifest, dryRun: true } });
    expect(dry.statusCode).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 7, valid: 6, invalid: 1, invalidRows: [{ line: 7, problems: [{ field: 'direction' }] }] });

    const started = await admin('/imports', { method: 'POST', json: { source: manifest, name: 'via-api' } });
    expect(started.statusCode).toBe(202);
    const again = await admin('/imports', { method: 'POST', json: { source: manifest, name: 'via-api' } });
    expect(again.statusCode).toBe(409);

    let shown: { body: unknown } | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
      shown = await admin('/imports/via-api');
      if ((shown.body as { counts: { inGong: number } }).counts.inGong === 6) break;
    }
    expect(shown!.body).toMatchObject({ name: 'via-api', status: 'queued', pending: 0, counts: { read: 7, queued: 6, inGong: 6, invalid: 1 }, invalidRows: [{ line: 7 }] });
    const list = await admin('/imports');
    expect(list.body).toMatchObject({ count: 1, runs: [{ name: 'via-api' }] });

    const metrics = await got(`${service.url}/metrics`).text();
    expect(metrics).toMatch(/gong_ingest_import_calls\{import="via-api",state="in_gong"\} 6/);
    expect(metrics).toMatch(/gong_ingest_import_calls\{import="via-api",state="pending"\} 0/);
    expect(metrics).toMatch(/gong_ingest_import_daily_budget_remaining \d+/);
  });

  it('When an import request is wrong, unknown or not authorised, then the answer names the problem', async () => {
    expect((await admin('/imports', { method: 'POST', json: { source: '' } })).body).toMatchObject({ fields: [{ field: 'body.source' }] });
    expect((await admin('/imports', { method: 'POST', json: { source: '/x.jsonl', name: 'Bad Name' } })).statusCode).toBe(400);
    expect((await admin('/imports', { method: 'POST', json: { source: '/nonexistent.jsonl', name: 'nope' } })).body).toMatchObject({ fields: [{ field: 'body.source' }] });
    expect((await admin('/imports/unknown-run')).statusCode).toBe(404);
    expect((await admin('/imports/unknown-run/cancel', { method: 'POST' })).statusCode).toBe(404);
    expect((await admin('/imports', { headers: { authorization: '' } })).statusCode).toBe(401);
  });
});
