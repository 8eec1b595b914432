import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { createLogCollector, type ServiceHandle } from './service-logs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A service in its own process: a test can also signal or kill it (`proc`). */
export interface ServiceProcess extends ServiceHandle {
  proc: ChildProcess;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Runs the service the way production does (src/main.ts, its own process, real sockets) through tsx, so tests
 * can kill it, restart it and read its logs. Resolves once it listens.
 */
export interface StartOptions {
  /** @defaultValue true */
  waitForListening?: boolean;
  /** Run the compiled service (`dist/main.js`, after `npm run build`) instead of the sources through tsx. */
  built?: boolean;
  /** Options for node before the entry point, e.g. `['--import', './harness/support/report-otel-modules.mjs']`. @defaultValue [] */
  nodeArgs?: string[];
  /**
   * A command that runs node for the service, its arguments followed by node's path and node's own arguments (a
   * benchmark puts the server into a memory-limited cgroup this way: tools/lib/memory-cgroup.ts). @defaultValue []
   */
  launcher?: string[];
}

/** How long stop() waits after its signal before it kills: a failing test must not leave a child that hangs jest. */
const STOP_DEADLINE_MS = 45_000;

export async function startService(env: Record<string, string>, options: StartOptions = {}): Promise<ServiceProcess> {
  const waitForListening = options.waitForListening !== false;
  // Listening, the service binds port 0 and logs the port it got: no window in which another process can take a
  // port picked here. A service not awaited (start-up failure tests) gets a free port picked here instead.
  let port = env.PORT ? Number(env.PORT) : waitForListening ? 0 : await freePort();
  const args = [...(options.nodeArgs ?? []), ...(options.built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'])];
  const [command, ...commandArgs] = [...(options.launcher ?? []), process.execPath, ...args] as [string, ...string[]];
  const proc = spawn(command, commandArgs, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'debug', AWS_REGION: 'us-east-1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': by then stdout is read to the end, so a last log line is never missed.
  const exited = once(proc, 'close').then(([code]) => code as number | null);
  const collector = createLogCollector(exited);
  createInterface({ input: proc.stdout! }).on('line', collector.line);
  proc.stderr!.on('data', (chunk: Buffer) => collector.text(chunk.toString()));

  const service: ServiceProcess = {
    ...collector.collected,
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    proc,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const killer = setTimeout(() => proc.kill('SIGKILL'), STOP_DEADLINE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    },
  };
  if (waitForListening) {
    try {
      const listening = await service.waitForLog((l) => l.msg === 'listening');
      port = Number(listening.port);
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
  }
  return service;
}
