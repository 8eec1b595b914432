import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import { callIdFromJobId, jobIdForCall, tenantFromJobId } from '../../src/queue/job-id.js';
import { resolveTenants, TenantsFileError } from '../../src/tenants/resolve-tenants.js';
import { createTenantsFile } from '../../src/tenants/tenants-file.js';
import { trafficKeys } from '../../src/traffic/traffic-keys.js';

const SECRET = `whsec_${Buffer.from('acme-secret-acme-secret-acme!!').toString('base64')}`;
const env = { ACME_KEY: 'k', ACME_SECRET: 's', ACME_WEBHOOK: SECRET };
const acme = {
  id: 'acme',
  gong: { baseUrl: 'https://us-1.api.gong.io/v2', auth: { type: 'basic', accessKeyEnv: 'ACME_KEY', accessKeySecretEnv: 'ACME_SECRET' }, ratePerSecond: 3, dailyLimit: 10000 },
  webhookSecretEnv: 'ACME_WEBHOOK',
  allowedBuckets: ['acme-recordings'],
};
const problemsOf = (text: string, e: Record<string, string> = env) => {
  try {
    resolveTenants(text, { env: e, defaultBuckets: ['recordings'] });
    return [];
  } catch (error) {
    if (!(error instanceof TenantsFileError)) throw error;
    return error.problems;
  }
};

describe('tenants file', () => {
  it('when the file is valid YAML, then each tenant comes out with its secrets read from the variables it names', () => {
    const [tenant] = resolveTenants(`tenants:\n  - id: acme\n    gong: { baseUrl: "https://us-1.api.gong.io/v2", auth: { type: basic, accessKeyEnv: ACME_KEY, accessKeySecretEnv: ACME_SECRET } }\n    webhookSecretEnv: ACME_WEBHOOK\n    allowedBuckets: [acme-recordings]\n`, { env, defaultBuckets: [] });
    expect(tenant).toMatchObject({ id: 'acme', gong: { auth: { kind: 'basic', accessKey: 'k', accessKeySecret: 's' }, ratePerSecond: 3, dailyLimit: 10000 }, webhookSecret: SECRET });
  });

  it('when a secret is named by file, then it is read from that file', () => {
    const entry = { ...acme, webhookSecretEnv: undefined, webhookSecretFile: '/secrets/acme-webhook' };
    const [tenant] = resolveTenants(JSON.stringify({ tenants: [entry] }), { env, defaultBuckets: [], readSecretFile: (p) => (p === '/secrets/acme-webhook' ? `${SECRET}\n` : '') });
    expect(tenant!.webhookSecret).toBe(SECRET);
  });

  it('when several tenants have several problems, then every problem of every tenant is listed at once, naming the tenant, never a value', () => {
    const beta = { ...acme, id: 'beta', gong: { ...acme.gong, baseUrl: 'https://x.api.gong.io', ratePerSecond: 0 }, allowedBuckets: ['acme-recordings'] };
    const gamma = { ...acme, id: 'gamma', webhookSecretEnv: 'MISSING_VAR', allowedBuckets: ['recordings'] };
    const problems = problemsOf(JSON.stringify({ tenants: [acme, beta, gamma, { ...acme, id: 'Bad_Id' }] }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tenant "beta": gong\.baseUrl: must end in \/v2/),
        expect.stringMatching(/^tenant "beta": gong\.ratePerSecond/),
        expect.stringMatching(/^tenant "Bad_Id": id: must be 1–40/),
      ]),
    );
    expect(problems.join('\n')).not.toContain(SECRET);
  });

  it('when the schema is fine but secrets are missing and buckets are shared, then those problems are listed together', () => {
    const beta = { ...acme, id: 'beta', allowedBuckets: ['acme-recordings'] };
    const gamma = { ...acme, id: 'gamma', webhookSecretEnv: 'MISSING_VAR', allowedBuckets: ['recordings'] };
    expect(problemsOf(JSON.stringify({ tenants: [acme, beta, gamma, acme] }))).toEqual([
      'tenant beta: bucket "acme-recordings" belongs to tenant acme too (S3 events are routed by bucket)',
      'tenant gamma: bucket "recordings" belongs to tenant default too (S3 events are routed by bucket)',
      'tenant gamma: webhookSecret: environment variable MISSING_VAR is not set',
      'tenant acme: the id is used twice',
    ]);
  });

  it('when a tenant connects through OAuth, then it needs no credentials or base URL in the file, but needs Gong OAuth configured', () => {
    const oauthAcme = { ...acme, gong: { auth: { type: 'oauth' }, ratePerSecond: 3 } };
    const oauthEnv = { ...env, GONG_OAUTH_CLIENT_ID: 'app', TOKEN_ENCRYPTION_KEY: 'k' };
    const [tenant] = resolveTenants(JSON.stringify({ tenants: [oauthAcme] }), { env: oauthEnv, defaultBuckets: [] });
    expect(tenant!.gong.auth).toEqual({ kind: 'oauth' });
    expect(problemsOf(JSON.stringify({ tenants: [oauthAcme] }))).toEqual([
      'tenant acme: gong.auth: type oauth needs Gong OAuth configured (GONG_OAUTH_CLIENT_ID, GONG_OAUTH_CLIENT_SECRET, GONG_OAUTH_REDIRECT_URL, TOKEN_ENCRYPTION_KEY)',
    ]);
    const { baseUrl: _dropped, ...noBase } = acme.gong;
    expect(problemsOf(JSON.stringify({ tenants: [{ ...acme, gong: noBase }] }))).toEqual(['tenant "acme": gong.baseUrl: is required with basic auth']);
    expect(problemsOf(JSON.stringify({ tenants: [{ ...acme, gong: { ...acme.gong, auth: { type: 'saml' } } }] }))).toEqual(['tenant "acme": gong.auth.type: type must be "basic" or "oauth"']);
  });

  it('when a tenant calls itself "default" or a webhook secret is not whsec_, then it is refused', () => {
    expect(problemsOf(JSON.stringify({ tenants: [{ ...acme, id: 'default' }] }))[0]).toMatch(/"default" is the implicit tenant/);
    expect(problemsOf(JSON.stringify({ tenants: [acme] }), { ...env, ACME_WEBHOOK: 'plain' })).toEqual(['tenant acme: webhookSecret: must be "whsec_" followed by base64 of at least 24 bytes']);
  });

  it('when the service starts with a broken TENANTS_FILE, then the config error lists its problems beside the other settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenants-config-'));
    try {
      const file = join(dir, 't.yaml');
      writeFileSync(file, JSON.stringify({ tenants: [{ ...acme, webhookSecretEnv: 'NOPE' }] }));
      expect(() => loadConfig({ TENANTS_FILE: file, S3_ALLOWED_BUCKETS: 'recordings', WEBHOOK_SECRET: 'bad' })).toThrow(/TENANTS_FILE: tenant acme: webhookSecret: environment variable NOPE is not set[\s\S]*WEBHOOK_SECRET|WEBHOOK_SECRET[\s\S]*TENANTS_FILE: tenant acme/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the file is edited while running, then a good edit replaces the tenants and a bad one keeps the last good set, counted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenants-reload-'));
    const file = join(dir, 'tenants.json');
    const write = (content: unknown) => {
      writeFileSync(`${file}.tmp`, JSON.stringify(content));
      renameSync(`${file}.tmp`, file);
    };
    try {
      write({ tenants: [acme] });
      const outcomes: string[] = [];
      const first = resolveTenants(JSON.stringify({ tenants: [acme] }), { env, defaultBuckets: [] });
      const directory = createTenantsFile({ set: { file, tenants: first, environment: env, defaultBuckets: ['recordings'] }, logger: createLogger('silent'), recheckMs: 0, onReload: (o) => outcomes.push(o) });
      expect(directory.list().map((t) => t.id)).toEqual(['acme']);
      write({ tenants: [acme, { ...acme, id: 'beta', allowedBuckets: ['beta-recordings'] }] });
      expect(directory.list().map((t) => t.id)).toEqual(['acme', 'beta']);
      write({ tenants: [{ ...acme, gong: { ...acme.gong, ratePerSecond: 'fast' } }] });
      expect(directory.list().map((t) => t.id)).toEqual(['acme', 'beta']);
      expect(directory.get('beta')).toBeDefined();
      expect(outcomes).toEqual(['loaded', 'invalid']);
      directory.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tenant keys', () => {
  it("when a call belongs to a tenant, then its job id carries the tenant, and the default tenant's ids are unchanged", () => {
    expect(jobIdForCall('pbx:1')).toBe('call-pbx%3A1');
    expect(jobIdForCall('pbx:1', 'default')).toBe('call-pbx%3A1');
    expect(jobIdForCall('pbx:1', 'acme-eu')).toBe('t-acme-eu--call-pbx%3A1');
    expect(callIdFromJobId('t-acme-eu--call-pbx%3A1')).toBe('pbx:1');
    expect(tenantFromJobId('t-acme-eu--call-pbx%3A1')).toBe('acme-eu');
    expect(tenantFromJobId('call-t-x--y')).toBeUndefined();
    expect(callIdFromJobId('call-t-x--y')).toBe('t-x--y');
  });

  it("when a tenant has a limiter, then its keys are its own and stay on the prefix's hash tag", () => {
    expect(trafficKeys('{gi}').daily).toBe('{gi}:gong-traffic:daily');
    expect(trafficKeys('{gi}', 'acme').daily).toBe('{gi}:gong-traffic:acme:daily');
    expect(Object.values(trafficKeys('{gi}', 'acme')).every((k) => k.startsWith('{gi}:'))).toBe(true);
  });
});
