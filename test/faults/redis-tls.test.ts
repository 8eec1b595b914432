import got from 'got';
import { startRedisNode, type RedisNode } from '../../harness/support/redis/redis-node.js';
import { startSentinelGroup, type SentinelGroup } from '../../harness/support/redis/sentinel-group.js';
import { makeTlsFiles, type TlsFiles } from '../../harness/support/redis/tls-certs.js';
import { waitUntil } from '../../harness/support/redis/wait-until.js';
import type { PhoneSystemOptions } from '../../harness/support/phone-system.js';
import type { ServiceProcess } from '../../harness/support/service-process.js';
import { expectEveryAcceptedCallOnceWithItsBytes } from './expect-figures.js';
import { startFaultRig, type FaultRig, type RedisTopology } from '../../harness/faults/scenarios/fault-rig.js';
import { sentinelTopology, standaloneTopology } from '../../harness/faults/scenarios/topologies.js';

/**
 * Redis that speaks only TLS and requires client certificates (`tls-auth-clients yes`, Redis' default), with a CA,
 * server and client certificates made for the test: the service is given them as PEM files.
 */
describe('Redis over TLS', () => {
  let tls: TlsFiles;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    tls = await makeTlsFiles();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await tls?.remove();
  });

  const files = () => ({ REDIS_TLS_CA_FILE: tls.caCert, REDIS_TLS_CERT_FILE: tls.clientCert, REDIS_TLS_KEY_FILE: tls.clientKey });

  async function rigFor(label: string, topology: RedisTopology, env: Record<string, string>, phone: PhoneSystemOptions = {}): Promise<FaultRig> {
    const rig = await startFaultRig({ label, topology, serviceEnv: env, phone });
    cleanups.push(() => rig.close());
    return rig;
  }

  async function expectOneCallThrough(rig: FaultRig): Promise<void> {
    const api = await rig.startApi();
    await rig.startWorker();
    await waitUntil('/readyz to answer 200', async () => (await got(`${api.url}/readyz`, { throwHttpErrors: false })).statusCode === 200, 30_000, 200);
    await rig.phone.deliverMany(3, 1);
    await rig.settle(60_000);
    expectEveryAcceptedCallOnceWithItsBytes(rig.figures('tls', 'none', null), 3);
  }

  it('When standalone Redis serves TLS only and wants a client certificate, then with REDIS_TLS_CA_FILE, _CERT_FILE and _KEY_FILE the service is ready and calls reach Gong', async () => {
    const node: RedisNode = await startRedisNode({ tls, label: 'tls' });
    cleanups.push(() => node.remove());
    const rig = await rigFor('tls-standalone', standaloneTopology(node), files());
    await expectOneCallThrough(rig);
  }, 120_000);

  it('When the Sentinel group\'s data nodes speak TLS (sentinels plain), then with REDIS_TLS=true and the PEM files the service is ready and calls reach Gong', async () => {
    const group: SentinelGroup = await startSentinelGroup({ tls });
    cleanups.push(() => group.remove());
    const rig = await rigFor('tls-sentinel', sentinelTopology(group, tls), { ...files(), REDIS_TLS: 'true' });
    await expectOneCallThrough(rig);
  }, 120_000);

  it('When the sentinels speak TLS too, then with REDIS_SENTINEL_TLS=true the service is ready and calls reach Gong', async () => {
    const group: SentinelGroup = await startSentinelGroup({ tls, sentinelTls: true });
    cleanups.push(() => group.remove());
    const rig = await rigFor('tls-sentinel-tls', sentinelTopology(group, tls, true), { ...files(), REDIS_TLS: 'true', REDIS_SENTINEL_TLS: 'true' });
    await expectOneCallThrough(rig);
  }, 120_000);

  it('When REDIS_TLS_CA_FILE names a CA that did not sign the server certificate, then the service logs the certificate problem, /readyz answers 503, webhooks get 503, and it does not crash', async () => {
    const node: RedisNode = await startRedisNode({ tls, label: 'tls-wrong-ca' });
    cleanups.push(() => node.remove());
    const rig = await rigFor('tls-wrong-ca', standaloneTopology(node), { ...files(), REDIS_TLS_CA_FILE: tls.otherCaCert }, { giveUpAfterMs: 3_000 });
    const api: ServiceProcess = await rig.startApi();
    const logged = await api.waitForLog((l) => /certificate|self.signed|issuer/i.test(JSON.stringify(l)) && ['warn', 'error', 40, 50].includes(l.level as string | number), 30_000);
    expect(JSON.stringify(logged)).toMatch(/certificate|self.signed|issuer/i);
    expect((await got(`${api.url}/readyz`, { throwHttpErrors: false })).statusCode).toBe(503);
    await rig.phone.deliverMany(1, 1);
    expect(rig.phone.counts.accepted).toBe(0);
    expect(rig.phone.counts.unavailable503).toBeGreaterThan(0);
    expect(rig.phone.counts.otherServerErrors).toBe(0);
    expect(api.proc.exitCode).toBeNull();
    expect(api.output()).not.toContain('BEGIN');
  }, 120_000);
});
