import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3RVER_CREDENTIALS, type LocalS3 } from './local-s3.js';
import { makeWav } from './make-wav.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** One manifest row in the generic webhook's `data` shape. */
export function manifestRow(callId: string, key: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callId,
    startedAt: '2025-06-01T10:00:00Z',
    direction: 'Outbound',
    primaryUser: '234599484848423',
    parties: [{ name: 'Ann Rep', emailAddress: 'ann@acme.com', userId: '234599484848423' }, { phoneNumber: '+15551234567' }],
    recording: { bucket: 'recordings', key },
    ...overrides,
  };
}

/** `count` recordings in s3rver (small and each unique, as Gong refuses the same bytes twice) and their rows. */
export async function importCalls(s3: LocalS3, count: number, label = 'old'): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  const batch = 20;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, async (_, j) => {
        const callId = `${label}-${randomUUID()}`;
        const key = `history/${callId}.wav`;
        await s3.put('recordings', key, makeWav(2048));
        rows[i + j] = manifestRow(callId, key);
      }),
    );
  }
  return rows;
}

export async function writeJsonl(rows: ReadonlyArray<Record<string, unknown> | string>, name = 'manifest.jsonl'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'import-'));
  const path = join(dir, name);
  await writeFile(path, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return path;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunning {
  proc: ChildProcess;
  done: Promise<CliResult>;
  /** Resolves when stderr has printed a line matching. */
  waitForErr(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * The CLI's environment for imports against a local Redis and s3rver: the queue's prefix, the store and its
 * credentials, the default tenant's bucket; `extra` adds or overrides (TENANTS_FILE, JOB_BACKOFF_MS, …).
 */
export function cliImportEnv(wiring: { redisUrl: string; prefix: string; s3Endpoint: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: wiring.redisUrl,
    QUEUE_PREFIX: wiring.prefix,
    S3_ENDPOINT: wiring.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ALLOWED_BUCKETS: 'recordings',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    ...extra,
  };
}

/** The CLI from the sources in its own process, with only the settings given (no Gong credentials, no secret). */
export function runCli(env: Record<string, string>, args: string[], cwd?: string): CliRunning {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: cwd ?? root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_REGION: 'us-east-1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  proc.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    for (const w of waiters) w();
  });
  const done = new Promise<CliResult>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    proc,
    done,
    waitForErr(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no stderr line matching ${pattern} within ${timeoutMs} ms:\n${stderr.slice(-2000)}`)), timeoutMs);
        const check = () => {
          if (!pattern.test(stderr)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
        void done.then(() => {
          if (waiters.has(check)) {
            clearTimeout(timer);
            reject(new Error(`the CLI ended before printing ${pattern}:\n${stderr.slice(-2000)}`));
          }
        });
      });
    },
  };
}
