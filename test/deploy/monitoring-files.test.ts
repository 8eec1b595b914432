import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePairs, MONITORING_DIR, MONITORING_FILES } from '../../tools/deploy/sync-monitoring.js';

/**
 * The chart ships copies of monitoring/alerts.yaml and monitoring/grafana-dashboard.json (Helm cannot read outside the
 * chart). These tests fail while a copy differs from its source; fix with `npx tsx tools/deploy/sync-monitoring.ts`.
 * Each comparison is skipped only while monitoring/<file> does not exist yet.
 */
describe.each(MONITORING_FILES.map((name) => [name]))('helm/gong-ingest/files/%s', (name) => {
  const sourceExists = existsSync(join(MONITORING_DIR, name));
  (sourceExists ? it : it.skip)(`is byte-for-byte the same as monitoring/${name}`, async () => {
    const pair = (await comparePairs()).find((p) => p.name === name)!;
    expect({ file: name, sameAsMonitoring: pair.same, fix: 'npx tsx tools/deploy/sync-monitoring.ts' }).toEqual({
      file: name,
      sameAsMonitoring: true,
      fix: 'npx tsx tools/deploy/sync-monitoring.ts',
    });
  });
});

describe('the comparison', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'monitoring-compare-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a copy that differs by one byte, a missing copy, and a missing source', async () => {
    const source = join(dir, 'source');
    const copy = join(dir, 'copy');
    await Promise.all([mkdir(source), mkdir(copy)]);
    await writeFile(join(source, 'alerts.yaml'), 'groups: []\n');
    await writeFile(join(copy, 'alerts.yaml'), 'groups: [] \n');
    const pairs = await comparePairs(source, copy);
    expect(pairs.map((p) => [p.name, p.same])).toEqual([
      ['alerts.yaml', false],
      ['grafana-dashboard.json', undefined],
    ]);
    await writeFile(join(source, 'grafana-dashboard.json'), '{}');
    expect((await comparePairs(source, copy)).map((p) => p.same)).toEqual([false, false]);
  });
});
