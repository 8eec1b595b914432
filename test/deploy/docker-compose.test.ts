import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { REPO_ROOT } from '../../tools/deploy/helm-binary.js';
import { chartNodeOptions } from '../../tools/deploy/values-table.js';
import { parseYaml } from '../../tools/deploy/yaml.js';

/**
 * No Docker engine (and no compose plugin) runs here, so docker-compose.yml is checked as data: the services the
 * laptop setup needs, Redis configured for BullMQ, and an environment the service's own config loader accepts.
 */
interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  privileged?: boolean;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
}

const compose = parseYaml(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { mergeKeys: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has Redis, an S3-compatible store, the Gong emulator, and the api and worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'gong-emulator', 'redis', 's3', 'worker']);
  });

  it('runs Redis the way BullMQ needs it: noeviction, append-only file on a volume', () => {
    const command = services.redis!.command!.join(' ');
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--appendonly yes/);
    expect(services.redis!.image).toMatch(/^redis:\d+\.\d+/);
  });

  it('builds api and worker from the same runtime target, told apart by ROLE, hardened like the chart', () => {
    for (const [name, role] of [['api', 'api'], ['worker', 'worker']] as const) {
      const service = services[name]!;
      expect(service.build).toEqual({ context: '.', target: 'runtime' });
      expect(service.environment?.ROLE).toBe(role);
      expect(service.read_only).toBe(true);
      expect(service.tmpfs).toContain('/tmp');
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.depends_on?.redis).toEqual({ condition: 'service_healthy' });
    }
    expect(services.api!.image).toBe(services.worker!.image);
  });

  it("runs the API and the worker with the chart's Node flags for each", async () => {
    expect(services.api!.environment?.NODE_OPTIONS).toBe(await chartNodeOptions('api'));
    expect(services.worker!.environment?.NODE_OPTIONS).toBe(await chartNodeOptions('worker'));
  });

  it('gives the service an environment its config loader accepts, pointed at the other containers', () => {
    for (const name of ['api', 'worker']) {
      const config = loadConfig(services[name]!.environment!);
      expect(config.role).toBe(name);
      expect(config.redis.url).toBe('redis://redis:6379');
      expect(config.gong.baseUrl).toBe('http://gong-emulator:8090/v2');
      expect(config.s3.endpoint).toBe('http://s3:4569');
    }
  });

  it('runs the Gong emulator and s3rver from the dev stage, listening on all interfaces of their container', () => {
    const emulator = services['gong-emulator']!;
    expect(emulator.build?.target).toBe('dev');
    expect(emulator.command?.at(-1)).toBe('harness/emulators/gong/cli.ts');
    expect(emulator.environment).toMatchObject({ PORT: '8090', HOST: '0.0.0.0' });
    expect(existsSync(join(REPO_ROOT, 'harness/emulators/gong/cli.ts'))).toBe(true);
    // The emulator accepts the credentials the service sends.
    expect(emulator.environment?.GONG_ACCESS_KEY).toBe(services.worker!.environment?.GONG_ACCESS_KEY);
    expect(services.s3!.command).toEqual(expect.arrayContaining(['--configure-bucket', services.worker!.environment!.S3_ALLOWED_BUCKETS!]));
  });

  it('publishes ports on the loopback interface only, and runs nothing privileged', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
      expect(service.privileged).toBeUndefined();
    }
  });
});
