import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { SCENARIOS, SECRET_ENV_NAMES, named, ofKind, podSpecs, renderChart, runHelm, templateArgs, type Manifest, type Workload } from './support/helm-chart.js';

type ConfigMapManifest = Manifest & { data?: Record<string, string> };
type SecretManifest = Manifest & { data?: Record<string, string>; stringData?: Record<string, string> };

const secretNames = new Set<string>(SECRET_ENV_NAMES);

describe.each(SCENARIOS.map((s) => [s.name, s.valuesFiles] as const))('secrets, rendered with %s', (_name, valuesFiles) => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart({ valuesFiles });
  });

  it('no secret reaches a pod as a plain env value: every one is a secretKeyRef', () => {
    for (const { owner, spec } of podSpecs(manifests)) {
      for (const container of spec.containers) {
        for (const env of container.env ?? []) {
          if (!secretNames.has(env.name)) continue;
          expect({ owner, env }).toEqual({ owner, env: { name: env.name, valueFrom: { secretKeyRef: expect.objectContaining({ key: env.name }) } } });
        }
      }
    }
  });

  it('no ConfigMap holds a secret setting', () => {
    for (const cm of ofKind<ConfigMapManifest>(manifests, 'ConfigMap')) {
      expect({ configMap: cm.metadata.name, secrets: Object.keys(cm.data ?? {}).filter((k) => secretNames.has(k)) }).toEqual({ configMap: cm.metadata.name, secrets: [] });
    }
  });
});

describe('secret values given to the chart', () => {
  // Each value passes its key's rule in the values schema; the 32-byte keys are base64 of text starting "canary-".
  const canary = (key: string) =>
    key === 'WEBHOOK_SECRET'
      ? `whsec_${Buffer.from(`canary-${key}-6d1f0c9e-padding!`).toString('base64')}`
      : key.startsWith('TOKEN_ENCRYPTION_KEY')
        ? Buffer.from(`canary-${key}`.padEnd(32, '!').slice(0, 32)).toString('base64')
        : `canary-${key}-6d1f0c9e`;
  const keys = SECRET_ENV_NAMES.filter((k) => k !== 'GONG_BEARER_TOKEN'); // the key pair and the token exclude each other

  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart({ set: [...keys.map((k) => `secrets.values.${k}=${canary(k)}`), 'redis.auth.enabled=true', 'worker.keda.enabled=true'] });
  });

  it('are stored only in the chart\'s Secret, base64-encoded, and appear nowhere else', () => {
    const secret = named<SecretManifest>(manifests, 'Secret', '-gong-ingest');
    expect(Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))).toEqual(
      Object.fromEntries(keys.map((k) => [k, canary(k)])),
    );
    const elsewhere = manifests.filter((m) => m.kind !== 'Secret' && /canary-|Y2FuYXJ5/.test(JSON.stringify(m)));
    expect(elsewhere.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([]);
  });

  it('are referenced by every pod, and a change to them rolls the pods (checksum/secret)', () => {
    for (const suffix of ['-api', '-worker']) {
      const template = named<Workload>(manifests, 'Deployment', suffix).spec.template;
      const refs = (template.spec.containers[0]!.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name).sort();
      expect(refs).toEqual([...keys].sort());
      expect(template.metadata.annotations?.['checksum/secret']).toMatch(/^[a-f0-9]{64}$/);
    }
  });

  it('give KEDA the Redis credentials through a TriggerAuthentication on the same Secret', () => {
    const auth = named<Manifest & { spec: { secretTargetRef: unknown[] } }>(manifests, 'TriggerAuthentication', '-worker-redis');
    const secret = named(manifests, 'Secret', '-gong-ingest');
    expect(auth.spec.secretTargetRef).toEqual([
      { parameter: 'password', name: secret.metadata.name, key: 'REDIS_PASSWORD' },
      { parameter: 'username', name: secret.metadata.name, key: 'REDIS_USERNAME' },
    ]);
  });

  it('are left out when empty: no Secret at all when none is set', async () => {
    expect(ofKind(await renderChart(), 'Secret')).toEqual([]);
  });
});

describe('an existing Secret', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart({ valuesFiles: ['ci/existing-secret-values.yaml'] });
  });

  it('replaces the chart\'s own: no Secret is made, and every known key is an optional reference to it', () => {
    expect(ofKind(manifests, 'Secret')).toEqual([]);
    for (const suffix of ['-api', '-worker']) {
      const env = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec.containers[0]!.env ?? [];
      const refs = env.filter((e) => e.valueFrom?.secretKeyRef);
      expect(refs.map((e) => e.name).sort()).toEqual([...SECRET_ENV_NAMES].sort());
      for (const ref of refs) expect(ref.valueFrom!.secretKeyRef).toEqual({ name: 'gong-ingest-credentials', key: ref.name, optional: true });
    }
  });

  it('is where KEDA reads the Redis password', async () => {
    const withRedisTrigger = await renderChart({ valuesFiles: ['ci/existing-secret-values.yaml'], set: ['worker.keda.trigger=redis'] });
    const auth = named<Manifest & { spec: { secretTargetRef: Array<{ name: string }> } }>(withRedisTrigger, 'TriggerAuthentication', '-worker-redis');
    expect(auth.spec.secretTargetRef.map((r) => r.name)).toEqual(['gong-ingest-credentials', 'gong-ingest-credentials']);
  });
});

describe('the configuration the chart renders is one the service accepts (src/config/load-config.ts)', () => {
  /** The environment a container would see: ConfigMap via envFrom, then env (values, or the chart Secret's keys). */
  function containerEnv(manifests: Manifest[], suffix: string): Record<string, string> {
    const container = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec.containers[0]!;
    const env: Record<string, string> = {};
    for (const from of container.envFrom ?? []) {
      const cm = ofKind<ConfigMapManifest>(manifests, 'ConfigMap').find((c) => c.metadata.name === from.configMapRef?.name);
      Object.assign(env, cm?.data);
    }
    const secrets = ofKind<SecretManifest>(manifests, 'Secret');
    for (const e of container.env ?? []) {
      if (e.value !== undefined) env[e.name] = e.value;
      const ref = e.valueFrom?.secretKeyRef;
      const encoded = ref && secrets.find((s) => s.metadata.name === ref.name)?.data?.[ref.key];
      if (encoded) env[e.name] = Buffer.from(encoded, 'base64').toString();
    }
    if (env.USER_MAP_FILE) env.USER_MAP_FILE = mountedFile(manifests, suffix, env.USER_MAP_FILE);
    for (const name of ['REDIS_TLS_CA_FILE', 'REDIS_TLS_CERT_FILE', 'REDIS_TLS_KEY_FILE']) {
      if (env[name]) env[name] = mountedSecretFile(manifests, suffix, env[name]);
    }
    return env;
  }

  /**
   * The Redis TLS files come from a Secret the operator manages, which the chart does not render: check that the
   * path is a key of a Secret volume mounted in the pod, and stand a PEM file in for it.
   */
  function mountedSecretFile(manifests: Manifest[], suffix: string, path: string): string {
    const spec = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec;
    for (const mount of spec.containers[0]!.volumeMounts ?? []) {
      if (!path.startsWith(`${mount.mountPath}/`)) continue;
      const volume = spec.volumes?.find((v) => v.name === mount.name);
      const key = path.slice(mount.mountPath.length + 1);
      if (!volume?.secret?.items?.some((item) => item.key === key && item.path === key)) continue;
      const file = join(mkdtempSync(join(tmpdir(), 'gong-ingest-chart-')), key);
      writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      return file;
    }
    throw new Error(`${path} is not provided by any Secret mounted in the ${suffix} pod`);
  }

  /**
   * The service reads USER_MAP_FILE at start-up, so give it the file the pod would see: the ConfigMap key behind
   * the volume mounted at that path, written to a temporary folder. A path no mounted ConfigMap provides throws.
   */
  function mountedFile(manifests: Manifest[], suffix: string, path: string): string {
    const spec = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec;
    for (const mount of spec.containers[0]!.volumeMounts ?? []) {
      if (!path.startsWith(`${mount.mountPath}/`)) continue;
      const volume = spec.volumes?.find((v) => v.name === mount.name);
      const cm = ofKind<ConfigMapManifest>(manifests, 'ConfigMap').find((c) => c.metadata.name === volume?.configMap?.name);
      const content = cm?.data?.[path.slice(mount.mountPath.length + 1)];
      if (content === undefined) continue;
      const file = join(mkdtempSync(join(tmpdir(), 'gong-ingest-chart-')), 'user-map.json');
      writeFileSync(file, content);
      return file;
    }
    throw new Error(`USER_MAP_FILE ${path} is not provided by any ConfigMap mounted in the ${suffix} pod`);
  }

  const complete = SCENARIOS.filter((s) => s.valuesFiles.length > 0 && !s.name.includes('existing-secret'));
  it.each(complete.map((s) => [s.name, s.valuesFiles] as const))('with %s, both roles load their config without error', async (_name, valuesFiles) => {
    const manifests = await renderChart({ valuesFiles });
    for (const suffix of ['-api', '-worker']) {
      const env = containerEnv(manifests, suffix);
      expect(() => loadConfig(env)).not.toThrow();
      expect(loadConfig(env).role).toBe(suffix.slice(1));
    }
  });

  it('with every option on, the phone-system sources reach the service as configured in values', async () => {
    const manifests = await renderChart({ valuesFiles: ['ci/all-options-values.yaml'] });
    const { sources } = loadConfig(containerEnv(manifests, '-worker'));
    expect(sources).toMatchObject({
      twilio: { apiBaseUrl: 'https://api.twilio.com' },
      sns: { topicArns: ['arn:aws:sns:us-east-1:123456789012:call-recordings'] },
      eventBridge: { authHeader: 'x-recordings-key', authSecret: 'ci-only-eventbridge-secret-0123456789' },
      connect: { instanceId: '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', endpoint: expect.stringMatching(/^https:\/\/vpce-.*amazonaws\.com$/) },
    });
  });

  it('with the bare defaults the service would refuse to start, and NOTES.txt says what is missing', async () => {
    const manifests = await renderChart();
    expect(() => loadConfig(containerEnv(manifests, '-worker'))).toThrow(ConfigError);
    const { stdout } = await runHelm(['install', 'gi', '.', '--dry-run=client', '--namespace', 'calls']);
    expect(stdout).toMatch(/WARNING: the service will refuse to start[\s\S]*S3_ALLOWED_BUCKETS[\s\S]*WEBHOOK_SECRET/);
    expect((await runHelm([...templateArgs(), '--show-only', 'templates/secret.yaml'])).code).not.toBe(0);
  });
});
