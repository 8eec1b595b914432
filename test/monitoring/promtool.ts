import { spawnSync } from 'node:child_process';

/** Runs promtool (Debian's prometheus package; tools/monitoring/ensure-promtool.sh installs it). */
export function promtool(args: string[], input?: string, cwd?: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { input, cwd, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is not installed: run tools/monitoring/ensure-promtool.sh (${result.error.message})`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
