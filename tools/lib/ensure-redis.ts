import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../harness/support/service-process.js';

export interface DemoRedis {
  url: string;
  close(): Promise<void>;
}

/**
 * The Redis at `url` when it answers; otherwise a throwaway `redis-server` (no persistence) on a free port,
 * stopped by close(). Without the binary, explains how to get it and exits.
 */
export async function ensureRedis(url: string, say: (line: string) => void): Promise<DemoRedis> {
  if (await answers(url)) return { url, close: async () => {} };
  if (spawnSync('redis-server', ['--version']).error) {
    say(`No Redis answers at ${url} and redis-server is not installed.`);
    say('Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.');
    process.exit(1);
  }
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  const ownUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await answers(ownUrl)); i++) await new Promise((r) => setTimeout(r, 50));
  say(`No Redis answered at ${url}; started a throwaway redis-server on port ${port}`);
  return {
    url: ownUrl,
    close: async () => {
      proc.kill('SIGTERM');
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
