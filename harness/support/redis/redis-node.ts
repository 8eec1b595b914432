import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { freePort } from '../service-process.js';
import type { TlsFiles } from './tls-certs.js';
import { waitUntil } from './wait-until.js';

/** One redis-server (or sentinel) process of a test's own, on a free loopback port, in a temp dir of its own. */
export interface RedisNode {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `redis://` or, for a TLS-only node, `rediss://`. */
  readonly url: string;
  readonly dir: string;
  /** The certificates, when the node serves TLS. */
  readonly tls?: TlsFiles;
  /** A new client to this node (TLS with the test CA and client certificate when the node speaks TLS). */
  client(options?: RedisOptions): Redis;
  /** Starts the process again on the same port, dir and arguments (AOF and nodes.conf are kept). */
  start(): Promise<void>;
  /** SIGKILL: no shutdown, no final fsync beyond what appendfsync already did. */
  kill(): Promise<void>;
  /** Kills the process if running and removes its dir. */
  remove(): Promise<void>;
  readonly running: boolean;
}

export interface RedisNodeOptions {
  /** Extra redis-server arguments (`--appendonly yes` …), after the harness's own. @defaultValue [] */
  args?: string[];
  /**
   * Certificates: the node serves TLS only (`--port 0 --tls-port P`, client certificates required) and speaks TLS to
   * its master (or, for a sentinel, to the data nodes). @defaultValue undefined (plain TCP)
   */
  tls?: TlsFiles;
  /** With `tls`: serve clients over TLS. false: a sentinel that talks TLS to data nodes but plain TCP to clients. @defaultValue true */
  serveTls?: boolean;
  /** Run as a sentinel with this config text (port, TLS and dir lines are added here). @defaultValue undefined */
  sentinelConfig?: string;
  /** A name for the temp dir, to read failures more easily. @defaultValue 'redis' */
  label?: string;
}

/** Arguments every test node shares: loopback only, no RDB snapshots, and the eviction policy the README requires. */
const BASE_ARGS = ['--bind', '127.0.0.1', '--save', '', '--maxmemory-policy', 'noeviction', '--protected-mode', 'no'];

export function tlsServerArgs(tls: TlsFiles, port: number): string[] {
  return ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.serverCert, '--tls-key-file', tls.serverKey, '--tls-ca-cert-file', tls.caCert, '--tls-auth-clients', 'yes', '--tls-replication', 'yes'];
}

/** ioredis TLS options for a node the harness started: the test CA, the client certificate, loopback's IP name. */
export function tlsClientOptions(tls: TlsFiles): NonNullable<RedisOptions['tls']> {
  return { ca: tls.caPem, cert: tls.clientCertPem, key: tls.clientKeyPem };
}

/** Every redis-server this process started and has not seen exit: killed if the test process exits first. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRedisNode(options: RedisNodeOptions = {}): Promise<RedisNode> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), `${options.label ?? 'redis'}-`));
  const serveTls = options.tls !== undefined && options.serveTls !== false;
  const listen = serveTls ? tlsServerArgs(options.tls!, port) : ['--port', String(port)];
  let args: string[];
  if (options.sentinelConfig !== undefined) {
    const conf = join(dir, 'sentinel.conf');
    // A sentinel rewrites its config file as it learns the topology, so it must be a file of its own.
    const tlsLines = options.tls
      ? [`tls-cert-file ${options.tls.serverCert}`, `tls-key-file ${options.tls.serverKey}`, `tls-ca-cert-file ${options.tls.caCert}`, 'tls-replication yes']
      : [];
    await writeFile(conf, [`dir ${dir}`, 'bind 127.0.0.1', 'protected-mode no', ...tlsLines, options.sentinelConfig].join('\n') + '\n');
    args = [conf, '--sentinel', ...listen];
  } else {
    args = ['--dir', dir, ...BASE_ARGS, ...listen, ...(options.args ?? [])];
  }
  let proc: ChildProcess | undefined;
  const clientOptions = (extra: RedisOptions = {}): RedisOptions => ({
    host: '127.0.0.1',
    port,
    ...(serveTls ? { tls: tlsClientOptions(options.tls!) } : {}),
    ...extra,
  });

  const node: RedisNode = {
    host: '127.0.0.1',
    port,
    url: `${serveTls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    dir,
    tls: serveTls ? options.tls : undefined,
    client: (extra) => new Redis(clientOptions(extra)),
    get running() {
      return proc !== undefined && proc.exitCode === null && proc.signalCode === null;
    },
    async start() {
      const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'inherit'] });
      proc = child;
      running.add(child);
      child.once('exit', () => running.delete(child));
      await waitUntil(`redis-server on port ${port} to answer PING`, () => pingOnce(clientOptions()), 15_000);
    },
    async kill() {
      if (!node.running) return;
      const exited = once(proc!, 'exit');
      proc!.kill('SIGKILL');
      await exited;
    },
    async remove() {
      await node.kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await node.start();
  } catch (error) {
    await node.remove();
    throw error;
  }
  return node;
}

async function pingOnce(options: RedisOptions): Promise<boolean> {
  const client = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } finally {
    client.disconnect();
  }
}
