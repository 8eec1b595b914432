import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import calculateSlot from 'cluster-key-slot';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { hashTaggedPrefix, hashTagOf } from '../../src/config/redis-settings.js';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const minimal = { S3_ALLOWED_BUCKETS: 'recordings', WEBHOOK_SECRET: secret, GONG_ACCESS_KEY: 'k', GONG_ACCESS_KEY_SECRET: 's' };
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('hash-tagged queue prefix, by Redis Cluster rule', () => {
  it.each([
    ['gong-ingest', '{gong-ingest}'],
    ['prod-{gi}', 'prod-{gi}'],
    ['{a}{b}', '{a}{b}'],
    // Redis hashes the whole key when the first {} is empty, so this prefix has no tag and must be wrapped.
    ['{}{x}', '{{}{x}}'],
    ['x{', '{x{}'],
    ['x}y{', '{x}y{}'],
  ])('%s becomes %s', (prefix, tagged) => expect(hashTaggedPrefix(prefix)).toBe(tagged));

  it('gives every key under a wrapped prefix the same slot, as Redis computes it', () => {
    for (const prefix of ['gong-ingest', '{}{x}', 'a}b{c', 'prod-{gi}']) {
      const tagged = hashTaggedPrefix(prefix);
      const slots = new Set([`${tagged}:calls:wait`, `${tagged}:calls:call-1`, `${tagged}:gong-traffic:log`].map(calculateSlot));
      expect(slots.size).toBe(1);
      expect(hashTagOf(tagged)).toBeDefined();
    }
  });
});

describe('Redis durability and TLS settings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
    writeFileSync(join(dir, 'ca.pem'), PEM);
    writeFileSync(join(dir, 'client.pem'), PEM);
    writeFileSync(join(dir, 'client.key'), KEY);
    writeFileSync(join(dir, 'not-pem.txt'), 'hello');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for no replica by default, one second when asked to', () => {
    expect(loadConfig(minimal).redis).toMatchObject({ waitReplicas: 0, waitTimeoutMs: 1000, tls: undefined, sentinelTls: false });
    expect(loadConfig({ ...minimal, REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '250' }).redis).toMatchObject({ waitReplicas: 1, waitTimeoutMs: 250 });
  });

  it('refuses a wait that would outlast the producer guard, and a negative replica count', () => {
    const problems = problemsOf({ ...minimal, REDIS_WAIT_TIMEOUT_MS: '10000', REDIS_WAIT_REPLICAS: '-1' });
    expect(problems).toContain('REDIS_WAIT_TIMEOUT_MS');
    expect(problems).toContain('REDIS_WAIT_REPLICAS');
  });

  it('reads the CA, client certificate and key into the settings when TLS is on (REDIS_TLS or rediss://)', () => {
    const files = { REDIS_TLS_CA_FILE: join(dir, 'ca.pem'), REDIS_TLS_CERT_FILE: join(dir, 'client.pem'), REDIS_TLS_KEY_FILE: join(dir, 'client.key') };
    expect(loadConfig({ ...minimal, REDIS_TLS: 'true', ...files }).redis.tls).toEqual({ ca: PEM, cert: PEM, key: KEY });
    expect(loadConfig({ ...minimal, REDIS_URL: 'rediss://redis.example:6380', REDIS_TLS_CA_FILE: files.REDIS_TLS_CA_FILE }).redis.tls).toEqual({ ca: PEM, cert: undefined, key: undefined });
    expect(loadConfig({ ...minimal, REDIS_URL: 'rediss://redis.example:6380' }).redis.tls).toEqual({});
  });

  it('lists every unusable TLS file at once, without printing any of its contents', () => {
    const problems = problemsOf({
      ...minimal,
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: join(dir, 'missing.pem'),
      REDIS_TLS_CERT_FILE: join(dir, 'not-pem.txt'),
      REDIS_TLS_KEY_FILE: join(dir, 'client.key'),
    });
    expect(problems).toMatch(/REDIS_TLS_CA_FILE: cannot be read \(ENOENT\)/);
    expect(problems).toMatch(/REDIS_TLS_CERT_FILE: is not a PEM file/);
    expect(problems).not.toContain('secret-key-material');
    expect(problems).not.toContain('hello');
  });

  it('refuses a client certificate without its key, and TLS files while TLS is off', () => {
    expect(problemsOf({ ...minimal, REDIS_TLS: 'true', REDIS_TLS_CERT_FILE: join(dir, 'client.pem') })).toMatch(/REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together/);
    expect(problemsOf({ ...minimal, REDIS_TLS_CA_FILE: join(dir, 'ca.pem') })).toMatch(/REDIS_TLS_CA_FILE: is set but TLS is off/);
  });

  it('takes REDIS_SENTINEL_TLS only in Sentinel mode', () => {
    expect(problemsOf({ ...minimal, REDIS_SENTINEL_TLS: 'true' })).toMatch(/REDIS_SENTINEL_TLS: only applies with REDIS_MODE=sentinel/);
    const config = loadConfig({ ...minimal, REDIS_MODE: 'sentinel', REDIS_SENTINELS: 'a:26379', REDIS_SENTINEL_TLS: 'true', REDIS_TLS: 'true' });
    expect(config.redis).toMatchObject({ sentinelTls: true, tls: {} });
  });
});
