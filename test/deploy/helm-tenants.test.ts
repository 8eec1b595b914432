import yaml from 'js-yaml';
import { named, ofKind, renderChart, type Manifest, type Workload } from './support/helm-chart.js';
import { manifestProblems } from './support/validate-manifest.js';

interface ConfigMapManifest extends Manifest {
  data?: Record<string, string>;
}

const tenantsFile = {
  tenants: [
    {
      id: 'acme',
      gong: { baseUrl: 'https://us-12345.api.gong.io/v2', auth: { type: 'basic', accessKeyFile: '/etc/gong-ingest-tenant-secrets/ACME_GONG_KEY', accessKeySecretFile: '/etc/gong-ingest-tenant-secrets/ACME_GONG_SECRET' } },
      webhookSecretFile: '/etc/gong-ingest-tenant-secrets/ACME_WEBHOOK_SECRET',
      allowedBuckets: ['acme-recordings'],
    },
  ],
};

describe('chart: tenants', () => {
  it('when tenants are on, then the tenants file is a ConfigMap mounted read-only, TENANTS_FILE names it, and the tenants\' Secret is mounted as files', async () => {
    const manifests = await renderChart({ set: ['secrets.values.WEBHOOK_SECRET=whsec_MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0', 'config.s3.allowedBuckets={recordings}', 'tenants.enabled=true', 'tenants.secretName=acme-secrets'], setJson: [`tenants.content=${JSON.stringify(tenantsFile)}`] });
    for (const m of manifests) expect(manifestProblems(m)).toEqual([]);
    const config = ofKind<ConfigMapManifest>(manifests, 'ConfigMap').find((c) => c.data?.TENANTS_FILE)!;
    expect(config.data!.TENANTS_FILE).toBe('/etc/gong-ingest-tenants/tenants.yaml');
    const file = ofKind<ConfigMapManifest>(manifests, 'ConfigMap').find((c) => c.data?.['tenants.yaml'])!;
    expect(yaml.load(file.data!['tenants.yaml']!)).toEqual(tenantsFile);
    for (const suffix of ['-api', '-worker']) {
      const spec = named<Workload>(manifests, 'Deployment', suffix).spec.template.spec;
      const mounts = spec.containers[0]!.volumeMounts ?? [];
      expect(mounts).toEqual(expect.arrayContaining([
        { name: 'tenants', mountPath: '/etc/gong-ingest-tenants', readOnly: true },
        { name: 'tenant-secrets', mountPath: '/etc/gong-ingest-tenant-secrets', readOnly: true },
      ]));
      expect(spec.volumes?.find((v) => v.name === 'tenant-secrets')?.secret?.secretName).toBe('acme-secrets');
      expect(named<Workload>(manifests, 'Deployment', suffix).spec.template.metadata?.annotations?.['checksum/tenants']).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('when tenants are on without content or an existing ConfigMap, then rendering fails naming the setting', async () => {
    await expect(renderChart({ set: ['tenants.enabled=true'] })).rejects.toThrow(/tenants\.enabled needs tenants\.content or tenants\.existingConfigMap/);
  });
});
