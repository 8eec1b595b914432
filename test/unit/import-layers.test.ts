import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layering the README's Layout section promises, read from the import statements themselves (type-only imports
 * included: they are where a vocabulary leaks). A new import across a forbidden boundary fails here, naming it.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `src`-relative top folder of every relative import in a file (static and dynamic). */
function importedAreas(file: string): Array<{ area: string; target: string }> {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s*|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => {
    const target = relative(src, resolve(dirname(file), spec));
    return { area: target.split('/')[0]!.replace(/\.js$/, ''), target };
  });
}

const areaOf = (file: string) => relative(src, file).split('/')[0]!.replace(/\.ts$/, '');
const files = sourceFiles(src);

/** Which areas each area must not import. */
const FORBIDDEN: Record<string, string[]> = {
  gong: ['queue', 'workers', 'sources', 'api'],
  storage: ['queue', 'workers', 'sources', 'api'],
  traffic: ['queue', 'workers', 'sources', 'api'],
  queue: ['workers', 'sources', 'api'],
  sources: ['workers'],
  config: ['sources'],
  redis: ['queue', 'workers', 'sources', 'api', 'gong', 'storage', 'traffic'],
  tenants: ['queue', 'workers', 'sources', 'api', 'admin', 'gong', 'storage'],
  oauth: ['queue', 'workers', 'sources', 'api', 'admin', 'storage', 'tenants', 'traffic'],
};

describe('import layers', () => {
  it.each(Object.entries(FORBIDDEN))('when a file in src/%s imports, then it imports none of %j', (area, forbidden) => {
    const crossings = files
      .filter((file) => areaOf(file) === area)
      .flatMap((file) => importedAreas(file).filter((i) => forbidden.includes(i.area)).map((i) => `${relative(src, file)} -> ${i.target}`));
    expect(crossings).toEqual([]);
  });

  it('when a file in src/calls imports, then it imports only other files of src/calls (the shared vocabulary stands alone)', () => {
    const crossings = files
      .filter((file) => areaOf(file) === 'calls')
      .flatMap((file) => importedAreas(file).filter((i) => i.area !== 'calls').map((i) => `${relative(src, file)} -> ${i.target}`));
    expect(files.some((file) => areaOf(file) === 'calls')).toBe(true);
    expect(crossings).toEqual([]);
  });
});

describe('the process entry point', () => {
  it('when src/main.ts imports, then it imports only telemetry, config, logging and the composition root', () => {
    const allowed = ['telemetry', 'config', 'logging', 'composition'];
    const crossings = importedAreas(join(src, 'main.ts')).filter((i) => !allowed.includes(i.area)).map((i) => i.target);
    expect(crossings).toEqual([]);
  });
});

describe('harness and tools', () => {
  it.each(['tools', 'harness'])('when a file in %s/ imports, then it imports nothing from test/ (shared harness code lives in harness/)', (folder) => {
    const crossings = sourceFiles(join(root, folder)).flatMap((file) =>
      importedAreas(file)
        .map((i) => relative(root, resolve(src, i.target)))
        .filter((target) => target.startsWith('test/'))
        .map((target) => `${relative(root, file)} -> ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});
