import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyPaths, envPairs, execForm, parseDockerfile, stagesNeededFor, type Stage } from '../../tools/deploy/dockerfile.js';
import { dockerignoreMatcher } from '../../tools/deploy/dockerignore.js';
import { REPO_ROOT } from '../../tools/deploy/helm-binary.js';

const dockerfile = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.stages.at(-1)!;
const last = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).at(-1);
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);

describe('Dockerfile', () => {
  it('builds in stages: the default (last) target is the runtime, built FROM a pinned Node 24 slim or alpine image', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.name).toBe('runtime');
    for (const stage of dockerfile.stages.filter((s) => !dockerfile.stages.some((other) => other.name === s.base))) {
      expect(stage.base).toMatch(/^node:24\.\d+\.\d+-(bookworm-slim|slim|alpine\d*(\.\d+)?)(@sha256:[a-f0-9]{64})?$/);
    }
  });

  it('uses the exact Node release of .nvmrc, the one CI and the tests run on', () => {
    const nvmrc = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim();
    for (const stage of dockerfile.stages.filter((s) => s.base.startsWith('node:'))) {
      expect(stage.base.split(/[:-]/)[1]).toBe(nvmrc);
    }
  });

  it('compiles with dev dependencies and ships production dependencies only', () => {
    const needed = stagesNeededFor(dockerfile, 'runtime');
    const steps = needed.flatMap(runs);
    expect(steps).toEqual(expect.arrayContaining(['npm ci', 'npm run build', 'npm prune --omit=dev']));
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY');
    const nodeModules = copies.find((c) => copyPaths(c).sources.some((s) => s.endsWith('node_modules')))!;
    const pruned = dockerfile.stages.find((s) => s.name === nodeModules.flags.from)!;
    expect(runs(pruned)).toContain('npm prune --omit=dev');
    // Nothing is copied wholesale into the runtime (no `COPY . .`): only named paths.
    expect(copies.flatMap((c) => copyPaths(c).sources)).not.toContain('.');
  });

  it('runs as a numeric non-root user, so runAsNonRoot can check it', () => {
    expect(last(runtime, 'USER')?.args.trim()).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
  });

  it('starts node under tini, in exec form, so SIGTERM reaches the service', () => {
    expect(execForm(last(runtime, 'ENTRYPOINT')!)).toEqual(['/usr/bin/tini', '--']);
    expect(execForm(last(runtime, 'CMD')!)).toEqual(['node', 'dist/main.js']);
    expect(runs(runtime).join(' ')).toMatch(/apt-get install[^&]*\btini\b/);
  });

  it('sets NODE_ENV=production and writes nothing at run time (no npm start, which would want ~/.npm)', () => {
    const env = Object.assign({}, ...runtime.instructions.filter((i) => i.keyword === 'ENV').map(envPairs)) as Record<string, string>;
    expect(env.NODE_ENV).toBe('production');
    expect(JSON.stringify(execForm(last(runtime, 'CMD')!))).not.toMatch(/npm/);
    expect(last(runtime, 'HEALTHCHECK')?.args).toMatch(/\/healthz/);
  });

  it('has a dev stage that runs the Gong emulator docker-compose uses', () => {
    const dev = dockerfile.stages.find((s) => s.name === 'dev')!;
    const cmd = execForm(last(dev, 'CMD')!)!;
    expect(cmd.at(-1)).toBe('harness/emulators/gong/cli.ts');
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignoreMatcher(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

  it.each(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/main.ts', 'src/config/load-config.ts', 'harness/emulators/gong/cli.ts'])(
    'sends %s to the build',
    (path) => expect(ignored(path)).toBe(false),
  );

  it.each(['node_modules/express/index.js', 'dist/main.js', '.git/HEAD', '.env', 'src/.env.local', 'helm/gong-ingest/values.yaml', 'docs/deployment.md', 'README.md', 'Dockerfile', 'coverage/lcov.info', 'harness/fixtures/call.wav', 'npm-debug.log'])(
    'keeps %s out of the build context',
    (path) => expect(ignored(path)).toBe(true),
  );
});

describe('the Dockerfile reader (tools/deploy/dockerfile.ts)', () => {
  const parsed = parseDockerfile(
    ['# syntax=docker/dockerfile:1', 'ARG BASE=node:20-slim', 'FROM ${BASE} AS one', 'RUN --mount=type=cache,target=/root/.npm \\', '  # a comment', '  npm ci', 'ENV A=1 B="two words"', 'FROM one AS two', 'COPY --from=one --chown=1:1 /app/x /app/y ./', 'CMD ["node", "x.js"]'].join('\n'),
  );

  it('reads stages, global ARGs, continuations, flags and exec form', () => {
    expect(parsed.stages.map((s) => [s.name, s.base])).toEqual([['one', 'node:20-slim'], ['two', 'one']]);
    const [run, env] = parsed.stages[0]!.instructions;
    expect(run).toMatchObject({ keyword: 'RUN', flags: { mount: 'type=cache,target=/root/.npm' }, args: 'npm ci' });
    expect(envPairs(env!)).toEqual({ A: '1', B: 'two words' });
    const [copy, cmd] = parsed.stages[1]!.instructions;
    expect(copy!.flags).toEqual({ from: 'one', chown: '1:1' });
    expect(copyPaths(copy!)).toEqual({ sources: ['/app/x', '/app/y'], destination: './' });
    expect(execForm(cmd!)).toEqual(['node', 'x.js']);
    expect(stagesNeededFor(parsed, 'two').map((s) => s.name)).toEqual(['one', 'two']);
  });
});

describe('the .dockerignore matcher (tools/deploy/dockerignore.ts)', () => {
  it('follows BuildKit: ** across directories, a matched directory covers its contents, the last match wins', () => {
    const ignored = dockerignoreMatcher('node_modules\n**/*.log\n*.md\n!README.md\ndocs/*\n!docs/keep.txt\n');
    expect(ignored('node_modules/a/b.js')).toBe(true);
    expect(ignored('src/node_modules/a.js')).toBe(false); // a bare name matches at the root only
    expect(ignored('deep/er/x.log')).toBe(true);
    expect(ignored('x.log')).toBe(true);
    expect(ignored('CHANGELOG.md')).toBe(true);
    expect(ignored('README.md')).toBe(false);
    expect(ignored('sub/README.md')).toBe(false);
    expect(ignored('docs/a.txt')).toBe(true);
    expect(ignored('docs/keep.txt')).toBe(false);
  });
});
