import { randomUUID } from 'node:crypto';
import got from 'got';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { trafficKeys } from '../../src/traffic/traffic-keys.js';
import { startGongEmulator, type GongEmulator, type RequestRecord } from '../../harness/emulators/gong/create-gong-emulator.js';
import { startLocalS3, type LocalS3 } from '../../harness/support/local-s3.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { localServiceEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { tenantSecret, writeTenantsFile } from '../../harness/support/tenant-fixtures.js';
import { openTestQueue, TEST_REDIS_URL, uniquePrefix, type TestQueue } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';
import { cliImportEnv, manifestRow, runCli, writeJsonl } from '../../harness/support/import-fixtures.js';

/**
 * Two Gong companies from one deployment, over real HTTP: two emulator instances with their own credentials and
 * limits, a TENANTS_FILE naming them, real Redis and s3rver, the service as its own process.
 */
describe('tenants', () => {
  let s3: LocalS3;
  let acmeGong: GongEmulator;
  let betaGong: GongEmulator;
  let defaultGong: GongEmulator;
  let service: ServiceHandle;
  let queue: TestQueue;
  let prefix: string;
  let tenantsFile: string;
  const ADMIN_TOKEN = 'admin-token-admin-token-admin-token';

  beforeAll(async () => {
    [s3, acmeGong, betaGong, defaultGong] = await Promise.all([
      startLocalS3(['recordings', 'acme-recordings', 'beta-recordings']),
      startGongEmulator({ accessKey: 'acme-key', accessKeySecret: 'acme-secret', ratePerSecond: 3 }),
      startGongEmulator({ accessKey: 'beta-key', accessKeySecret: 'beta-secret', ratePerSecond: 5 }),
      startGongEmulator({}),
    ]);
    const tenants = writeTenantsFile([
      { id: 'acme', gongUrl: acmeGong.url, accessKey: 'acme-key', accessKeySecret: 'acme-secret', ratePerSecond: 3, buckets: ['acme-recordings'] },
      { id: 'beta', gongUrl: betaGong.url, accessKey: 'beta-key', accessKeySecret: 'beta-secret', ratePerSecond: 5, buckets: ['beta-recordings'] },
    ]);
    tenantsFile = tenants.file;
    prefix = uniquePrefix('tenants');
    queue = await openTestQueue(prefix);
    service = await startInProcess(
      localServiceEnv(
        { redisUrl: TEST_REDIS_URL, prefix, gongUrl: defaultGong.url, s3Endpoint: s3.endpoint },
        { ...tenants.env, TENANTS_FILE: tenants.file, ADMIN_TOKEN, JOB_BACKOFF_MS: '200', WORKER_LOCK_DURATION_MS: '4000', WORKER_SHUTDOWN_GRACE_MS: '10000', GONG_RATE_WINDOW_MARGIN_MS: '200' },
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await Promise.all([s3?.close(), acmeGong?.close(), betaGong?.close(), defaultGong?.close(), queue?.close()]);
  });

  async function ingest(tenant: string | undefined, bucket: string, callId = `pbx-${randomUUID()}`) {
    const audio = makeWav(16 * 1024);
    await s3.put(bucket, `${callId}.wav`, audio);
    const base = tenant ? `${service.url}/t/${tenant}` : service.url;
    const answer = await sendGenericWebhook(base, recordingReadyEvent(callId, `${callId}.wav`, { recording: { bucket, key: `${callId}.wav` } }), tenant ? { secret: tenantSecret(tenant) } : {});
    return { callId, audio, answer };
  }

  async function finished(jobId: string) {
    const job = (await queue.queue.getJob(jobId))!;
    expect(job).toBeDefined();
    return job.waitUntilFinished(queue.events, 60_000);
  }

  it("when each tenant's webhook comes in, then its call reaches only its own Gong, with its own credentials and bytes", async () => {
    const acme = await ingest('acme', 'acme-recordings');
    const beta = await ingest('beta', 'beta-recordings');
    expect(acme.answer.statusCode).toBe(202);
    expect(JSON.parse(acme.answer.body).jobId).toBe(jobIdForCall(acme.callId, 'acme'));
    expect(JSON.parse(acme.answer.body).jobId).toMatch(/^t-acme--call-/);
    await Promise.all([finished(jobIdForCall(acme.callId, 'acme')), finished(jobIdForCall(beta.callId, 'beta'))]);
    expect(acmeGong.ledger.byClientUniqueId(acme.callId)?.media?.sha256).toBe(sha256(acme.audio));
    expect(betaGong.ledger.byClientUniqueId(beta.callId)?.media?.sha256).toBe(sha256(beta.audio));
    expect(acmeGong.ledger.byClientUniqueId(beta.callId)).toBeUndefined();
    expect(betaGong.ledger.byClientUniqueId(acme.callId)).toBeUndefined();
    // Each emulator accepts only its own key pair, so a call there came with its tenant's own credentials.
    expect(defaultGong.ledger.byClientUniqueId(acme.callId)).toBeUndefined();
    expect(defaultGong.ledger.byClientUniqueId(beta.callId)).toBeUndefined();
  }, 90_000);

  it('when the same call id comes to two tenants, then it is two jobs and two calls, one in each Gong', async () => {
    const callId = `shared-${randomUUID()}`;
    await ingest('acme', 'acme-recordings', callId);
    await ingest('beta', 'beta-recordings', callId);
    await Promise.all([finished(jobIdForCall(callId, 'acme')), finished(jobIdForCall(callId, 'beta'))]);
    expect(acmeGong.ledger.byClientUniqueId(callId)).toBeDefined();
    expect(betaGong.ledger.byClientUniqueId(callId)).toBeDefined();
  }, 90_000);

  it("when a tenant's webhook is redelivered, then the redeliveries make no job and do not push the tenant's next call later", async () => {
    const redis = await queue.queue.client;
    const nextSlot = () => redis.get(trafficKeys(`{${prefix}}`, 'beta').nextSlot);
    const first = await ingest('beta', 'beta-recordings');
    expect(first.answer.statusCode).toBe(202);
    const slotAfterFirst = await nextSlot();
    expect(slotAfterFirst).not.toBeNull();
    const body = recordingReadyEvent(first.callId, `${first.callId}.wav`, { recording: { bucket: 'beta-recordings', key: `${first.callId}.wav` } });
    for (let i = 0; i < 3; i++) {
      const again = await sendGenericWebhook(`${service.url}/t/beta`, body, { secret: tenantSecret('beta') });
      expect(again.statusCode).toBeLessThan(300);
    }
    // Each redelivery reserved a slot before the add found the call there, and gave it back.
    expect(await nextSlot()).toBe(slotAfterFirst);
    await finished(jobIdForCall(first.callId, 'beta'));
    expect(betaGong.ledger.byClientUniqueId(first.callId)).toBeDefined();
  }, 90_000);

  it("when a body is signed with one tenant's secret and sent to another tenant's route, then it is refused with 401 and nothing is queued", async () => {
    const callId = `wrong-${randomUUID()}`;
    const answer = await sendGenericWebhook(`${service.url}/t/beta`, recordingReadyEvent(callId, 'x.wav', { recording: { bucket: 'beta-recordings', key: 'x.wav' } }), { secret: tenantSecret('acme') });
    expect(answer.statusCode).toBe(401);
    expect(await queue.queue.getJob(jobIdForCall(callId, 'beta'))).toBeUndefined();
  });

  it("when a tenant's webhook names another tenant's bucket, then it is refused with 400 naming the bucket", async () => {
    const answer = await sendGenericWebhook(`${service.url}/t/acme`, recordingReadyEvent('c-1', 'x.wav', { recording: { bucket: 'beta-recordings', key: 'x.wav' } }), { secret: tenantSecret('acme') });
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).fields[0].field).toBe('data.recording.bucket');
  });

  it('when the route names no such tenant, then the answer is 404 unknown_tenant', async () => {
    const answer = await sendGenericWebhook(`${service.url}/t/nobody`, recordingReadyEvent('c-2', 'x.wav'));
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body).error).toBe('unknown_tenant');
  });

  it('when the default tenant takes a webhook on the old route, then its job id and Gong are the ones of before', async () => {
    const call = await ingest(undefined, 'recordings');
    expect(JSON.parse(call.answer.body).jobId).toBe(`call-${call.callId}`);
    await finished(jobIdForCall(call.callId));
    expect(defaultGong.ledger.byClientUniqueId(call.callId)).toBeDefined();
  }, 60_000);

  it("when one tenant's Gong answers 429, then only that tenant pauses: the other's calls go on meanwhile", async () => {
    acmeGong.faults.failNext('createCall', { status: 429, retryAfterSeconds: 8 });
    const saw429 = new Promise<RequestRecord>((resolve) => acmeGong.events.on('request', (r: RequestRecord) => r.status === 429 && resolve(r)));
    const acme = await ingest('acme', 'acme-recordings');
    const throttled = await saw429;
    const betaCalls = await Promise.all([0, 1, 2].map(() => ingest('beta', 'beta-recordings')));
    await Promise.all(betaCalls.map((c) => finished(jobIdForCall(c.callId, 'beta'))));
    const betaUploads = betaGong.ledger.requests().filter((r) => r.op === 'uploadMedia' && r.at > throttled.at);
    expect(betaUploads.length).toBeGreaterThanOrEqual(3);
    // Every beta upload landed inside acme's 8 s pause.
    expect(Math.max(...betaUploads.map((r) => r.at))).toBeLessThan(throttled.at + 7_900);
    await finished(jobIdForCall(acme.callId, 'acme'));
    const acmeAfter = acmeGong.ledger.requests().filter((r) => r.at > throttled.at);
    expect(Math.min(...acmeAfter.map((r) => r.at)) - throttled.at).toBeGreaterThanOrEqual(7_900);
  }, 90_000);

  it('when /metrics is scraped, then tenant series carry the tenant label and each tenant has its own budget gauge', async () => {
    // Its own calls (one a tenant's, one the default tenant's): the test stands alone, in any order.
    const acme = await ingest('acme', 'acme-recordings');
    const own = await ingest(undefined, 'recordings');
    expect([acme.answer.statusCode, own.answer.statusCode]).toEqual([202, 202]);
    // Finished before the next test plans its faults: a job still in flight would take them.
    await Promise.all([finished(jobIdForCall(acme.callId, 'acme')), finished(jobIdForCall(own.callId))]);
    const text = await got(`${service.url}/metrics`).text();
    expect(text).toMatch(/gong_ingest_webhooks_received_total\{source="generic",outcome="accepted",tenant="acme"\} \d+/);
    expect(text).toMatch(/gong_ingest_webhooks_received_total\{source="generic",outcome="accepted"\} \d+/);
    expect(text).toMatch(/gong_ingest_tenant_daily_budget_remaining\{tenant="beta"\} \d+/);
    expect(text).not.toContain('nobody');
  });

  it('when an operator asks the admin API, then it lists each tenant with its state, and shows, lists and replays one tenant\'s calls', async () => {
    const admin = got.extend({ prefixUrl: `${service.url}/admin`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, throwHttpErrors: false, responseType: 'json' });
    acmeGong.faults.failNext('createCall', { status: 401 });
    const failing = await ingest('acme', 'acme-recordings');
    await expect(finished(jobIdForCall(failing.callId, 'acme'))).rejects.toThrow(/gong_auth/);

    const list = await admin.get('tenants');
    expect(list.statusCode).toBe(200);
    const tenants = (list.body as { tenants: Array<{ id: string; connected: boolean; failed: number; budget: { remaining: number }; dailyLimit: number }> }).tenants;
    expect(tenants.map((t) => t.id)).toEqual(['default', 'acme', 'beta']);
    const acme = tenants.find((t) => t.id === 'acme')!;
    expect(acme).toMatchObject({ connected: true, failed: 1, dailyLimit: 10_000 });
    expect(acme.budget.remaining).toBeLessThan(10_000);
    expect(tenants.find((t) => t.id === 'beta')!.failed).toBe(0);

    const failedAcme = await admin.get('jobs', { searchParams: { state: 'failed', tenant: 'acme' } });
    expect((failedAcme.body as { jobs: Array<{ jobId: string }> }).jobs.map((j) => j.jobId)).toEqual([jobIdForCall(failing.callId, 'acme')]);
    const failedBeta = await admin.get('jobs', { searchParams: { state: 'failed', tenant: 'beta' } });
    expect((failedBeta.body as { count: number }).count).toBe(0);
    const shown = await admin.get(`calls/${encodeURIComponent(failing.callId)}`, { searchParams: { tenant: 'acme' } });
    expect(shown.statusCode).toBe(200);
    expect((shown.body as { data: { tenant: string } }).data.tenant).toBe('acme');

    const betaReplay = await admin.post('replay', { json: { tenant: 'beta' } });
    expect((betaReplay.body as { matched: number }).matched).toBe(0);
    const acmeReplay = await admin.post('replay', { json: { tenant: 'acme' } });
    expect((acmeReplay.body as { replayed: number }).replayed).toBe(1);
    await finished(jobIdForCall(failing.callId, 'acme'));
    expect(acmeGong.ledger.byClientUniqueId(failing.callId)?.media).toBeDefined();

    const bad = await admin.get('jobs', { searchParams: { tenant: 'Not A Tenant' } });
    expect(bad.statusCode).toBe(400);
  }, 90_000);

  /** Manifest rows for fresh recordings in a tenant's bucket. */
  async function history(bucket: string, count: number) {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const callId = `old-${randomUUID()}`;
        await s3.put(bucket, `history/${callId}.wav`, makeWav(4096));
        return manifestRow(callId, `history/${callId}.wav`, { recording: { bucket, key: `history/${callId}.wav` } });
      }),
    );
  }

  async function finishedWhenQueued(jobId: string) {
    for (let i = 0; i < 200 && !(await queue.queue.getJob(jobId)); i++) await new Promise((r) => setTimeout(r, 50));
    return finished(jobId);
  }

  it("when an import names a tenant (admin API or CLI), then its calls go to that tenant's Gong under its job ids, and an unknown tenant or another tenant's bucket is refused", async () => {
    const admin = got.extend({ prefixUrl: `${service.url}/admin`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, throwHttpErrors: false, responseType: 'json' });
    const acmeRows = await history('acme-recordings', 2);
    const started = await admin.post('imports', { json: { source: await writeJsonl(acmeRows), tenant: 'acme', name: `acme-${randomUUID().slice(0, 8)}` } });
    expect(started.statusCode).toBe(202);
    expect((started.body as { run: { tenant: string } }).run.tenant).toBe('acme');
    for (const row of acmeRows) await finishedWhenQueued(jobIdForCall(String(row.callId), 'acme'));
    for (const row of acmeRows) {
      expect(acmeGong.ledger.byClientUniqueId(String(row.callId))?.media).toBeDefined();
      expect(defaultGong.ledger.byClientUniqueId(String(row.callId))).toBeUndefined();
    }

    const unknown = await admin.post('imports', { json: { source: await writeJsonl(acmeRows), tenant: 'nobody' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toMatchObject({ fields: [{ field: 'body.tenant' }] });
    const foreign = await admin.post('imports', { json: { source: 's3://acme-recordings/history/', tenant: 'beta' } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toMatchObject({ fields: [{ field: 'body.source', problem: expect.stringContaining('acme-recordings') }] });

    const betaRows = await history('beta-recordings', 1);
    const cliEnv = cliImportEnv({ redisUrl: TEST_REDIS_URL, prefix, s3Endpoint: s3.endpoint }, { TENANTS_FILE: tenantsFile });
    const cli = await runCli(cliEnv, ['import', await writeJsonl(betaRows), '--tenant', 'beta', '--no-wait', '--name', `beta-${randomUUID().slice(0, 8)}`]).done;
    expect(cli.stderr).not.toMatch(/error/i);
    expect(cli.code).toBe(0);
    await finishedWhenQueued(jobIdForCall(String(betaRows[0]!.callId), 'beta'));
    expect(betaGong.ledger.byClientUniqueId(String(betaRows[0]!.callId))?.media).toBeDefined();
    const refused = await runCli(cliEnv, ['import', await writeJsonl(betaRows), '--tenant', 'nobody']).done;
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('No tenant nobody in TENANTS_FILE');
  }, 90_000);

  it("when an operator opens Bull Board, then each tenant has a read-only view that lists and opens only that tenant's jobs", async () => {
    const board = got.extend({ prefixUrl: `${service.url}/admin/queues/api/queues`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, throwHttpErrors: false, responseType: 'json' });
    const acme = await ingest('acme', 'acme-recordings');
    const beta = await ingest('beta', 'beta-recordings');
    const [acmeJob, betaJob] = [jobIdForCall(acme.callId, 'acme'), jobIdForCall(beta.callId, 'beta')];
    await Promise.all([finished(acmeJob), finished(betaJob)]);

    type BoardQueue = { name: string; readOnlyMode: boolean; counts: Record<string, number>; jobs: Array<{ id: string }> };
    const listed = await board.get('', { searchParams: { activeQueue: 'acme@calls', status: 'completed', jobsPerPage: 1000 } });
    expect(listed.statusCode).toBe(200);
    const queues = (listed.body as { queues: BoardQueue[] }).queues;
    expect(queues.map((q) => q.name)).toEqual(['calls', 'default@calls', 'acme@calls', 'beta@calls']);
    const acmeView = queues.find((q) => q.name === 'acme@calls')!;
    expect(acmeView.readOnlyMode).toBe(true);
    expect(acmeView.jobs.map((j) => j.id)).toContain(acmeJob);
    expect(acmeView.jobs.every((j) => j.id.startsWith('t-acme--'))).toBe(true);
    expect(acmeView.counts.completed).toBe(acmeView.jobs.length);
    expect(queues.find((q) => q.name === 'calls')!.counts.completed).toBeGreaterThan(acmeView.counts.completed!);

    expect((await board.get(`acme@calls/${acmeJob}`)).statusCode).toBe(200);
    expect((await board.get(`acme@calls/${betaJob}`)).statusCode).toBe(404);
    // Actions stay on the whole queue's view, where the board guard checks them.
    expect((await board.put(`acme@calls/${acmeJob}/retry`)).statusCode).toBe(404);
  });
});
