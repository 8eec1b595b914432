import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHelm, helmEnv, REPO_ROOT } from '../../../tools/deploy/helm-binary.js';
import { parseYamlDocuments } from '../../../tools/deploy/yaml.js';

export const CHART_DIR = join(REPO_ROOT, 'helm', 'gong-ingest');
export const RELEASE = 'gi';
export const NAMESPACE = 'calls';

/** The scenario values files under ci/, as paths relative to the chart. */
export const CI_VALUES_FILES = readdirSync(join(CHART_DIR, 'ci'))
  .filter((f) => f.endsWith('-values.yaml'))
  .sort()
  .map((f) => `ci/${f}`);

/** Every scenario: the chart's own defaults, then each ci/ file. */
export const SCENARIOS: Array<{ name: string; valuesFiles: string[] }> = [
  { name: 'chart defaults', valuesFiles: [] },
  ...CI_VALUES_FILES.map((file) => ({ name: file, valuesFiles: [file] })),
];

/** The environment variables that carry secrets: they must only ever come from a Secret. */
export const SECRET_ENV_NAMES = [
  'WEBHOOK_SECRET',
  'ADMIN_TOKEN',
  'GONG_ACCESS_KEY',
  'GONG_ACCESS_KEY_SECRET',
  'GONG_BEARER_TOKEN',
  'GONG_OAUTH_CLIENT_ID',
  'GONG_OAUTH_CLIENT_SECRET',
  'TOKEN_ENCRYPTION_KEY',
  'TOKEN_ENCRYPTION_KEY_PREVIOUS',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_API_KEY_SID',
  'TWILIO_API_KEY_SECRET',
  'EVENTBRIDGE_AUTH_SECRET',
  'REDIS_USERNAME',
  'REDIS_PASSWORD',
  'OTEL_EXPORTER_OTLP_HEADERS',
] as const;

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runHelm(args: string[]): Promise<HelmResult> {
  const helm = await ensureHelm();
  return new Promise((resolve) => {
    execFile(helm, args, { cwd: CHART_DIR, env: helmEnv(), maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RenderOptions {
  valuesFiles?: string[];
  /** `--set key=value` (helm's own parsing: `{a,b}` is a list). */
  set?: string[];
  /** `--set-json key=<json>`, for values helm's --set would misread. */
  setJson?: string[];
}

export function templateArgs(options: RenderOptions = {}): string[] {
  return [
    'template',
    RELEASE,
    '.',
    '--namespace',
    NAMESPACE,
    ...(options.valuesFiles ?? []).flatMap((f) => ['-f', f]),
    ...(options.set ?? []).flatMap((s) => ['--set', s]),
    ...(options.setJson ?? []).flatMap((s) => ['--set-json', s]),
  ];
}

/** `helm template` of the chart, parsed; throws with helm's message when rendering fails. */
export async function renderChart(options: RenderOptions = {}): Promise<Manifest[]> {
  const result = await runHelm(templateArgs(options));
  if (result.code !== 0) throw new Error(`helm template failed (exit ${result.code}):\n${result.stderr}`);
  return parseYamlDocuments(result.stdout) as Manifest[];
}

export function ofKind<T = Manifest>(manifests: Manifest[], kind: string): Array<Manifest & T> {
  return manifests.filter((m) => m.kind === kind) as Array<Manifest & T>;
}

/** The one object of a kind whose name ends with `suffix` (e.g. "-worker"). */
export function named<T = Manifest>(manifests: Manifest[], kind: string, suffix: string): Manifest & T {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one ${kind} named *${suffix}, found ${found.map((m) => m.metadata.name).join(', ') || 'none'}`);
  return found[0] as Manifest & T;
}

/** Minimal typing of the pod spec parts the tests read. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: unknown };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
}
export interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] } };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  ports?: Array<{ name: string; containerPort: number }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
export interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  volumes?: Array<{
    name: string;
    emptyDir?: { sizeLimit?: string };
    configMap?: { name: string; items?: Array<{ key: string; path: string }> };
    secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
  }>;
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
}
export interface Workload {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec } };
}

/** The pod specs of every Deployment and bare Pod (helm test pods included). */
export function podSpecs(manifests: Manifest[]): Array<{ owner: string; spec: PodSpec }> {
  const specs: Array<{ owner: string; spec: PodSpec }> = [];
  for (const m of manifests) {
    if (m.kind === 'Deployment') specs.push({ owner: `Deployment/${m.metadata.name}`, spec: (m as unknown as Workload).spec.template.spec });
    if (m.kind === 'Pod') specs.push({ owner: `Pod/${m.metadata.name}`, spec: (m as unknown as { spec: PodSpec }).spec });
  }
  return specs;
}
