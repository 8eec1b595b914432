import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startRedisNode, type RedisNode } from './redis-node.js';
import { withClient } from './sentinel-group.js';
import { waitUntil } from './wait-until.js';

const run = promisify(execFile);

/** A Redis Cluster of 3 masters with one replica each, created with `redis-cli --cluster create`. */
export interface RedisClusterNodes {
  readonly nodes: RedisNode[];
  /** `REDIS_CLUSTER_NODES` for the service. */
  readonly seeds: string;
  /** The running node that serves `key`'s slot as master now. */
  masterFor(key: string): Promise<RedisNode>;
  /** Waits until every running node reports `cluster_state:ok` (replicas: linked), and `key`'s slot has a running master. */
  waitHealthy(key?: string): Promise<void>;
  remove(): Promise<void>;
}

/** Node timeout: how long a dead master goes unnoticed before its replica is promoted. */
const NODE_TIMEOUT_MS = 2000;

export async function startRedisCluster(): Promise<RedisClusterNodes> {
  const nodes: RedisNode[] = [];
  const remove = () => Promise.all(nodes.map((n) => n.remove())).then(() => undefined);
  try {
    for (let i = 0; i < 6; i++) {
      nodes.push(await startRedisNode({ label: 'cluster', args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--appendonly', 'no'] }));
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
    const cluster: RedisClusterNodes = {
      nodes,
      seeds: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
      async masterFor(key) {
        const live = nodes.find((n) => n.running)!;
        return withClient(live, async (c) => {
          const slot = Number(await c.call('CLUSTER', 'KEYSLOT', key));
          const ranges = (await c.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
          const range = ranges.find(([start, end]) => slot >= start && slot <= end);
          const node = nodes.find((n) => n.port === Number(range?.[2][1]));
          if (!node) throw new Error(`no master serves slot ${slot}`);
          return node;
        });
      },
      async waitHealthy(key) {
        for (const node of nodes.filter((n) => n.running)) {
          await withClient(node, async (c) => {
            await waitUntil(`cluster node ${node.port} state ok`, async () => /cluster_state:ok/.test((await c.call('CLUSTER', 'INFO')) as string), 60_000);
            // A replica that never finished its first sync cannot be promoted ("data age too old"): wait for the link.
            await waitUntil(`cluster node ${node.port} replication link`, async () => {
              const info = await c.info('replication');
              return /role:master/.test(info) || /master_link_status:up/.test(info);
            }, 60_000);
          });
        }
        if (key !== undefined) await waitUntil(`a running master for ${key}`, async () => (await cluster.masterFor(key)).running, 60_000);
      },
      remove,
    };
    await cluster.waitHealthy();
    return cluster;
  } catch (error) {
    await remove();
    throw error;
  }
}
