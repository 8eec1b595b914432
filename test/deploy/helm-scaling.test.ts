import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { hashTaggedPrefix } from '../../src/config/load-config.js';
import { CALL_QUEUE_NAME } from '../../src/queue/call-job.js';
import { named, ofKind, renderChart, type Manifest, type Workload } from './support/helm-chart.js';

interface Trigger {
  type: string;
  metadata: Record<string, string>;
  authenticationRef?: { name: string };
}
type ScaledObject = Manifest & { spec: { scaleTargetRef: { name: string }; minReplicaCount: number; maxReplicaCount: number; triggers: Trigger[] } };

describe('API autoscaling', () => {
  it('an HPA on CPU owns the API replica count; without it the Deployment sets replicas', async () => {
    const withHpa = await renderChart();
    const hpa = named<{ spec: { scaleTargetRef: { name: string }; minReplicas: number } }>(withHpa, 'HorizontalPodAutoscaler', '-api');
    const api = named<Workload>(withHpa, 'Deployment', '-api');
    expect(hpa.spec.scaleTargetRef.name).toBe(api.metadata.name);
    expect(api.spec.replicas).toBeUndefined();
    const fixed = await renderChart({ set: ['api.autoscaling.enabled=false', 'api.replicaCount=3'] });
    expect(ofKind(fixed, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(named<Workload>(fixed, 'Deployment', '-api').spec.replicas).toBe(3);
  });
});

describe('KEDA worker scaling', () => {
  it('is off by default, and workers then have a fixed replica count', async () => {
    const manifests = await renderChart();
    expect(ofKind(manifests, 'ScaledObject')).toEqual([]);
    expect(named<Workload>(manifests, 'Deployment', '-worker').spec.replicas).toBe(2);
  });

  it.each([
    ['gong-ingest', '{gong-ingest}'],
    ['calls.eu-1', '{calls.eu-1}'],
    ['{already-tagged}', '{already-tagged}'],
    ['tenant-{a}', 'tenant-{a}'],
  ])('reads the wait list of prefix %s under the key the service uses ({prefix}:calls:wait)', async (prefix, tagged) => {
    expect(hashTaggedPrefix(prefix)).toBe(tagged);
    const manifests = await renderChart({ set: ['worker.keda.enabled=true'], setJson: [`config.queuePrefix=${JSON.stringify(prefix)}`] });
    const scaled = named<ScaledObject>(manifests, 'ScaledObject', '-worker');
    expect(scaled.spec.triggers.map((t) => t.metadata.listName)).toEqual([`${tagged}:${CALL_QUEUE_NAME}:wait`, `${tagged}:${CALL_QUEUE_NAME}:active`]);
    expect(named<Workload>(manifests, 'Deployment', '-worker').spec.replicas).toBeUndefined();
    expect(scaled.spec.scaleTargetRef.name).toBe(named(manifests, 'Deployment', '-worker').metadata.name);
  });

  it('counts real waiting jobs: a job added through BullMQ under the service\'s prefix is in the list KEDA reads', async () => {
    const prefix = `deploy-keda-${randomBytes(4).toString('hex')}`;
    const manifests = await renderChart({ set: ['worker.keda.enabled=true', `config.queuePrefix=${prefix}`] });
    const listName = named<ScaledObject>(manifests, 'ScaledObject', '-worker').spec.triggers[0]!.metadata.listName!;
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queue = new Queue(CALL_QUEUE_NAME, { connection: redis, prefix: hashTaggedPrefix(prefix) });
    try {
      await queue.add('probe', { note: 'deploy test' });
      await queue.add('probe', { note: 'deploy test' });
      expect(await redis.llen(listName)).toBe(2);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    }
  });

  it('uses the scaler of the Redis topology, with its address, TLS and credentials', async () => {
    const standalone = named<ScaledObject>(await renderChart({ valuesFiles: ['ci/all-options-values.yaml'] }), 'ScaledObject', '-worker');
    expect(standalone.spec.triggers[0]).toEqual({
      type: 'redis',
      metadata: { address: 'redis.example.internal:6380', databaseIndex: '2', enableTLS: 'true', listLength: '12', listName: '{gong-ingest-prod}:calls:wait' },
      authenticationRef: { name: 'gi-gong-ingest-worker-redis' },
    });
    const cluster = named<ScaledObject>(await renderChart({ valuesFiles: ['ci/cluster-redis-values.yaml'] }), 'ScaledObject', '-worker');
    expect(cluster.spec.triggers[0]).toMatchObject({ type: 'redis-cluster', metadata: { addresses: expect.stringContaining(':6379'), enableTLS: 'true', listName: '{calls-eu}:calls:wait' } });
    const sentinel = named<ScaledObject>(await renderChart({ valuesFiles: ['ci/sentinel-redis-values.yaml'] }), 'ScaledObject', '-worker');
    expect(sentinel.spec.triggers[0]).toMatchObject({ type: 'redis-sentinel', metadata: { sentinelMaster: 'mymaster', listName: '{gong-ingest}:calls:wait' } });
    expect(sentinel.spec.triggers[0]!.metadata.addresses!.split(',')).toHaveLength(3);
  });

  it('can scale on the Prometheus queue gauge instead, counting each state once however many pods export it', async () => {
    const scaled = named<ScaledObject>(await renderChart({ valuesFiles: ['ci/existing-secret-values.yaml'] }), 'ScaledObject', '-worker');
    expect(scaled.spec.triggers).toEqual([
      {
        type: 'prometheus',
        metadata: {
          serverAddress: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
          query: expect.stringMatching(/^sum\(max by \(state\) \(gong_ingest_queue_jobs\{namespace="calls", .*state=~"waiting\|prioritized\|active"\}\)\)$/),
          threshold: '6',
        },
      },
    ]);
  });

  it('caps maxReplicaCount at what the Gong budget can feed, and scales in slowly', async () => {
    const scaled = named<ScaledObject & { spec: { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: number } } } } } }>(
      await renderChart({ set: ['worker.keda.enabled=true'] }),
      'ScaledObject',
      '-worker',
    );
    expect(scaled.spec.maxReplicaCount).toBeLessThanOrEqual(20);
    expect(scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
  });
});

describe('NetworkPolicy', () => {
  it('lets in only the http port and lets out only DNS, Redis and HTTPS by default', async () => {
    for (const policy of ofKind<{ spec: { policyTypes: string[]; ingress: unknown[]; egress: Array<{ ports: Array<{ port: number | string }> }> } }>(await renderChart(), 'NetworkPolicy')) {
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
      expect(policy.spec.egress.flatMap((rule) => rule.ports.map((p) => p.port))).toEqual([53, 53, 6379, 26379, 443]);
    }
  });

  it('leaves egress open when told to, and can be turned off', async () => {
    const open = ofKind<{ spec: { policyTypes: string[]; egress?: unknown } }>(await renderChart({ set: ['networkPolicy.egress.restrict=false'] }), 'NetworkPolicy');
    expect(open.map((p) => p.spec.policyTypes)).toEqual([['Ingress'], ['Ingress']]);
    expect(open.every((p) => p.spec.egress === undefined)).toBe(true);
    expect(ofKind(await renderChart({ set: ['networkPolicy.enabled=false'] }), 'NetworkPolicy')).toEqual([]);
  });
});

describe('monitoring objects', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart({ valuesFiles: ['ci/all-options-values.yaml'] });
  });

  it('the ServiceMonitor finds both the API Service and the headless worker Service on their http port', () => {
    const monitor = named<{ spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> } }>(manifests, 'ServiceMonitor', 'gong-ingest');
    const selected = ofKind<{ spec: { ports: Array<{ name: string }>; clusterIP?: string } }>(manifests, 'Service').filter((s) =>
      Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
    );
    expect(selected.map((s) => s.metadata.name).sort()).toEqual(['gi-gong-ingest-api', 'gi-gong-ingest-worker-metrics']);
    for (const service of selected) expect(service.spec.ports.map((p) => p.name)).toContain(monitor.spec.endpoints[0]!.port);
    expect(selected.find((s) => s.metadata.name.endsWith('-worker-metrics'))!.spec.clusterIP).toBe('None');
    expect(monitor.spec.endpoints[0]!.path).toBe('/metrics');
  });

  it('the Grafana dashboard ConfigMap is labelled for the sidecar and holds the dashboard JSON', () => {
    const dashboard = named<{ data: Record<string, string> }>(manifests, 'ConfigMap', '-dashboard');
    expect(dashboard.metadata.labels?.grafana_dashboard).toBe('1');
    expect(dashboard.metadata.namespace).toBe('monitoring');
    expect(JSON.parse(dashboard.data['gong-ingest.json']!)).toMatchObject({ title: expect.any(String), panels: expect.any(Array) });
  });

  it('the PrometheusRule carries the alert groups', () => {
    const rule = named<{ spec: { groups: Array<{ rules: Array<{ alert?: string; expr: string }> }> } }>(manifests, 'PrometheusRule', 'gong-ingest');
    const exprs = rule.spec.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs.length).toBeGreaterThan(0);
    expect(exprs.every((e) => e.includes('gong_ingest_'))).toBe(true);
  });

  it('none of them is made by default', async () => {
    const defaults = await renderChart();
    expect(defaults.filter((m) => ['ServiceMonitor', 'PrometheusRule'].includes(m.kind) || m.metadata.labels?.grafana_dashboard)).toEqual([]);
  });
});

describe('user map', () => {
  it('is mounted read-only from a ConfigMap and named by USER_MAP_FILE', async () => {
    const manifests = await renderChart({ valuesFiles: ['ci/all-options-values.yaml'] });
    const config = named<{ data: Record<string, string> }>(manifests, 'ConfigMap', '-config');
    const userMap = named<{ data: Record<string, string> }>(manifests, 'ConfigMap', '-user-map');
    expect(config.data.USER_MAP_FILE).toBe('/etc/gong-ingest/user-map.json');
    expect(JSON.parse(userMap.data['user-map.json']!)).toEqual({ 'ann@acme.com': '234599484848423', '+15551234567': '234599484848424' });
    for (const suffix of ['-api', '-worker']) {
      const spec = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec;
      expect(spec.containers[0]!.volumeMounts).toContainEqual({ name: 'user-map', mountPath: '/etc/gong-ingest', readOnly: true });
      expect(spec.volumes?.find((v) => v.name === 'user-map')?.configMap?.name).toBe(userMap.metadata.name);
    }
  });

  it('can come from an existing ConfigMap', async () => {
    const manifests = await renderChart({ valuesFiles: ['ci/existing-secret-values.yaml'] });
    expect(manifests.filter((m) => m.metadata.name.endsWith('-user-map'))).toEqual([]);
    const volume = named<Workload>(manifests, 'Deployment', '-worker').spec.template.spec.volumes?.find((v) => v.name === 'user-map');
    expect(volume?.configMap).toEqual({ name: 'gong-user-map', items: [{ key: 'users.json', path: 'users.json' }] });
    expect(named<{ data: Record<string, string> }>(manifests, 'ConfigMap', '-config').data.USER_MAP_FILE).toBe('/etc/gong-ingest/users.json');
  });
});

describe('Ingress', () => {
  it('publishes only the webhook paths, to the API Service', async () => {
    const manifests = await renderChart({ valuesFiles: ['ci/all-options-values.yaml'] });
    const ingress = named<{ spec: { rules: Array<{ http: { paths: Array<{ path: string; backend: { service: { name: string; port: { name: string } } } }> } }> } }>(manifests, 'Ingress', '-api');
    const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
    expect(paths.map((p) => p.path)).toEqual(['/webhooks']);
    expect(paths[0]!.backend.service).toEqual({ name: 'gi-gong-ingest-api', port: { name: 'http' } });
  });
});
