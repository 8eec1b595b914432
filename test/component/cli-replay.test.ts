import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { jobIdForCall } from '../../src/queue/job-id.js';
import { makeWav, sha256 } from '../../harness/support/make-wav.js';
import { startPipelineEnv, type PipelineEnv } from '../../harness/support/pipeline-env.js';
import { startInProcess } from '../../harness/support/in-process-service.js';
import type { ServiceHandle } from '../../harness/support/service-logs.js';
import { TEST_REDIS_URL } from '../../harness/support/test-queue.js';
import { recordingReadyEvent, sendGenericWebhook } from '../../harness/support/webhook.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The `gong-ingest` CLI run as operators run it: its own process, only Redis settings in its environment, against
 * a queue that a real service (API + worker, s3rver, Gong emulator) filled with failed jobs.
 */
describe('gong-ingest CLI', () => {
  const DISABLED_USER = '999';
  let env: PipelineEnv;
  let service: ServiceHandle;

  beforeAll(async () => {
    env = await startPipelineEnv('cli');
    service = await startInProcess(env.serviceEnv({ ROLE: 'all' }));
  });
  afterAll(async () => {
    await service?.stop();
    await env?.close();
  });
  afterEach(() => env.gong.configure({ importDisabledUsers: [] }));

  /** Runs the CLI from the sources; only PATH and the Redis settings in its environment (no service secrets). */
  function cli(...args: string[]): Promise<CliRun> {
    return cliWith({}, ...args);
  }

  function cliWith(extraEnv: Record<string, string>, ...args: string[]): Promise<CliRun> {
    const started = Date.now();
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', ...args],
        { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: env.prefix, ...extraEnv }, timeout: 20_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ code, stdout, stderr, ms: Date.now() - started });
        },
      );
    });
  }

  const finish = (jobId: string) => env.queue.queue.getJob(jobId).then((job) => job!.waitUntilFinished(env.queue.events, 30_000));
  const stateOf = async (jobId: string) => (await env.queue.queue.getJob(jobId))!.getState();
  const callsFor = (callId: string) => env.gong.ledger.calls().filter((c) => c.clientUniqueId === callId);

  /** A call whose job fails: on Gong's create (import disabled) or on the recording (not audio). */
  async function failedCall(kind: 'import_disabled' | 'not_audio') {
    const callId = `pbx-${randomUUID()}`;
    const key = `2026/11/20/${callId}.wav`;
    const audio = kind === 'not_audio' ? Buffer.from('not a recording at all') : makeWav(64 * 1024);
    await env.s3.put('recordings', key, audio);
    if (kind === 'import_disabled') env.gong.configure({ importDisabledUsers: [DISABLED_USER] });
    const overrides = kind === 'import_disabled' ? { primaryUser: DISABLED_USER, parties: [{ name: 'Ann', userId: DISABLED_USER }] } : {};
    expect((await sendGenericWebhook(service.url, recordingReadyEvent(callId, key, overrides))).statusCode).toBe(202);
    const jobId = jobIdForCall(callId);
    await expect(finish(jobId)).rejects.toThrow(kind === 'import_disabled' ? /\[gong_import_disabled\]/ : /\[unsupported_format\]/);
    return { callId, jobId, audio };
  }

  // The failed jobs every test may look at. No test moves them on: the replay tests make and replay failures of
  // their own, so the tests pass alone and in any order (npm test shuffles them).
  let disabledA: Awaited<ReturnType<typeof failedCall>>;
  let disabledB: Awaited<ReturnType<typeof failedCall>>;
  let notAudio: Awaited<ReturnType<typeof failedCall>>;
  beforeAll(async () => {
    disabledA = await failedCall('import_disabled');
    disabledB = await failedCall('import_disabled');
    notAudio = await failedCall('not_audio');
    env.gong.configure({ importDisabledUsers: [] });
  });

  it('When jobs failed, then `jobs --state failed --json` lists each with call id, class, reason and attempts, and exits 0 promptly', async () => {
    const run = await cli('jobs', '--state', 'failed', '--json');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.ms).toBeLessThan(10_000);
    const rows = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    const byJob = new Map(rows.map((r) => [r.jobId, r]));
    expect(rows).toHaveLength(3);
    for (const { jobId, callId } of [disabledA, disabledB]) {
      expect(byJob.get(jobId)).toMatchObject({ callId, state: 'failed', failureClass: 'gong_import_disabled', attemptsMade: 1, failedReason: expect.stringMatching(/admin must enable/) });
    }
    expect(byJob.get(notAudio.jobId)).toMatchObject({ callId: notAudio.callId, failureClass: 'unsupported_format' });
  });

  it('When `jobs` prints a table, then each failed call is a row with its class and attempts', async () => {
    const run = await cli('jobs', '--state', 'failed', '--limit', '10');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CALL ID\s+CLASS\s+ATTEMPTS\s+FINISHED\s+REASON$/);
    expect(lines.find((l) => l.startsWith(disabledA.callId))).toMatch(/gong_import_disabled\s+1\s+\S+\s+\[gong_import_disabled\]/);
    expect(lines.find((l) => l.startsWith(notAudio.callId))).toMatch(/unsupported_format/);
  });

  it('When `replay --all-failed --reason import --dry-run` runs, then it names the matching jobs and nothing changes', async () => {
    const requestsBefore = env.gong.ledger.requests().length;
    const run = await cli('replay', '--all-failed', '--reason', 'import', '--dry-run', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ dryRun: true, matched: 2, replayed: 0 });
    expect(result.jobs.map((j: { jobId: string }) => j.jobId).sort()).toEqual([disabledA.jobId, disabledB.jobId].sort());
    for (const { jobId } of [disabledA, disabledB, notAudio]) expect(await stateOf(jobId)).toBe('failed');
    expect(env.gong.ledger.requests().length).toBe(requestsBefore);
  });

  it('When `replay --all-failed --reason import` runs after the fix, then those jobs complete with one Gong call each and the others stay failed', async () => {
    // Failures of this test's own, narrowed by --since: the shared ones above stay failed for the other tests.
    const since = new Date();
    const ownA = await failedCall('import_disabled');
    const ownB = await failedCall('import_disabled');
    env.gong.configure({ importDisabledUsers: [] });
    const createsBefore = env.gong.ledger.count({ op: 'createCall', status: 200 });
    const run = await cli('replay', '--all-failed', '--reason', 'import', '--since', since.toISOString());
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/Replayed 2 of 2 matching failed job\(s\)/);
    await Promise.all([finish(ownA.jobId), finish(ownB.jobId)]);
    for (const { callId, audio } of [ownA, ownB]) {
      expect(callsFor(callId)).toHaveLength(1);
      expect(callsFor(callId)[0]!.media?.sha256).toBe(sha256(audio));
    }
    expect(env.gong.ledger.count({ op: 'createCall', status: 200 }) - createsBefore).toBe(2);
    for (const { jobId } of [disabledA, disabledB, notAudio]) expect(await stateOf(jobId)).toBe('failed');
  });

  it('When `replay <id>` names a job that is not failed, then it exits 1 saying why; a failed one given by call id is replayed', async () => {
    const callId = `pbx-${randomUUID()}`;
    await env.s3.put('recordings', `${callId}.wav`, makeWav(64 * 1024));
    await sendGenericWebhook(service.url, recordingReadyEvent(callId, `${callId}.wav`));
    await finish(jobIdForCall(callId));
    const done = await cli('replay', jobIdForCall(callId));
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(new RegExp(`${jobIdForCall(callId)}: Job ${jobIdForCall(callId)} is completed, not failed`));

    const failedAgain = await failedCall('import_disabled');
    env.gong.configure({ importDisabledUsers: [] });
    const byCallId = await cli('replay', failedAgain.callId);
    expect(byCallId).toMatchObject({ code: 0, stdout: `replayed ${failedAgain.jobId}\n` });
    await finish(failedAgain.jobId);
    expect(callsFor(failedAgain.callId)).toHaveLength(1);
  });

  it('When `show <callId>` runs, then it prints the job as JSON; for an unknown call it exits 1', async () => {
    const run = await cli('show', notAudio.callId);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ jobId: notAudio.jobId, state: 'failed', failureClass: 'unsupported_format', data: { clientUniqueId: notAudio.callId } });
    const unknown = await cli('show', 'no-such-call');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No job call-no-such-call/);
  });

  it('When the command line or the settings are wrong, then it exits 2 with a message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['replay'], /give the job ids to replay, or --all-failed/],
      [['replay', 'call-x', '--all-failed'], /not both/],
      [['jobs', '--state', 'stuck'], /Allowed choices are failed/],
      [['jobs', '--since', 'yesterday'], /ISO-8601/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
    }
    const badSettings = await cliWith({ REDIS_URL: 'http://not-redis', REDIS_PASSWORD: 'hunter2-secret' }, 'jobs');
    expect(badSettings.code).toBe(2);
    expect(badSettings.stderr).toMatch(/REDIS_URL/);
    expect(badSettings.stderr).not.toContain('not-redis'); // settings problems never echo values
  });
});
