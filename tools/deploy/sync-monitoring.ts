/**
 * `npx tsx tools/deploy/sync-monitoring.ts [--check]`: copies monitoring/alerts.yaml and
 * monitoring/grafana-dashboard.json into helm/gong-ingest/files/, where the chart reads them (.Files.Get cannot reach
 * outside the chart). --check only reports differences (exit 1). test/deploy/monitoring-files.test.ts runs the check.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './helm-binary.js';

export const MONITORING_FILES = ['alerts.yaml', 'grafana-dashboard.json'] as const;
export const MONITORING_DIR = join(REPO_ROOT, 'monitoring');
export const CHART_FILES_DIR = join(REPO_ROOT, 'helm', 'gong-ingest', 'files');

export interface FilePair {
  name: string;
  source: string;
  copy: string;
  /** undefined when monitoring/ has no such file yet. */
  same: boolean | undefined;
}

export async function comparePairs(sourceDir = MONITORING_DIR, copyDir = CHART_FILES_DIR): Promise<FilePair[]> {
  return Promise.all(
    MONITORING_FILES.map(async (name) => {
      const source = join(sourceDir, name);
      const copy = join(copyDir, name);
      const original = await readFile(source).catch(() => undefined);
      const copied = await readFile(copy).catch(() => undefined);
      return { name, source, copy, same: original === undefined ? undefined : copied !== undefined && original.equals(copied) };
    }),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  let differs = false;
  for (const pair of await comparePairs()) {
    if (pair.same === undefined) process.stdout.write(`monitoring/${pair.name} does not exist yet: chart keeps its own files/${pair.name}\n`);
    else if (pair.same) process.stdout.write(`files/${pair.name} is current\n`);
    else if (check) {
      differs = true;
      process.stdout.write(`files/${pair.name} differs from monitoring/${pair.name}\n`);
    } else {
      await copyFile(pair.source, pair.copy);
      process.stdout.write(`copied monitoring/${pair.name} -> helm/gong-ingest/files/${pair.name}\n`);
    }
  }
  if (differs) process.exit(1);
}
