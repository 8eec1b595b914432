import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../src/config/config-schema.js';
import { CHART_DIR, named, ofKind, renderChart, SCENARIOS, type Manifest, type Workload } from './support/helm-chart.js';

type ConfigMapManifest = Manifest & { data?: Record<string, string> };
type SecretManifest = Manifest & { data?: Record<string, string> };

/** Variables the chart may set that the service does not read itself: the AWS SDK and Node read them. */
const READ_BY_LIBRARIES = /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_ROLE_ARN|AWS_WEB_IDENTITY_TOKEN_FILE|NODE_OPTIONS|OTEL_[A-Z_]+)$/;

const known = envSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }>;

/** Every variable a pod of the release gets, with its value: the ConfigMaps it reads, literal values, Secret keys. */
function podEnvironment(manifests: Manifest[], suffix: string): Array<{ name: string; value: string }> {
  const container = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec.containers[0]!;
  const out: Array<{ name: string; value: string }> = [];
  for (const from of container.envFrom ?? []) {
    const cm = ofKind<ConfigMapManifest>(manifests, 'ConfigMap').find((c) => c.metadata.name === from.configMapRef?.name);
    for (const [name, value] of Object.entries(cm?.data ?? {})) out.push({ name, value });
  }
  const secrets = ofKind<SecretManifest>(manifests, 'Secret');
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    const encoded = ref && secrets.find((s) => s.metadata.name === ref.name)?.data?.[ref.key];
    const value = e.value ?? (encoded ? Buffer.from(encoded, 'base64').toString() : undefined);
    // A reference to a Secret the operator manages (not rendered) has no value here: its name is still checked.
    out.push({ name: e.name, value: value ?? '' });
  }
  return out;
}

/**
 * The chart and the settings schema are written apart (values.yaml, values.schema.json, the templates; and
 * src/config/config-schema.ts): every variable the chart renders must be one the service reads, and its value
 * must pass that variable's own rule, in every scenario of ci/.
 */
describe.each(SCENARIOS.map((s) => [s.name, s.valuesFiles] as const))('chart settings, rendered with %s', (_name, valuesFiles) => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart({ valuesFiles });
  });

  it.each(['-api', '-worker'])('when the %s pod starts, then every variable it gets is a setting the service knows, or one a library reads', (suffix) => {
    const unknown = podEnvironment(manifests, suffix)
      .map((e) => e.name)
      .filter((name) => !(name in known) && !READ_BY_LIBRARIES.test(name));
    expect(unknown).toEqual([]);
  });

  it.each(['-api', '-worker'])("when the %s pod starts, then every value the chart renders passes the setting's own rule", (suffix) => {
    const refused = podEnvironment(manifests, suffix)
      .filter((e) => e.name in known && e.value !== '')
      .flatMap((e) => {
        const parsed = known[e.name]!.safeParse(e.value);
        return parsed.success ? [] : [`${e.name}=${JSON.stringify(e.value)}: ${parsed.error?.issues.map((i) => i.message).join('; ')}`];
      });
    expect(refused).toEqual([]);
  });
});

describe('chart value patterns', () => {
  const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as { definitions: Record<string, { pattern?: string }> };
  const chartAccepts = (pattern: string, value: string) => new RegExp(pattern).test(value);

  it.each([
    ['redis-0.redis:26379', true],
    ['10.0.0.7:6379', true],
    ['[::1]:6379', true],
    ['[fd00::7]:26379', true],
    ['redis', false],
    ['redis:port', false],
    ['::1:6379', false],
    ['redis:6379/0', false],
  ])('when a Redis node is written %s, then the chart and the service agree whether it is valid (%s)', (entry, valid) => {
    expect(chartAccepts(schema.definitions.hostPort!.pattern!, entry)).toBe(valid);
    expect(envSchema.shape.REDIS_SENTINELS.safeParse(entry).success).toBe(valid);
    expect(envSchema.shape.REDIS_CLUSTER_NODES.safeParse(entry).success).toBe(valid);
  });

  it('when an IPv6 node is given, then ioredis gets the address without brackets', () => {
    expect(envSchema.shape.REDIS_SENTINELS.parse('[::1]:26379,redis-a:26380')).toEqual([
      { host: '::1', port: 26379 },
      { host: 'redis-a', port: 26380 },
    ]);
  });
});
