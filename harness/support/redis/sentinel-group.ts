import type { Redis } from 'ioredis';
import { startRedisNode, type RedisNode } from './redis-node.js';
import type { TlsFiles } from './tls-certs.js';
import { waitUntil } from './wait-until.js';

/** A master, one replica and three sentinels (quorum 2), as a managed "Redis with Sentinel" offering runs it. */
export interface SentinelGroup {
  readonly name: string;
  /** The two data nodes; which one is master changes with a failover. */
  readonly dataNodes: RedisNode[];
  readonly sentinels: RedisNode[];
  /** `REDIS_SENTINELS` for the service: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  readonly sentinelList: string;
  /** The data node the sentinels name as master now. */
  master(): Promise<RedisNode>;
  /**
   * `SENTINEL FAILOVER`, then waits until the sentinels name the other node and it answers as master. Resolves with
   * when the command was sent (ms epoch) and the old and new master.
   */
  failover(): Promise<{ at: number; from: RedisNode; to: RedisNode }>;
  remove(): Promise<void>;
}

export interface SentinelGroupOptions {
  /** Data nodes serve TLS only (client certificates required). @defaultValue undefined */
  tls?: TlsFiles;
  /** With `tls`: the sentinels serve TLS too. @defaultValue false */
  sentinelTls?: boolean;
  /** @defaultValue 'mymaster' */
  name?: string;
}

export async function startSentinelGroup(options: SentinelGroupOptions = {}): Promise<SentinelGroup> {
  const name = options.name ?? 'mymaster';
  const started: RedisNode[] = [];
  const remove = () => Promise.all(started.map((n) => n.remove())).then(() => undefined);
  try {
    const primary = await startRedisNode({ tls: options.tls, label: 'sentinel-master' });
    started.push(primary);
    const replica = await startRedisNode({ tls: options.tls, label: 'sentinel-replica', args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    started.push(replica);
    await waitForLink(replica);
    const config = [
      `sentinel monitor ${name} 127.0.0.1 ${primary.port} 2`,
      `sentinel down-after-milliseconds ${name} 2000`,
      `sentinel failover-timeout ${name} 10000`,
      `sentinel parallel-syncs ${name} 1`,
    ].join('\n');
    const sentinels: RedisNode[] = [];
    for (let i = 0; i < 3; i++) {
      const sentinel = await startRedisNode({ tls: options.tls, serveTls: options.sentinelTls === true, sentinelConfig: config, label: 'sentinel' });
      started.push(sentinel);
      sentinels.push(sentinel);
    }
    // A failover needs every sentinel to know the replica and the other sentinels (they meet through the master).
    for (const sentinel of sentinels) {
      await withClient(sentinel, (c) =>
        waitUntil(`sentinel ${sentinel.port} to see the replica and 2 other sentinels`, async () => {
          const master = toRecord((await c.call('SENTINEL', 'MASTER', name)) as string[]);
          return Number(master['num-slaves']) === 1 && Number(master['num-other-sentinels']) === 2;
        }),
      );
    }
    const dataNodes = [primary, replica];
    const group: SentinelGroup = {
      name,
      dataNodes,
      sentinels,
      sentinelList: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      async master() {
        const [, port] = (await withClient(sentinels[0]!, (c) => c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name))) as [string, string];
        return dataNodes.find((n) => n.port === Number(port))!;
      },
      async failover() {
        const from = await group.master();
        const to = dataNodes.find((n) => n !== from)!;
        // Only promote a replica that is in sync: SENTINEL FAILOVER refuses (NOGOODSLAVE) a replica whose link is down.
        await waitForLink(to);
        const at = Date.now();
        await withClient(sentinels[0]!, (c) => c.call('SENTINEL', 'FAILOVER', name));
        await waitUntil('the sentinels to name the new master', async () => (await group.master()) === to);
        await withClient(to, (c) => waitUntil('the promoted node to answer as master', async () => (await c.call('ROLE')) instanceof Array && ((await c.call('ROLE')) as unknown[])[0] === 'master'));
        return { at, from, to };
      },
      remove,
    };
    return group;
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Waits until a replica's link to its master is up (it has the master's data set and streams its writes). */
export async function waitForLink(replica: RedisNode): Promise<void> {
  await withClient(replica, (c) => waitUntil(`replica ${replica.port} link up`, async () => /master_link_status:up/.test(await c.info('replication'))));
}

export async function withClient<T>(node: RedisNode, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = node.client({ maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    return await use(client);
  } finally {
    client.disconnect();
  }
}

function toRecord(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}
