/**
 * `npx tsx tools/deploy/verify-image-contents.ts [--target runtime] [--keep]`
 *
 * There is no Docker engine in CI, so this replays the Dockerfile without one: it reads the Dockerfile, builds the
 * stages the target needs in a temporary directory (each stage a fake filesystem root), with the build context made
 * of the files git knows (tracked, plus untracked ones not ignored) less what .dockerignore leaves out. `npm` RUN steps
 * run for real (npm ci, npm run build, npm prune --omit=dev); other RUN steps (apt-get, useradd) are the base image's
 * business and are skipped. Then it starts the runtime stage's CMD as the container would (clean environment, empty
 * HOME and TMPDIR), once with ROLE=api and once with ROLE=worker against the Redis at 127.0.0.1:6379 under a unique
 * QUEUE_PREFIX, waits for /healthz, checks /readyz and /metrics, stops each with SIGTERM and expects exit code 0.
 * It also checks that no dev dependency reached the runtime and that running wrote nothing under the app directory
 * (a read-only root filesystem would have refused it). Exit code 0 when every check passes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cp, link, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { Redis } from 'ioredis';
import { copyPaths, envPairs, execForm, parseDockerfile, stagesNeededFor, type Stage } from './dockerfile.js';
import { dockerignoreMatcher } from './dockerignore.js';
import { freePort } from '../../harness/support/service-process.js';
import { REPO_ROOT } from './helm-binary.js';

const REDIS_URL = process.env.VERIFY_REDIS_URL ?? 'redis://127.0.0.1:6379';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

interface StageState {
  root: string;
  workdir: string;
  env: Record<string, string>;
  cmd?: string[];
  entrypoint?: string[];
  user?: string;
}

class VerifyError extends Error {
  override readonly name = 'VerifyError';
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const targetArg = process.argv.indexOf('--target');
  const keep = process.argv.includes('--keep');
  const dockerfile = parseDockerfile(await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  const target = targetArg > 0 ? process.argv[targetArg + 1]! : dockerfile.stages.at(-1)!.name;
  const stages = stagesNeededFor(dockerfile, target);
  if (!stages.some((s) => s.name === target)) throw new VerifyError(`Dockerfile has no stage ${target}`);
  say(`Dockerfile target "${target}" needs stages: ${stages.map((s) => `${s.name} (FROM ${s.base})`).join(', ')}`);
  checkNodeMajor(stages);

  const work = await mkdtemp(join(tmpdir(), 'gong-ingest-image-'));
  const prefix = `verify-image-${randomBytes(4).toString('hex')}`;
  try {
    const context = await buildContext();
    say(`build context: ${context.size} files (git-known files less .dockerignore)`);
    const states = new Map<string, StageState>();
    for (const stage of stages) states.set(stage.name, await replayStage(stage, states, context, work));
    const runtime = states.get(target)!;
    const appDir = join(runtime.root, runtime.workdir);

    await checkRuntimeContents(runtime, appDir);
    const before = await snapshot(appDir);
    await requireRedis();
    for (const role of ['api', 'worker'] as const) await runRole(runtime, appDir, role, prefix, work);
    const after = await snapshot(appDir);
    const changed = diffSnapshots(before, after);
    if (changed.length > 0) throw new VerifyError(`running the service wrote under the app directory (a read-only root filesystem refuses that): ${changed.slice(0, 10).join(', ')}`);
    say('✓ nothing was written under the app directory while it ran (read-only root filesystem friendly)');
    say('image contents verified');
  } finally {
    await deleteKeys(prefix).catch(() => {});
    if (keep) say(`kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

/** The node major of the base image must be the one running this check, or the replay proves little. */
function checkNodeMajor(stages: Stage[]): void {
  const bases = stages.map((s) => s.base).filter((b) => b.startsWith('node:'));
  for (const base of bases) {
    const major = /^node:(\d+)/.exec(base)?.[1];
    const local = process.versions.node.split('.')[0];
    if (major && major !== local) throw new VerifyError(`the image is ${base} but this check runs on Node ${process.versions.node}: run it with Node ${major}`);
  }
  say(`✓ base image ${bases.join(', ')} matches the Node ${process.versions.node} running this replay`);
}

/** Files git knows about (tracked or untracked-but-not-ignored, and still present), less what .dockerignore drops. */
async function buildContext(): Promise<Set<string>> {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new VerifyError(`git ls-files failed: ${listed.stderr}`);
  let ignore = (_: string) => false;
  try {
    ignore = dockerignoreMatcher(await readFile(join(REPO_ROOT, '.dockerignore'), 'utf8'));
  } catch {
    say('! no .dockerignore: the whole repository is the build context');
  }
  const files = new Set<string>();
  for (const path of listed.stdout.split('\0')) {
    if (path === '' || ignore(path)) continue;
    const info = await stat(join(REPO_ROOT, path)).catch(() => undefined);
    if (info?.isFile()) files.add(path);
  }
  return files;
}

async function replayStage(stage: Stage, states: Map<string, StageState>, context: Set<string>, work: string): Promise<StageState> {
  const parent = states.get(stage.base);
  const root = join(work, stage.name);
  if (parent) {
    // A stage FROM an earlier stage starts from a copy of its filesystem; hard links make that cheap, and npm only
    // adds and unlinks files, so the parent's files stay as they were.
    await hardLinkTree(parent.root, root);
  } else {
    await mkdir(root, { recursive: true });
  }
  const state: StageState = { root, workdir: parent?.workdir ?? '/', env: { ...parent?.env }, cmd: parent?.cmd, entrypoint: parent?.entrypoint, user: parent?.user };
  say(`stage ${stage.name}`);
  for (const instruction of stage.instructions) {
    const started = Date.now();
    switch (instruction.keyword) {
      case 'WORKDIR':
        state.workdir = posix.resolve(state.workdir, instruction.args.trim());
        await mkdir(join(root, state.workdir), { recursive: true });
        break;
      case 'ENV':
        Object.assign(state.env, envPairs(instruction));
        break;
      case 'COPY':
      case 'ADD':
        await replayCopy(instruction.flags.from, copyPaths(instruction), state, states, context);
        say(`  ✓ ${instruction.keyword} ${instruction.flags.from ? `--from=${instruction.flags.from} ` : ''}${instruction.args}`);
        break;
      case 'RUN': {
        const command = instruction.args.trim();
        if (!/^npm\s/.test(command)) {
          say(`  - RUN skipped (system step, done by docker build): ${command.slice(0, 70)}${command.length > 70 ? '…' : ''}`);
          break;
        }
        const run = spawnSync('sh', ['-c', command], {
          cwd: join(root, state.workdir),
          env: { ...process.env, ...state.env },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        if (run.status !== 0) throw new VerifyError(`RUN ${command} failed (exit ${run.status}):\n${(run.stdout + run.stderr).slice(-4000)}`);
        say(`  ✓ RUN ${command} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        break;
      }
      case 'CMD':
        state.cmd = execForm(instruction);
        break;
      case 'ENTRYPOINT':
        state.entrypoint = execForm(instruction);
        break;
      case 'USER':
        state.user = instruction.args.trim();
        break;
      default:
        break; // EXPOSE, HEALTHCHECK, LABEL, ARG…: nothing to replay
    }
  }
  return state;
}

async function replayCopy(
  from: string | undefined,
  { sources, destination }: { sources: string[]; destination: string },
  state: StageState,
  states: Map<string, StageState>,
  context: Set<string>,
): Promise<void> {
  const destPath = posix.resolve(state.workdir, destination);
  const intoDirectory = destination.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    if (/[*?[]/.test(source)) throw new VerifyError(`COPY ${source}: wildcards are not replayed; name files or directories`);
    if (from) {
      const other = states.get(from);
      if (!other) throw new VerifyError(`COPY --from=${from}: no such stage (or an image, which this replay cannot fetch)`);
      const sourcePath = join(other.root, posix.resolve('/', source));
      const info = await stat(sourcePath).catch(() => undefined);
      if (!info) throw new VerifyError(`COPY --from=${from} ${source}: not in that stage`);
      const target = join(state.root, intoDirectory && info.isFile() ? posix.join(destPath, posix.basename(source)) : destPath);
      await mkdir(dirname(target), { recursive: true });
      await cp(sourcePath, target, { recursive: true, verbatimSymlinks: true });
      continue;
    }
    const clean = posix.normalize(source).replace(/^\.\/?/, '').replace(/\/$/, '');
    const matches = [...context].filter((file) => clean === '' || file === clean || file.startsWith(`${clean}/`));
    if (matches.length === 0) throw new VerifyError(`COPY ${source}: not in the build context (not known to git, or excluded by .dockerignore)`);
    for (const file of matches) {
      const relative = file === clean ? posix.basename(file) : file.slice(clean.length + (clean === '' ? 0 : 1));
      const targetPath = file === clean && !intoDirectory ? destPath : posix.join(destPath, relative);
      const target = join(state.root, targetPath);
      await mkdir(dirname(target), { recursive: true });
      await cp(join(REPO_ROOT, file), target);
    }
  }
}

async function hardLinkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await hardLinkTree(source, target);
    else if (entry.isFile()) await link(source, target);
    else await cp(source, target, { verbatimSymlinks: true });
  }
}

async function checkRuntimeContents(runtime: StageState, appDir: string): Promise<void> {
  if (!runtime.cmd) throw new VerifyError('the target stage has no exec-form CMD');
  say(`runtime: USER ${runtime.user ?? '(root!)'}, ENTRYPOINT ${JSON.stringify(runtime.entrypoint)}, CMD ${JSON.stringify(runtime.cmd)}`);
  if (!runtime.user || /^(0|root)(:|$)/.test(runtime.user)) throw new VerifyError('the runtime stage must set a non-root USER');
  const pkg = JSON.parse(await readFile(join(appDir, 'package.json'), 'utf8').catch(() => '{}')) as { type?: string; devDependencies?: Record<string, string> };
  if (pkg.type !== 'module') throw new VerifyError('package.json (with "type": "module") is missing from the runtime stage: dist/*.js would not load as ES modules');
  // A dev dependency may also be a production package's own dependency (protobufjs, under the OpenTelemetry SDK's
  // gRPC exporter, depends on @types/node): the lockfile says which are dev-only ("dev": true), and only those leak.
  const lock = JSON.parse(await readFile(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { dev?: boolean }> };
  const leaked: string[] = [];
  const shared: string[] = [];
  for (const name of Object.keys(pkg.devDependencies ?? {})) {
    if (!(await stat(join(appDir, 'node_modules', name)).catch(() => undefined))) continue;
    if (lock.packages?.[`node_modules/${name}`]?.dev === true) leaked.push(name);
    else shared.push(name);
  }
  if (leaked.length > 0) throw new VerifyError(`dev dependencies reached the runtime stage: ${leaked.join(', ')}`);
  const absent = Object.keys(pkg.devDependencies ?? {}).length - shared.length;
  say(`✓ runtime stage holds package.json, dist/ and production dependencies only (${absent} dev dependencies absent${shared.length ? `; ${shared.join(', ')} also needed by a production dependency` : ''})`);
  const cli = await stat(join(appDir, 'dist', 'cli', 'main.js')).catch(() => undefined);
  say(cli ? '✓ dist/cli/main.js present (the gong-ingest command)' : '! dist/cli/main.js is not built yet: the gong-ingest command in the image has nothing to run');
}

async function requireRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    throw new VerifyError(`no Redis answers at ${REDIS_URL} (set VERIFY_REDIS_URL, or start redis-server)`);
  } finally {
    redis.disconnect();
  }
}

async function runRole(runtime: StageState, appDir: string, role: 'api' | 'worker', prefix: string, work: string): Promise<void> {
  const port = await freePort();
  const home = join(work, `home-${role}`);
  const tmp = join(work, `tmp-${role}`);
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  const [command, ...args] = runtime.cmd!;
  const env: Record<string, string> = {
    // As in the container: the image's ENV, an empty HOME, a writable TMPDIR, and only what the chart would set.
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmp,
    ...runtime.env,
    ROLE: role,
    PORT: String(port),
    LOG_LEVEL: 'info',
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    WEBHOOK_SECRET: `whsec_${Buffer.from('verify-image-contents-not-a-secret!').toString('base64')}`,
    S3_ALLOWED_BUCKETS: 'recordings',
    AWS_REGION: 'us-east-1',
    GONG_BASE_URL: 'http://127.0.0.1:9/v2',
    GONG_ACCESS_KEY: 'verify-access-key',
    GONG_ACCESS_KEY_SECRET: 'verify-access-key-secret',
    WORKER_SHUTDOWN_GRACE_MS: '5000',
  };
  const started = Date.now();
  const child = spawn(command === 'node' ? process.execPath : command!, args, { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  const fail = (message: string) => new VerifyError(`${role}: ${message}\n--- output ---\n${output.slice(-4000)}`);
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealthz(`${base}/healthz`, child, fail);
    say(`✓ ROLE=${role}: GET /healthz 200 after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const ready = await fetch(`${base}/readyz`);
    if (ready.status !== 200) throw fail(`GET /readyz answered ${ready.status}, expected 200 with Redis reachable`);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    if (!metrics.includes('gong_ingest_')) throw fail('GET /metrics has no gong_ingest_ metrics');
    say(`✓ ROLE=${role}: GET /readyz 200, GET /metrics serves gong_ingest_*`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (code !== 0) throw fail(`after SIGTERM it exited with ${code === null ? `signal ${signal}` : `code ${code}`}, expected code 0`);
  say(`✓ ROLE=${role}: SIGTERM → exit code 0`);
}

async function waitForHealthz(url: string, child: ChildProcess, fail: (m: string) => Error): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw fail(`exited (code ${child.exitCode}) before /healthz answered`);
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw fail(`GET /healthz did not answer 200 within ${START_TIMEOUT_MS / 1000} s`);
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        entries.set(path, 'dir');
        await walk(path);
      } else {
        const info = await stat(path).catch(() => undefined);
        entries.set(path, info ? `${info.size}:${info.mtimeMs}` : 'gone');
      }
    }
  };
  await walk(dir);
  return entries;
}

function diffSnapshots(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [path, state] of after) if (before.get(path) !== state) changed.push(path);
  for (const path of before.keys()) if (!after.has(path)) changed.push(`${path} (deleted)`);
  return changed;
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `{${prefix}}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`✗ ${error instanceof VerifyError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
