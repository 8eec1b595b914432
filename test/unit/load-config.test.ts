import { ConfigError, hashTaggedPrefix, loadConfig } from '../../src/config/load-config.js';

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

  it('treats empty variables as unset, as deployment templates often render them', () => {
    expect(loadConfig({ ...minimal, S3_ENDPOINT: '', PORT: '' }).port).toBe(8080);
  });

  it('parses lists and booleans', () => {
    const config = loadConfig({ ...minimal, S3_ALLOWED_BUCKETS: ' a, b ,,c', S3_FORCE_PATH_STYLE: 'true' });
    expect(config.s3).toMatchObject({ allowedBuckets: ['a', 'b', 'c'], forcePathStyle: true });
  });
});

describe('hash-tagged queue prefix', () => {
  it('wraps a plain prefix so every key lands in one Redis Cluster slot', () => expect(hashTaggedPrefix('gong-ingest')).toBe('{gong-ingest}'));
  it('keeps a prefix that already has a hash tag', () => expect(hashTaggedPrefix('prod-{gi}')).toBe('prod-{gi}'));
});

describe('Redis connection settings', () => {
  it('reads Sentinel and Cluster seeds as host:port lists', () => {
    const sentinel = loadConfig({ ...minimal, REDIS_MODE: 'sentinel', REDIS_SENTINELS: 'a.example:26379, b.example:26380', REDIS_SENTINEL_NAME: 'gong' });
    expect(sentinel.redis).toMatchObject({ mode: 'sentinel', sentinelName: 'gong', sentinels: [{ host: 'a.example', port: 26379 }, { host: 'b.example', port: 26380 }] });
    const cluster = loadConfig({ ...minimal, REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'c1:6379', REDIS_TLS: 'true' });
    expect(cluster.redis).toMatchObject({ mode: 'cluster', tls: true, clusterNodes: [{ host: 'c1', port: 6379 }] });
  });

  it('requires the seeds of the chosen mode and refuses malformed ones', () => {
    expect(() => loadConfig({ ...minimal, REDIS_MODE: 'sentinel' })).toThrow(/REDIS_SENTINELS: is required/);
    expect(() => loadConfig({ ...minimal, REDIS_MODE: 'cluster', REDIS_CLUSTER_NODES: 'no-port' })).toThrow(/REDIS_CLUSTER_NODES\.0: each entry must be host:port/);
  });

  it('requires PUBLIC_BASE_URL with a Twilio auth token, since Twilio signs the public URL', () => {
    expect(() => loadConfig({ ...minimal, TWILIO_AUTH_TOKEN: 'tok' })).toThrow(/PUBLIC_BASE_URL/);
  });
});
