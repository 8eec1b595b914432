import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../tools/deploy/helm-binary.js';

const nvmrc = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim();
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string }; devDependencies: Record<string, string> };
const major = nvmrc.split('.')[0];

describe('the Node runtime', () => {
  it('when .nvmrc names the release, then it is an exact Node 24 LTS version', () => {
    expect(nvmrc).toMatch(/^24\.\d+\.\d+$/);
  });

  it('when the tests run, then they run on that major (tools/use-node-24.sh puts it first on PATH)', () => {
    expect(process.versions.node.split('.')[0]).toBe(major);
  });

  it('when npm reads engines and the type definitions, then both ask for the same major', () => {
    expect(pkg.engines.node).toBe(`>=${major}`);
    expect(pkg.devDependencies['@types/node']).toMatch(new RegExp(`^\\^${major}\\.`));
  });

  it('when the chart deploys its default image, then it is the image of this version', () => {
    const chart = readFileSync(join(REPO_ROOT, 'helm/gong-ingest/Chart.yaml'), 'utf8');
    expect(chart).toContain(`appVersion: "${pkg.version}"`);
  });
});
