import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots land here (git-ignored) so a person can see what the board looked like. */
const SHOTS = fileURLToPath(new URL('../../.tmp/', import.meta.url));

/**
 * Bull Board in a real browser (Debian's chromium through playwright-core) against a real service: the token gate
 * as a browser meets it, and the board's Retry button ending with exactly one call in the Gong emulator.
 */
describe('Bull Board in a browser', () => {
  const ADMIN_TOKEN = `admin-${randomBytes(18).toString('hex')}`;
  const DISABLED_USER = '999';
  let env: PipelineEnv;
  let service: ServiceHandle;
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
    mkdirSync(SHOTS, { recursive: true });
    env = await startPipelineEnv('board');
    service = await startInProcess(env.serviceEnv({ ROLE: 'all', ADMIN_TOKEN, LOG_LEVEL: 'info' }));
    profile = mkdtempSync(join(tmpdir(), 'gong-ingest-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await service?.stop();
    await env?.close();
  });

  async function failedCall() {
    const callId = `pbx-${randomUUID()}`;
    const key = `2026/11/20/${callId}.wav`;
    const audio = makeWav(64 * 1024);
    await env.s3.put('recordings', key, audio);
    env.gong.configure({ importDisabledUsers: [DISABLED_USER] });
    try {
      const res = await sendGenericWebhook(service.url, recordingReadyEvent(callId, key, { primaryUser: DISABLED_USER, parties: [{ name: 'Ann', userId: DISABLED_USER }] }));
      expect(res.statusCode).toBe(202);
      const job = (await env.queue.queue.getJob(jobIdForCall(callId)))!;
      await expect(job.waitUntilFinished(env.queue.events, 30_000)).rejects.toThrow(/\[gong_import_disabled\]/);
    } finally {
      env.gong.configure({ importDisabledUsers: [] });
    }
    return { callId, jobId: jobIdForCall(callId), audio };
  }

  const jobCard = (page: Page, jobId: string) =>
    page.locator('div[class*="card-"]').filter({ has: page.locator('[class*="jobId-"]', { hasText: jobId }) }).last();

  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  it('When the board is opened without the token, then it is refused (401) and shows no queue', async () => {
    await context.clearCookies();
    const page = await newPage();
    try {
      const res = await page.goto(`${service.url}/admin/queues`);
      expect(res?.status()).toBe(401);
      expect(await page.content()).not.toContain('calls');
    } finally {
      await page.close();
    }
  });

  it('When the board is opened with ?token=, then it drops the token from the address and shows the calls queue', async () => {
    const page = await newPage();
    try {
      const res = await page.goto(`${service.url}/admin/queues?token=${ADMIN_TOKEN}`);
      expect(res?.status()).toBe(200);
      expect(page.url()).toBe(`${service.url}/admin/queues`);
      await page.getByRole('main').getByRole('link', { name: 'calls', exact: true }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'bull-board-overview.png'), fullPage: true });
      const cookies = await context.cookies(`${service.url}/admin/queues`);
      expect(cookies.find((c) => c.name === 'gong_ingest_admin')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    } finally {
      await page.close();
    }
  });

  it("When a failed job is retried with the board's Retry button, then Gong gets its call once, with the media", async () => {
    const { callId, jobId, audio } = await failedCall();
    const createsBefore = env.gong.ledger.count({ op: 'createCall', status: 200 });
    const page = await newPage();
    try {
      await page.goto(`${service.url}/admin/queues/queue/calls?status=failed&token=${ADMIN_TOKEN}`);
      expect(page.url()).toBe(`${service.url}/admin/queues/queue/calls?status=failed`);
      // The job's card (its id is the card's title) and its Retry icon button; a fresh profile confirms job actions.
      await jobCard(page, jobId).waitFor();
      await page.screenshot({ path: join(SHOTS, 'bull-board-failed.png'), fullPage: true });
      await jobCard(page, jobId).locator('[data-title="Retry"] button').click();
      // Wait for the board's retry request to be answered: until then the job is still failed, and waiting on a
      // failed job rejects at once with its old reason.
      const retried = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/${encodeURIComponent(jobId)}/retry`));
      await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
      expect((await retried).status()).toBe(204);
      const job = (await env.queue.queue.getJob(jobId))!;
      await job.waitUntilFinished(env.queue.events, 30_000);
      await page.goto(`${service.url}/admin/queues/queue/calls?status=completed`);
      await jobCard(page, jobId).waitFor();
      await page.screenshot({ path: join(SHOTS, 'bull-board-after-retry.png'), fullPage: true });
    } finally {
      await page.close();
    }
    const calls = env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.media).toMatchObject({ bytes: audio.length, sha256: sha256(audio) });
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 }) - createsBefore).toBe(1);
  });
});
