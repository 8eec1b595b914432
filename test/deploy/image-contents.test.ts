import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '../../tools/deploy/helm-binary.js';

/**
 * Replays the Dockerfile without Docker (tools/deploy/verify-image-contents.ts): npm ci, build, prune in a clean copy
 * of the build context, then starts the runtime stage as ROLE=api and ROLE=worker against the Redis at
 * 127.0.0.1:6379 and stops each with SIGTERM. Slow (about a minute, most of it `npm ci`): it has its own timeout.
 */
const TIMEOUT_MS = 15 * 60_000;

describe('the image the Dockerfile builds', () => {
  it(
    'builds from a clean copy, starts as api and as worker, answers /healthz, and exits 0 on SIGTERM',
    async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'tools/deploy/verify-image-contents.ts'], {
        cwd: REPO_ROOT,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect({ code, tail: code === 0 ? '' : output.slice(-6000) }).toEqual({ code: 0, tail: '' });
      expect(output).toMatch(/ROLE=api: SIGTERM → exit code 0/);
      expect(output).toMatch(/ROLE=worker: SIGTERM → exit code 0/);
    },
    TIMEOUT_MS,
  );
});
