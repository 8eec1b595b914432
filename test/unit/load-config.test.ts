import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The problems a refused environment is reported with (fails the test when the environment is accepted). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the environment was accepted');
}

describe('settings that used to pass start-up and fail every job later', () => {
  it('refuses a GONG_BASE_URL without /v2, as Gong hands out tenant URLs, and shows the expected form', () => {
    const problems = problemsOf({ ...minimal, GONG_BASE_URL: 'https://us-12345.api.gong.io' });
    expect(problems).toEqual([expect.stringMatching(/^GONG_BASE_URL: must end in \/v2.*https:\/\/us-12345\.api\.gong\.io\/v2/)]);
    expect(problemsOf({ ...minimal, GONG_BASE_URL: 'https://us-12345.api.gong.io/v2/calls' })).toEqual([expect.stringContaining('GONG_BASE_URL')]);
    expect(problemsOf({ ...minimal, GONG_BASE_URL: 'https://us-12345.api.gong.io/v2?x=1' })).toEqual([expect.stringContaining('GONG_BASE_URL')]);
  });

  it('accepts a GONG_BASE_URL ending in /v2, with trailing slashes or over http (local emulators)', () => {
    expect(loadConfig({ ...minimal, GONG_BASE_URL: 'https://us-12345.api.gong.io/v2/' }).gong.baseUrl).toBe('https://us-12345.api.gong.io/v2');
    expect(loadConfig({ ...minimal, GONG_BASE_URL: 'http://127.0.0.1:8090/v2' }).gong.baseUrl).toBe('http://127.0.0.1:8090/v2');
  });

  it.each(['Ann Smith', 'ann@', 'user-42', '12ab'])('refuses GONG_DEFAULT_PRIMARY_USER %j: only a Gong user id or an email can be resolved', (value) => {
    expect(problemsOf({ ...minimal, GONG_DEFAULT_PRIMARY_USER: value })).toEqual([expect.stringMatching(/^GONG_DEFAULT_PRIMARY_USER: must be a numeric Gong user id or an email/)]);
  });

  it('accepts a numeric Gong user id or an email as GONG_DEFAULT_PRIMARY_USER', () => {
    expect(loadConfig({ ...minimal, GONG_DEFAULT_PRIMARY_USER: '234599484848423' }).sources.defaultPrimaryUser).toBe('234599484848423');
    expect(loadConfig({ ...minimal, GONG_DEFAULT_PRIMARY_USER: ' ann@acme.com ' }).sources.defaultPrimaryUser).toBe('ann@acme.com');
  });

  it.each([
    ['the full webhook URL', 'https://ingest.example.com/webhooks/twilio'],
    ['the webhooks folder', 'https://ingest.example.com/webhooks/'],
    ['a query string', 'https://ingest.example.com?x=1'],
    ['a fragment', 'https://ingest.example.com/#top'],
  ])('refuses a PUBLIC_BASE_URL with %s, which would make every Twilio signature fail', (_what, value) => {
    expect(problemsOf({ ...minimal, PUBLIC_BASE_URL: value })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: must be the base URL only/)]);
  });

  it('accepts a PUBLIC_BASE_URL with a proxy path prefix, without its trailing slash', () => {
    expect(loadConfig({ ...minimal, PUBLIC_BASE_URL: 'https://ingest.example.com/gong-ingest/' }).sources.publicBaseUrl).toBe('https://ingest.example.com/gong-ingest');
  });
});

describe('USER_MAP_FILE at start-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'load-config-user-map-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const mapFile = (content: string) => {
    const file = join(dir, 'users.json');
    writeFileSync(file, content);
    return file;
  };

  it('accepts a valid map', () => {
    const file = mapFile('{"client:ann": "ann@acme.com", "+1 415 555 0100": "234"}');
    expect(loadConfig({ ...minimal, USER_MAP_FILE: file }).sources.userMapFile).toBe(file);
  });

  it('reports a missing file together with the other bad settings', () => {
    const problems = problemsOf({ ...minimal, PORT: 'eighty', USER_MAP_FILE: join(dir, 'absent.json') });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^PORT:/), expect.stringMatching(/^USER_MAP_FILE: cannot be read \(ENOENT\)/)]));
  });

  it('reports a folder, malformed JSON and bad entries, naming the entry', () => {
    expect(problemsOf({ ...minimal, USER_MAP_FILE: dir })).toEqual([expect.stringMatching(/^USER_MAP_FILE: cannot be read \(EISDIR\)/)]);
    expect(problemsOf({ ...minimal, USER_MAP_FILE: mapFile('{ not json') })).toEqual([expect.stringMatching(/^USER_MAP_FILE: is invalid:/)]);
    expect(problemsOf({ ...minimal, USER_MAP_FILE: mapFile('{"client:ann": "Ann Smith"}') })).toEqual([expect.stringMatching(/^USER_MAP_FILE: is invalid: "client:ann" must map to a Gong user email or numeric id/)]);
  });

  it('is not read by an api-only process, which never uses it', () => {
    expect(loadConfig({ ...minimal, ROLE: 'api', USER_MAP_FILE: join(dir, 'absent.json') }).role).toBe('api');
  });
});
