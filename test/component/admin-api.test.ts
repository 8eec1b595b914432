import { randomBytes, randomUUID } from 'node:crypto';
import got, { type OptionsOfTextResponseBody } from 'got';
import { CALL_JOB_NAME } from '../../src/queue/call-job.js';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

/**
 * The /admin API through a real service process (API + worker), real Redis, s3rver and the Gong emulator: who may
 * use it, what it lists, and that a replay ends with exactly one call in Gong.
 */
describe('admin API', () => {
  const ADMIN_TOKEN = `admin-${randomBytes(18).toString('hex')}`;
  const DISABLED_USER = '999';
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('admin');
    service = await startInProcess(env.serviceEnv({ ROLE: 'all', ADMIN_TOKEN, LOG_LEVEL: 'info' }));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.close();
  });
  afterEach(() => {
    env.gong.faults.clear();
    env.gong.configure({ importDisabledUsers: [] });
  });

  const admin = (path: string, options: OptionsOfTextResponseBody = {}) =>
    got(`${service.url}/admin${path}`, {
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      ...options,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...options.headers },
    });
  const json = (body: string) => JSON.parse(body) as Record<string, any>;
  const callsFor = (callId: string) => env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);

  /** Sends a webhook for a fresh recording; `disabled` makes Gong refuse the create (409, telephony import off). */
  async function ingest(options: { disabled?: boolean; notAudio?: boolean } = {}) {
    const callId = `pbx-${randomUUID()}`;
    const key = `2026/11/20/${callId}.wav`;
    const audio = options.notAudio ? Buffer.from('a text file, not a recording') : makeWav(64 * 1024);
    await env.s3.put('recordings', key, audio);
    const overrides = options.disabled ? { primaryUser: DISABLED_USER, parties: [{ name: 'Ann', userId: DISABLED_USER }] } : {};
    const res = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key, overrides));
    expect(res.statusCode).toBe(202);
    const jobId = jobIdForCall(callId);
    return { callId, jobId, audio, job: (await env.queue.queue.getJob(jobId))! };
  }
  const finish = (jobId: string) => env.queue.queue.getJob(jobId).then((job) => job!.waitUntilFinished(env.queue.events, 30_000));

  /** A call whose job failed on Gong's create ([gong_import_disabled]). */
  async function failedOnCreate() {
    env.gong.configure({ importDisabledUsers: [DISABLED_USER] });
    const call = await ingest({ disabled: true });
    await expect(finish(call.jobId)).rejects.toThrow(/\[gong_import_disabled\]/);
    return call;
  }

  /**
   * Pauses the queue through the board (an action it keeps) and adds a waiting and a delayed job that no worker takes
   * while the test looks at them. `release` removes both and resumes the queue through the board.
   */
  async function heldJobs() {
    expect((await admin('/queues/api/queues/calls/pause', { method: 'PUT' })).statusCode).toBe(200);
    const waiting = await ingest();
    const delayedCallId = `pbx-${randomUUID()}`;
    const delayed = jobIdForCall(delayedCallId);
    await env.queue.queue.add(CALL_JOB_NAME, { ...waiting.job.data, clientUniqueId: delayedCallId }, { jobId: delayed, delay: 3_600_000 });
    return {
      waiting: waiting.jobId,
      delayed,
      async release() {
        await Promise.all([env.queue.queue.remove(waiting.jobId), env.queue.queue.remove(delayed)]);
        expect((await admin('/queues/api/queues/calls/resume', { method: 'PUT' })).statusCode).toBe(200);
      },
    };
  }
  const stateOf = async (jobId: string) => (await env.queue.queue.getJob(jobId))?.getState();

  it('When a request has no token, a wrong token or a forged cookie, then /admin answers 401 and shows nothing', async () => {
    for (const headers of [{ authorization: '' }, { authorization: `Bearer ${ADMIN_TOKEN}x` }, { authorization: 'Basic Zm9vOmJhcg==' }, { authorization: '', cookie: `gong_ingest_admin=${ADMIN_TOKEN}` }]) {
      for (const path of ['/jobs', '/calls/x', '/queues', '/queues/api/queues']) {
        const res = await admin(path, { headers });
        expect({ path, status: res.statusCode }).toEqual({ path, status: 401 });
        expect(json(res.body)).toMatchObject({ error: 'unauthorized' });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
    const replay = await admin('/replay', { method: 'POST', json: {}, headers: { authorization: '' } });
    expect(replay.statusCode).toBe(401);
    const wrongQueryToken = await admin(`/queues?token=${ADMIN_TOKEN}x`, { headers: { authorization: '' } });
    expect(wrongQueryToken.statusCode).toBe(401);
    expect(wrongQueryToken.headers['set-cookie']).toBeUndefined();
  });

  it('When ADMIN_TOKEN is not set, then /admin does not exist (404)', async () => {
    const plain = await startInProcess(env.serviceEnv({ ROLE: 'api' }));
    try {
      for (const path of ['/admin/jobs', '/admin/queues', `/admin/queues?token=${ADMIN_TOKEN}`]) {
        const res = await got(`${plain.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, throwHttpErrors: false, followRedirect: false });
        expect({ path, status: res.statusCode }).toEqual({ path, status: 404 });
      }
    } finally {
      await plain.stop();
    }
  });

  it('When a call fails on Gong, then the failed list shows its call id, class, reason and attempts, and filters find it', async () => {
    const { callId, jobId } = await failedOnCreate();
    const res = await admin('/jobs?state=failed&limit=1000');
    expect(res.statusCode).toBe(200);
    const row = json(res.body).jobs.find((j: { jobId: string }) => j.jobId === jobId);
    expect(row).toMatchObject({
      jobId,
      callId,
      source: 'generic',
      state: 'failed',
      failureClass: 'gong_import_disabled',
      failedReason: expect.stringMatching(/^\[gong_import_disabled\] .*admin must enable/),
      attemptsMade: 1,
      receivedAt: expect.any(String),
      finishedOn: expect.any(String),
    });
    expect(row.gongCallId).toBeUndefined();

    const byReason = json((await admin('/jobs?state=failed&reason=IMPORT%20FOR%20THIS%20USER&limit=1000')).body);
    expect(byReason.jobs.map((j: { jobId: string }) => j.jobId)).toContain(jobId);
    const otherReason = json((await admin('/jobs?state=failed&reason=no-reason-reads-like-this')).body);
    expect(otherReason.jobs).toEqual([]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(json((await admin(`/jobs?state=failed&since=${future}`)).body).jobs).toEqual([]);
  });

  it('When query values are invalid, then the answer is 400 naming each field', async () => {
    const res = await admin('/jobs?state=stuck&limit=5000&since=yesterday&colour=red');
    expect(res.statusCode).toBe(400);
    const fields = json(res.body).fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['query.colour', 'query.limit', 'query.since', 'query.state']);

    const body = await admin('/replay', { method: 'POST', json: { dryRun: 'yes', since: 'soon' } });
    expect(body.statusCode).toBe(400);
    expect(json(body.body).fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.dryRun', 'body.since']);
    const bare = await admin('/replay', { method: 'POST' });
    expect(bare.statusCode).toBe(400);
    const form = await admin('/replay', { method: 'POST', body: 'dryRun=true', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
  });

  it('When a job that failed on the create is replayed after the fix, then Gong ends with its media and exactly one call', async () => {
    const { callId, jobId, audio } = await failedOnCreate();
    env.gong.configure({ importDisabledUsers: [] });
    const createdBefore = env.gong.ledger.count({ op: 'createCall', status: 200 });

    const res = await admin(`/jobs/${jobId}/replay`, { method: 'POST' });
    expect(res.statusCode).toBe(202);
    expect(json(res.body)).toMatchObject({ replayed: true, jobId, callId });
    await finish(jobId);

    expect(callsFor(callId)).toHaveLength(1);
    expect(callsFor(callId)[0]!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 }) - createdBefore).toBe(1);
    const stored = await env.queue.queue.getJob(jobId);
    expect(stored?.attemptsMade).toBe(1); // reset by the replay, then one successful attempt
  });

  it('When a job failed after Gong created its call, then the replay resumes from the checkpoint: upload only, no second call', async () => {
    env.gong.faults.failNext('uploadMedia', { status: 403 });
    const { callId, jobId, audio } = await ingest();
    await expect(finish(jobId)).rejects.toThrow(/\[gong_auth\]/);
    const gongCallId = (await env.queue.queue.getJob(jobId))!.data.gongCallId;
    expect(gongCallId).toBe(callsFor(callId)[0]!.callId);
    const createsBefore = env.gong.ledger.count({ op: 'createCall' });

    const res = await admin(`/jobs/${jobId}/replay`, { method: 'POST' });
    expect(json(res.body)).toMatchObject({ replayed: true, resumesGongCallId: gongCallId });
    await finish(jobId);

    expect(env.gong.ledger.count({ op: 'createCall' })).toBe(createsBefore);
    expect(callsFor(callId)).toHaveLength(1);
    expect(callsFor(callId)[0]!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
  });

  it("When a failed job is replayed, then its attempts and 429-wait counter start again and its data is kept", async () => {
    const { jobId } = await failedOnCreate();
    const failed = (await env.queue.queue.getJob(jobId))!;
    await failed.updateData({ ...failed.data, rateLimitedWaits: 20 });

    expect((await admin(`/jobs/${jobId}/replay`, { method: 'POST' })).statusCode).toBe(202);
    await expect(finish(jobId)).rejects.toThrow(/\[gong_import_disabled\]/); // still disabled: fails again

    const again = (await env.queue.queue.getJob(jobId))!;
    expect(again.attemptsMade).toBe(1);
    expect(again.data.rateLimitedWaits).toBeUndefined();
    expect(again.data).toMatchObject({ clientUniqueId: failed.data.clientUniqueId, recording: failed.data.recording, intakeId: failed.data.intakeId });
  });

  it('When the job is not failed or does not exist, then replay refuses with 409 or 404 and changes nothing', async () => {
    const { jobId } = await ingest();
    await finish(jobId);
    const res = await admin(`/jobs/${jobId}/replay`, { method: 'POST' });
    expect(res.statusCode).toBe(409);
    expect(json(res.body)).toMatchObject({ error: 'job_not_replayable', state: 'completed', message: expect.stringMatching(/only failed jobs/) });
    expect(await (await env.queue.queue.getJob(jobId))!.getState()).toBe('completed');

    const unknown = await admin('/jobs/call-no-such-call/replay', { method: 'POST' });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown.body)).toMatchObject({ error: 'job_not_found', jobId: 'call-no-such-call' });
  });

  it('When a call is shown, then the answer has its state, failure, data and checkpoints but no stack trace', async () => {
    const { callId, jobId } = await failedOnCreate();
    const res = await admin(`/calls/${encodeURIComponent(callId)}`);
    expect(res.statusCode).toBe(200);
    expect(json(res.body)).toMatchObject({
      jobId,
      callId,
      state: 'failed',
      failureClass: 'gong_import_disabled',
      attemptsMade: 1,
      data: { clientUniqueId: callId, source: 'generic', recording: { kind: 's3', bucket: 'recordings' } },
    });
    expect(res.body).not.toMatch(/stacktrace|\n\s+at /i);
    expect((await admin('/calls/no-such-call')).statusCode).toBe(404);
  });

  it('When replay-many is a dry run, then it lists the matching failed jobs and changes nothing; run for real, it replays only those', async () => {
    const since = new Date().toISOString();
    const a = await failedOnCreate();
    const b = await failedOnCreate();
    const other = await ingest({ notAudio: true });
    await expect(finish(other.jobId)).rejects.toThrow(/\[unsupported_format\]/);
    const gongRequestsBefore = env.gong.ledger.requests().length;

    const dry = await admin('/replay', { method: 'POST', json: { since, reason: 'Import', dryRun: true } });
    expect(dry.statusCode).toBe(200);
    const planned = json(dry.body);
    expect(planned).toMatchObject({ dryRun: true, matched: 2, replayed: 0, errors: [] });
    expect(planned.jobs.map((j: { jobId: string }) => j.jobId).sort()).toEqual([a.jobId, b.jobId].sort());
    for (const { jobId } of [a, b, other]) {
      const job = (await env.queue.queue.getJob(jobId))!;
      expect({ jobId, state: await job.getState(), attempts: job.attemptsMade }).toEqual({ jobId, state: 'failed', attempts: 1 });
    }
    expect(env.gong.ledger.requests().length).toBe(gongRequestsBefore);

    env.gong.configure({ importDisabledUsers: [] });
    const real = await admin('/replay', { method: 'POST', json: { since, reason: 'import' } });
    expect(real.statusCode).toBe(202);
    expect(json(real.body)).toMatchObject({ dryRun: false, matched: 2, replayed: 2, errors: [] });
    await Promise.all([finish(a.jobId), finish(b.jobId)]);
    expect(callsFor(a.callId)).toHaveLength(1);
    expect(callsFor(b.callId)).toHaveLength(1);
    expect(await (await env.queue.queue.getJob(other.jobId))!.getState()).toBe('failed');
  });

  it('When Bull Board lists and shows jobs, then no configured secret appears in what it returns', async () => {
    // A failed and a completed job of its own: the check must look at real jobs whatever ran before it.
    await failedOnCreate();
    const done = await ingest();
    await finish(done.jobId);
    const serviceEnv = env.serviceEnv({ ADMIN_TOKEN });
    const secrets = [
      ADMIN_TOKEN,
      serviceEnv.WEBHOOK_SECRET!,
      serviceEnv.WEBHOOK_SECRET!.slice('whsec_'.length),
      serviceEnv.GONG_ACCESS_KEY_SECRET!,
      env.gong.authHeader().replace(/^Basic /, ''),
      serviceEnv.AWS_SECRET_ACCESS_KEY!,
    ];
    let seenJobs = 0;
    for (const status of ['failed', 'completed']) {
      const list = await admin(`/queues/api/queues?activeQueue=calls&status=${status}&page=1&jobsPerPage=50`);
      expect(list.statusCode).toBe(200);
      const jobs = json(list.body).queues[0].jobs as Array<{ id: string; data: unknown }>;
      seenJobs += jobs.length;
      for (const job of jobs.slice(0, 3)) {
        const one = await admin(`/queues/api/queues/calls/${encodeURIComponent(job.id)}`);
        expect(one.statusCode).toBe(200);
        for (const secret of secrets) expect(one.body).not.toContain(secret);
      }
      for (const secret of secrets) expect(list.body).not.toContain(secret);
    }
    expect(seenJobs).toBeGreaterThan(1); // the check above looked at real jobs
  });

  it('When a browser opens /admin with ?token=, then it gets an HttpOnly, SameSite=Strict cookie for /admin and the same URL without the token', async () => {
    const res = await admin(`/queues?token=${ADMIN_TOKEN}&status=failed`, { headers: { authorization: '' } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/queues?status=failed');
    const setCookie = res.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/^gong_ingest_admin=[^;]+; /);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/admin(;|$)/);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0]!;

    const withCookie = await admin('/jobs?state=failed&limit=1', { headers: { authorization: '', cookie } });
    expect(withCookie.statusCode).toBe(200);
    const board = await admin('/queues', { headers: { authorization: '', cookie } });
    expect(board.statusCode).toBe(200);
    expect(board.headers['content-type']).toMatch(/text\/html/);
    const tampered = await admin('/jobs', { headers: { authorization: '', cookie: `${cookie.slice(0, -2)}xx` } });
    expect(tampered.statusCode).toBe(401);
  });

  it("When the board's Retry is used, then the job is replayed with attempts reset; emptying the queue or cleaning unfinished jobs is refused", async () => {
    const { callId, jobId } = await failedOnCreate();
    env.gong.configure({ importDisabledUsers: [] });
    const retry = await admin(`/queues/api/queues/calls/${jobId}/retry`, { method: 'PUT' });
    expect(retry.statusCode).toBe(204);
    await finish(jobId);
    expect(callsFor(callId)).toHaveLength(1);
    expect((await env.queue.queue.getJob(jobId))!.attemptsMade).toBe(1);

    for (const path of ['/queues/api/queues/calls/empty', '/queues/api/queues/calls/obliterate', '/queues/api/queues/calls/clean/wait', '/queues/api/queues/calls/clean/delayed']) {
      const res = await admin(path, { method: 'PUT' });
      expect({ path, status: res.statusCode }).toEqual({ path, status: 405 });
    }
    expect((await env.queue.counts()).completed).toBeGreaterThan(0);
  });

  it("When the board's per-job Clean is used on a waiting, delayed or failed job, then it is refused (405) and the job stays; a completed job is removed", async () => {
    const failed = await failedOnCreate();
    const completed = await ingest();
    await finish(completed.jobId);
    const held = await heldJobs();
    try {
      for (const [jobId, state] of [[failed.jobId, 'failed'], [held.waiting, 'waiting'], [held.delayed, 'delayed']] as const) {
        const res = await admin(`/queues/api/queues/calls/${encodeURIComponent(jobId)}/clean`, { method: 'PUT' });
        expect({ state, status: res.statusCode }).toEqual({ state, status: 405 });
        expect(json(res.body).error).toMatch(/^Disabled in gong-ingest: /);
        expect(await stateOf(jobId)).toBe(state);
      }
    } finally {
      await held.release();
    }
    const removed = await admin(`/queues/api/queues/calls/${encodeURIComponent(completed.jobId)}/clean`, { method: 'PUT' });
    expect(removed.statusCode).toBe(204);
    expect(await env.queue.queue.getJob(completed.jobId)).toBeUndefined();
    expect((await admin('/queues/api/queues/calls/call-no-such-job/clean', { method: 'PUT' })).statusCode).toBe(404);
  });

  it("When the board's API is called with the queue name percent-encoded, another case or an unlisted route, then nothing that can lose a call gets through and the queue is intact", async () => {
    const held = await heldJobs(); // paused: Bull Board's obliterate would go through
    try {
      const delayedData = (await env.queue.queue.getJob(held.delayed))!.data;
      const countsBefore = await env.queue.counts();
      const q = '/queues/api/queues/%63alls';
      const attempts: Array<{ method: 'PUT' | 'POST' | 'PATCH' | 'DELETE'; path: string; json?: Record<string, unknown> }> = [
        { method: 'PUT', path: `${q}/obliterate` },
        { method: 'PUT', path: `${q}/empty` },
        { method: 'PUT', path: `${q}/clean/wait` },
        { method: 'PUT', path: `${q}/clean/paused` },
        { method: 'PUT', path: `${q}/clean/delayed` },
        { method: 'PUT', path: `${q}/${encodeURIComponent(held.waiting)}/clean` },
        { method: 'PUT', path: `${q}/${encodeURIComponent(held.delayed)}/clean` },
        { method: 'PATCH', path: `${q}/${encodeURIComponent(held.delayed)}/update-data`, json: { data: { clientUniqueId: 'edited' } } },
        { method: 'POST', path: `${q}/add`, json: { name: CALL_JOB_NAME, data: {} } },
        { method: 'PUT', path: `${q}/concurrency`, json: { concurrency: 0 } },
        { method: 'PUT', path: '/queues/API/Queues/calls/obliterate' },
        { method: 'PUT', path: '/queues/api/queues/calls/EMPTY/' },
        { method: 'PUT', path: '/queues/api/queues/c%61lls/%6fbliterate' },
        { method: 'DELETE', path: '/queues/api/queues/calls' },
      ];
      for (const { method, path, json: body } of attempts) {
        const res = await admin(path, { method, ...(body ? { json: body } : {}) });
        expect({ method, path, status: res.statusCode }).toEqual({ method, path, status: 405 });
        expect(json(res.body).error).toMatch(/^Disabled in gong-ingest: /);
      }
      expect(await env.queue.queue.isPaused()).toBe(true); // the queue's meta key is still there: not obliterated
      expect(await env.queue.counts()).toEqual(countsBefore);
      expect(await stateOf(held.waiting)).toBe('waiting');
      expect(await stateOf(held.delayed)).toBe('delayed');
      expect((await env.queue.queue.getJob(held.delayed))!.data).toEqual(delayedData);
    } finally {
      await held.release();
    }
  });

  it("When the board's Retry comes with the queue name percent-encoded, then it is still the project's replay (attempts reset), and Retry all and Clean all still reach the project's handlers", async () => {
    const { callId, jobId } = await failedOnCreate();
    env.gong.configure({ importDisabledUsers: [] });
    const retry = await admin(`/queues/api/queues/%63alls/${encodeURIComponent(jobId)}/retry`, { method: 'PUT' });
    expect(retry.statusCode).toBe(204);
    await finish(jobId);
    expect(callsFor(callId)).toHaveLength(1);
    expect((await env.queue.queue.getJob(jobId))!.attemptsMade).toBe(1);

    const retryCompleted = await admin('/queues/api/queues/calls/retry/completed', { method: 'PUT' });
    expect(retryCompleted.statusCode).toBe(400);
    expect(json(retryCompleted.body).error).toMatch(/Only failed jobs/);
    const cleanCompleted = await admin('/queues/api/queues/calls/clean/completed', { method: 'PUT' });
    expect(cleanCompleted.statusCode).toBe(200);
    expect((await admin('/queues/api/queues/other/clean/completed', { method: 'PUT' })).statusCode).toBe(404);
  });
});
