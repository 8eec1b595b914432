import { SCENARIOS, named, ofKind, podSpecs, renderChart, type Manifest, type Workload } from './support/helm-chart.js';
import { manifestProblems } from './support/validate-manifest.js';

const rendered = new Map<string, Manifest[]>();
beforeAll(async () => {
  await Promise.all(SCENARIOS.map(async (s) => rendered.set(s.name, await renderChart({ valuesFiles: s.valuesFiles }))));
});
const scenarioNames = SCENARIOS.map((s) => s.name);
const manifestsOf = (name: string) => rendered.get(name)!;

describe.each(scenarioNames)('rendered with %s', (scenario) => {
  it('every object is valid against the Kubernetes schemas, with no unknown fields', () => {
    const problems = manifestsOf(scenario).flatMap(manifestProblems);
    expect(problems).toEqual([]);
  });

  it('every object has a unique kind and name, in the release namespace unless configured otherwise', () => {
    const ids = manifestsOf(scenario).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    const elsewhere = manifestsOf(scenario).filter((m) => m.metadata.namespace !== 'calls' && m.metadata.namespace !== 'monitoring');
    expect(elsewhere.map((m) => m.metadata.name)).toEqual([]);
  });

  it('API and worker are Deployments of the same image, told apart by ROLE', () => {
    const api = named<Workload>(manifestsOf(scenario), 'Deployment', '-api').spec.template.spec.containers[0]!;
    const worker = named<Workload>(manifestsOf(scenario), 'Deployment', '-worker').spec.template.spec.containers[0]!;
    expect(api.image).toBe(worker.image);
    expect(api.env?.find((e) => e.name === 'ROLE')?.value).toBe('api');
    expect(worker.env?.find((e) => e.name === 'ROLE')?.value).toBe('worker');
  });

  it('every pod runs hardened: non-root, read-only root filesystem with /tmp as an emptyDir, no privilege escalation, no capabilities, RuntimeDefault seccomp, no API token', () => {
    const pods = podSpecs(manifestsOf(scenario));
    expect(pods.length).toBeGreaterThanOrEqual(2);
    for (const { owner, spec } of pods) {
      expect({ owner, pod: spec.securityContext }).toMatchObject({ owner, pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
      expect({ owner, automount: spec.automountServiceAccountToken }).toEqual({ owner, automount: false });
      for (const c of spec.containers) {
        expect({ owner, container: c.securityContext }).toMatchObject({
          owner,
          container: { runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] } },
        });
        expect(c.securityContext?.capabilities?.add ?? []).toEqual([]);
        expect((c.securityContext?.runAsUser as number | undefined) ?? 1).toBeGreaterThan(0);
      }
    }
    for (const kind of ['-api', '-worker']) {
      const spec = named<Workload>(manifestsOf(scenario), 'Deployment', kind).spec.template.spec;
      const tmpMount = spec.containers[0]!.volumeMounts?.find((m) => m.mountPath === '/tmp');
      expect(tmpMount).toBeDefined();
      expect(spec.volumes?.find((v) => v.name === tmpMount!.name)?.emptyDir).toBeDefined();
    }
  });

  it('liveness asks /healthz and readiness asks /readyz, on the named http port', () => {
    for (const suffix of ['-api', '-worker']) {
      const c = named<Workload>(manifestsOf(scenario), 'Deployment', suffix).spec.template.spec.containers[0]!;
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(c.ports).toEqual([expect.objectContaining({ name: 'http' })]);
      expect(c.resources?.requests?.memory).toBeDefined();
      expect(c.resources?.limits?.memory).toBeDefined();
    }
  });

  it('gives workers time to finish an upload: terminationGracePeriodSeconds covers WORKER_SHUTDOWN_GRACE_MS plus the service\'s 15 s close deadline and a margin', () => {
    const spec = named<Workload>(manifestsOf(scenario), 'Deployment', '-worker').spec.template.spec;
    const graceMs = Number(spec.containers[0]!.env?.find((e) => e.name === 'WORKER_SHUTDOWN_GRACE_MS')?.value);
    expect(graceMs).toBeGreaterThanOrEqual(120_000);
    expect(spec.terminationGracePeriodSeconds! * 1000).toBeGreaterThanOrEqual(graceMs + 15_000 + 5_000);
  });

  it('when the API pod is stopped, then its own API_SHUTDOWN_GRACE_MS ends shutdown 5 s before Kubernetes kills it', () => {
    const spec = named<Workload>(manifestsOf(scenario), 'Deployment', '-api').spec.template.spec;
    const env = spec.containers[0]!.env ?? [];
    const graceMs = Number(env.find((e) => e.name === 'API_SHUTDOWN_GRACE_MS')?.value);
    expect(graceMs).toBe((spec.terminationGracePeriodSeconds! - 5) * 1000);
    expect(env.find((e) => e.name === 'WORKER_SHUTDOWN_GRACE_MS')).toBeUndefined();
  });

  it('every Service, PodDisruptionBudget and NetworkPolicy selects exactly its own component\'s pods', () => {
    const manifests = manifestsOf(scenario);
    const podLabels = Object.fromEntries(
      ofKind<Workload>(manifests, 'Deployment').map((d) => [d.metadata.name.replace(/.*-/, ''), d.spec.template.metadata.labels]),
    );
    const selects = (selector: Record<string, string>) =>
      Object.entries(podLabels)
        .filter(([, labels]) => Object.entries(selector).every(([k, v]) => labels[k] === v))
        .map(([component]) => component);
    for (const m of manifests) {
      const spec = m.spec as { selector?: Record<string, unknown>; podSelector?: { matchLabels: Record<string, string> } };
      let selector: Record<string, string> | undefined;
      if (m.kind === 'Service') selector = spec.selector as Record<string, string>;
      if (m.kind === 'PodDisruptionBudget') selector = (spec.selector as { matchLabels: Record<string, string> }).matchLabels;
      if (m.kind === 'NetworkPolicy') selector = spec.podSelector!.matchLabels;
      if (!selector) continue;
      const expected = m.metadata.name.endsWith('-api') ? ['api'] : ['worker'];
      expect({ object: `${m.kind}/${m.metadata.name}`, selects: selects(selector) }).toEqual({ object: `${m.kind}/${m.metadata.name}`, selects: expected });
    }
  });

  it('rolls the pods when the config changes (checksum annotation)', () => {
    for (const suffix of ['-api', '-worker']) {
      const annotations = named<Workload>(manifestsOf(scenario), 'Deployment', suffix).spec.template.metadata.annotations;
      expect(annotations?.['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
    }
  });
});

describe('the unknown-field check', () => {
  it('catches a misspelt security field that the Kubernetes schema alone would let through', () => {
    const deployment = structuredClone(named<Workload>(manifestsOf('chart defaults'), 'Deployment', '-worker'));
    const container = deployment.spec.template.spec.containers[0]!;
    container.securityContext = { ...container.securityContext, readOnlyRootFileSystem: true };
    expect(manifestProblems(deployment)).toEqual([expect.stringContaining('unknown field spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem')]);
  });

  it('catches a wrong type', () => {
    const deployment = structuredClone(named<Workload>(manifestsOf('chart defaults'), 'Deployment', '-api'));
    (deployment.spec.template.spec as unknown as Record<string, unknown>).terminationGracePeriodSeconds = 'long';
    expect(manifestProblems(deployment).join('\n')).toMatch(/terminationGracePeriodSeconds must be integer/);
  });
});

describe('the Node flags of each role', () => {
  const envOf = (manifests: Manifest[], suffix: string, name: string) =>
    named<Workload>(manifests, 'Deployment', suffix).spec.template.spec.containers[0]!.env?.find((e) => e.name === name)?.value;

  it('run the worker with a 1 MiB young generation and the API with 16 MiB semi-spaces', () => {
    expect(envOf(manifestsOf('chart defaults'), '-worker', 'NODE_OPTIONS')).toBe('--max-semi-space-size=1');
    expect(envOf(manifestsOf('chart defaults'), '-api', 'NODE_OPTIONS')).toBe('--max-semi-space-size=16');
  });

  it("add to config.extraEnv's NODE_OPTIONS instead of replacing it (a container's env wins over its envFrom)", async () => {
    const manifests = await renderChart({ set: ['config.extraEnv.NODE_OPTIONS=--max-old-space-size=384'] });
    expect(envOf(manifests, '-worker', 'NODE_OPTIONS')).toBe('--max-old-space-size=384 --max-semi-space-size=1');
    expect(envOf(manifests, '-api', 'NODE_OPTIONS')).toBe('--max-old-space-size=384 --max-semi-space-size=16');
  });

  it("are left out when a role's nodeOptions is empty, leaving config.extraEnv's to the ConfigMap", async () => {
    const manifests = await renderChart({ set: ['worker.nodeOptions=', 'api.nodeOptions='] });
    expect(envOf(manifests, '-worker', 'NODE_OPTIONS')).toBeUndefined();
    expect(envOf(manifests, '-api', 'NODE_OPTIONS')).toBeUndefined();
  });

  it('refuse a value with a line break (the schema)', async () => {
    await expect(renderChart({ setJson: ['api.nodeOptions="--a\\n--b"'] })).rejects.toThrow(/nodeOptions/);
  });
});
