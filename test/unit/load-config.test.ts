import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const minimal = { S3_ALLOWED_BUCKETS: 'recordings', WEBHOOK_SECRET: secret, GONG_ACCESS_KEY: 'k', GONG_ACCESS_KEY_SECRET: 's' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      port: 8080,
      role: 'all',
      redis: { url: 'redis://127.0.0.1:6379', prefix: '{gong-ingest}' },
      worker: { concurrency: 4 },
      gong: { baseUrl: 'https://api.gong.io/v2', auth: { kind: 'basic', accessKey: 'k', accessKeySecret: 's' } },
      s3: { forcePathStyle: false, allowedBuckets: ['recordings'] },
      jobs: { keepCompletedSeconds: 7 * 24 * 3600 },
    });
  });

  it('takes the AWS region from AWS_REGION, then AWS_DEFAULT_REGION, else us-east-1 (flagged, so the worker warns), and refuses a malformed one', () => {
    expect(loadConfig({ ...minimal, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' }).s3).toMatchObject({ region: 'eu-west-1', regionDefaulted: false });
    expect(loadConfig({ ...minimal, AWS_DEFAULT_REGION: 'us-west-2', CONNECT_INSTANCE_ID: 'x' }).sources.connect.region).toBe('us-west-2');
    expect(loadConfig(minimal).s3).toMatchObject({ region: 'us-east-1', regionDefaulted: true });
    expect(loadConfig({ ...minimal, AWS_REGION: 'auto', S3_ENDPOINT: 'https://acct.r2.cloudflarestorage.com' }).s3.region).toBe('auto');
    expect(() => loadConfig({ ...minimal, AWS_REGION: 'EU West' })).toThrow(/AWS_REGION: must be a region name/);
  });

  it('lists every bad setting at once, and never echoes a value', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', ROLE: 'boss', WEBHOOK_SECRET: 'plain-text-secret', GONG_ACCESS_KEY: 'k', REDIS_URL: 'http://x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'ROLE', 'WEBHOOK_SECRET', 'S3_ALLOWED_BUCKETS', 'GONG_ACCESS_KEY_SECRET', 'REDIS_URL']) {
      expect(problems).toContain(name);
    }
    expect((caught as Error).message).not.toContain('plain-text-secret');
  });

  it('requires Gong credentials for workers but not for an api-only process', () => {
    const { GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET, ...noGong } = minimal;
    expect(() => loadConfig(noGong)).toThrow(/Gong credentials/);
    expect(loadConfig({ ...noGong, ROLE: 'api' }).gong.auth).toEqual({ kind: 'none' });
    expect(loadConfig({ ...noGong, GONG_BEARER_TOKEN: 't' }).gong.auth).toEqual({ kind: 'bearer', token: 't' });
  });

  it('refuses both credential kinds at once', () => {
    expect(() => loadConfig({ ...minimal, GONG_BEARER_TOKEN: 't' })).toThrow(/not both/);
  });

  it('when Gong OAuth is half configured, then every missing part is named, and a key that is not 32 bytes is refused without echoing it', () => {
    let caught: unknown;
    try {
      loadConfig({ ...minimal, GONG_OAUTH_CLIENT_ID: 'app', TOKEN_ENCRYPTION_KEY: 'short-passphrase-value' });
    } catch (error) {
      caught = error;
    }
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['GONG_OAUTH_CLIENT_SECRET', 'GONG_OAUTH_REDIRECT_URL', 'ADMIN_TOKEN']) expect(problems).toContain(name);
    expect(problems).toMatch(/TOKEN_ENCRYPTION_KEY: must be 32 random bytes/);
    expect((caught as Error).message).not.toContain('short-passphrase-value');
    expect(() => loadConfig({ ...minimal, TOKEN_ENCRYPTION_KEY_PREVIOUS: Buffer.alloc(32, 1).toString('base64') })).toThrow(/TOKEN_ENCRYPTION_KEY: is required with TOKEN_ENCRYPTION_KEY_PREVIOUS/);
    expect(() => loadConfig({ ...minimal, GONG_OAUTH_REDIRECT_URL: 'https://ingest.example.com/callback' })).toThrow(/GONG_OAUTH_REDIRECT_URL: must be this service's public \/oauth\/gong\/callback URL/);
  });

  it('when Gong OAuth is fully configured, then the settings carry the key as bytes and Gong\'s endpoints by default', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({
      ...minimal,
      ADMIN_TOKEN: 'a'.repeat(24),
      GONG_OAUTH_CLIENT_ID: 'app',
      GONG_OAUTH_CLIENT_SECRET: 'app-secret',
      GONG_OAUTH_REDIRECT_URL: 'https://ingest.example.com/oauth/gong/callback',
      TOKEN_ENCRYPTION_KEY: key.toString('hex'),
    });
    expect(config.oauth).toMatchObject({ clientId: 'app', authorizeUrl: 'https://app.gong.io/oauth2/authorize', tokenUrl: 'https://app.gong.io/oauth2/generate-customer-token', scopes: 'api:calls:create api:users:read' });
    expect(config.oauth?.key.equals(key)).toBe(true);
    expect(loadConfig(minimal).oauth).toBeUndefined();
  });

  it('treats empty variables as unset, as deployment templates often render them', () => {
    expect(loadConfig({ ...minimal, S3_ENDPOINT: '', PORT: '' }).port).toBe(8080);
  });

  it('parses lists and booleans', () => {
    const config = loadConfig({ ...minimal, S3_ALLOWED_BUCKETS: ' a, b ,,c', S3_FORCE_PATH_STYLE: 'true' });
    expect(config.s3).toMatchObject({ allowedBuckets: ['a', 'b', 'c'], forcePathStyle: true });
  });
});

describe('setting defaults', () => {
  it('when code outside a loaded Config needs a default, then it reads the schema\'s own (written once)', async () => {
    const { settingDefault } = await import('../../src/config/config-schema.js');
    expect(settingDefault('GONG_MAX_RATE_LIMITED_WAITS')).toBe(20);
    expect(settingDefault('WORKER_CONCURRENCY')).toBe(4);
    expect(() => settingDefault('GONG_ACCESS_KEY')).toThrow(/has no default/);
  });
});
