import { setTimeout as sleep } from 'node:timers/promises';
import { extname } from 'node:path';
import type { DryRunReport } from '../import/dry-run.js';
import { formatDuration } from '../import/estimate-duration.js';
import { failureReasons, writeFailedRows } from '../import/failed-rows.js';
import type { ImportService, StartedImport } from '../import/import-service.js';
import type { ImportRun } from '../import/run-store.js';
import { EXIT, UsageError, type CliIo } from './cli-commands.js';
import { formatTable } from './format-table.js';
import { progressBar, progressLine, RateMeter } from './import-progress.js';

export interface ImportOptions {
  name?: string;
  dryRun: boolean;
  resume?: string;
  cancel?: string;
  /** Return once every row is queued instead of watching the run to its end. */
  wait: boolean;
  /** Where the failed rows go. @defaultValue `<name>.failed.jsonl` (or `.csv`) in the current directory */
  failedRows?: string;
  /** @defaultValue 500 */
  batchSize: number;
  /** @defaultValue 10000 */
  maxQueued: number;
  /** Without a terminal: a progress line this often. @defaultValue 10 */
  progressSeconds: number;
  json: boolean;
  /** The TENANTS_FILE tenant to import into; the default tenant when absent. */
  tenant?: string;
}

/** Where a terminal gets its progress bar: one line rewritten in place. Absent when stderr is not a TTY. */
export type ProgressLine = ((text: string) => void) | undefined;

export function checkImportUsage(source: string | undefined, o: Pick<ImportOptions, 'resume' | 'cancel' | 'dryRun' | 'name'>): void {
  const actions = [o.resume !== undefined, o.cancel !== undefined].filter(Boolean).length;
  if (actions > 1) throw new UsageError('give --resume or --cancel, not both');
  if (actions === 1 && (source !== undefined || o.dryRun || o.name !== undefined)) throw new UsageError('--resume and --cancel take a run name only (no manifest, --name or --dry-run)');
  if (actions === 0 && source === undefined) throw new UsageError('give a manifest file or s3://bucket/prefix/ to import (or --resume / --cancel <name>)');
}

/** `import <source> [--dry-run] [--name]`, `import --resume <name>`, `import --cancel <name>`. */
export async function importCommand(service: ImportService, source: string | undefined, options: ImportOptions, io: CliIo, progress: ProgressLine): Promise<number> {
  checkImportUsage(source, options);
  if (options.cancel !== undefined) {
    const { removed, kept } = await service.cancel(options.cancel);
    io.out(`Cancelled import ${options.cancel}: removed ${removed} job(s) not yet in Gong${kept ? `; ${kept} already taken by a worker or created in Gong will finish` : ''}.`);
    return EXIT.ok;
  }
  if (options.dryRun) return dryRunCommand(service, source!, options, io, progress);
  const started = options.resume !== undefined ? await service.resume(options.resume) : await service.start(source!, options.name, undefined, options.tenant);
  io.err(`${options.resume !== undefined ? 'Resuming' : 'Importing'} ${started.run.source} as run "${started.run.name}"${started.run.cursor.line ? ` after line ${started.run.cursor.line}` : ''}`);
  const run = await watch(service, started, options, io, progress);
  return finish(service, run, options, io);
}

async function dryRunCommand(service: ImportService, source: string, options: ImportOptions, io: CliIo, progress: ProgressLine): Promise<number> {
  const report = await service.dryRun(source, progress ? (rows) => rows % 500 === 0 && progress(`checked ${rows} rows…`) : undefined, options.tenant);
  progress?.('');
  const seconds = await service.estimateSeconds(report.valid, options.tenant);
  if (options.json) io.out(JSON.stringify({ ...report, estimatedSeconds: Math.round(seconds) }, null, 2));
  else printDryRun(report, seconds, io);
  return report.invalid > 0 || report.recordingProblems > 0 ? EXIT.failed : EXIT.ok;
}

function printDryRun(report: DryRunReport, seconds: number, io: CliIo): void {
  io.out('Dry run: nothing was queued.');
  io.out(formatTable(['', ''], [
    ['rows read', String(report.rows)],
    ['valid (recording checked)', String(report.valid)],
    ['invalid rows', String(report.invalid)],
    ['recordings missing or unusable', String(report.recordingProblems)],
    ['skipped (not recordings)', String(report.skipped)],
    ['total bytes', `${report.totalBytes} (${(report.totalBytes / 1024 ** 2).toFixed(1)} MiB)`],
    ['time under the current budget', formatDuration(seconds)],
  ]).split('\n').slice(1).join('\n'));
  if (report.invalidRows.length) {
    io.out('\nInvalid rows:');
    io.out(formatTable(['LINE', 'FIELD', 'PROBLEM'], report.invalidRows.flatMap((r) => r.problems.map((p) => [String(r.line), p.field, p.problem])), 160));
  }
  if (report.recordingRows.length) {
    io.out('\nRecordings:');
    io.out(formatTable(['LINE', 'RECORDING', 'PROBLEM'], report.recordingRows.map((r) => [String(r.line), r.recording, `${r.problem}: ${r.message}`]), 160));
  }
}

/** Shows progress until every queued call is settled (or only until everything is queued, with --no-wait). */
async function watch(service: ImportService, started: StartedImport, options: ImportOptions, io: CliIo, progress: ProgressLine): Promise<ImportRun> {
  let enqueued = false;
  let enqueueError: unknown;
  started.enqueued.then(
    () => (enqueued = true),
    (error: unknown) => {
      enqueued = true;
      enqueueError = error ?? new Error('reading the source failed');
    },
  );
  const meter = new RateMeter();
  let lastLine = 0;
  for (;;) {
    const run = await service.get(started.run.name);
    if (enqueueError) {
      progress?.('');
      throw enqueueError;
    }
    meter.add(run.counts.inGong + run.counts.failed);
    const finished = enqueued && run.status !== 'reading' && (run.pending === 0 || !options.wait || run.status === 'cancelled');
    const eta = await service.etaSeconds(run, meter.perSecond());
    if (progress) progress(`${progressBar(run)} ${progressLine(run, eta)}`);
    else if (finished || Date.now() - lastLine >= options.progressSeconds * 1000) {
      io.err(progressLine(run, eta));
      lastLine = Date.now();
    }
    if (finished) {
      progress?.('');
      return run;
    }
    await sleep(progress ? 500 : Math.min(1_000, options.progressSeconds * 1000));
  }
}

async function finish(service: ImportService, run: ImportRun, options: ImportOptions, io: CliIo): Promise<number> {
  const c = run.counts;
  const failures = c.failed + c.invalid;
  let failedFile: string | undefined;
  if (failures > 0 && run.pending === 0) {
    failedFile = options.failedRows ?? `${run.name}.failed${run.source.startsWith('s3://') ? '.jsonl' : extname(run.source) || '.jsonl'}`;
    const written = await writeFailedRows(run.source, await failureReasons(service.queueOf(), service.store, run.name), failedFile);
    failedFile = `${failedFile} (${written} row(s), each with its reason in _error)`;
  }
  if (options.json) {
    io.out(JSON.stringify({ ...run, failedRowsFile: failedFile }, null, 2));
  } else {
    io.out(`Import ${run.name}: ${run.status === 'cancelled' ? 'cancelled' : run.pending === 0 ? 'done' : 'queued'}`);
    io.out(formatTable(['', ''], [
      ['rows read', String(c.read)],
      ['in Gong', String(c.inGong)],
      ['failed', String(c.failed)],
      ['invalid rows', String(c.invalid)],
      ['already known (not added)', String(c.duplicate)],
      ['skipped (not recordings)', String(c.skipped)],
      ['cancelled', String(c.cancelled)],
      ['still queued', String(run.pending)],
    ]).split('\n').slice(1).join('\n'));
    if (failedFile) io.out(`Failed rows: ${failedFile}. Fix them and import that file.`);
  }
  return failures > 0 ? EXIT.failed : EXIT.ok;
}

/** `imports`: the runs, newest first. */
export async function importsCommand(service: ImportService, options: { json: boolean; limit: number }, io: CliIo): Promise<number> {
  const runs = await service.list(options.limit);
  const etas = await Promise.all(runs.map((r) => service.etaSeconds(r)));
  if (options.json) {
    io.out(JSON.stringify(runs.map((r, i) => ({ ...r, etaSeconds: Math.round(etas[i]!) })), null, 2));
    return EXIT.ok;
  }
  if (runs.length === 0) {
    io.err('No import runs.');
    return EXIT.ok;
  }
  io.out(formatTable(
    ['NAME', 'STATUS', 'CREATED', 'READ', 'QUEUED', 'IN GONG', 'FAILED', 'INVALID', 'PENDING', 'ETA', 'SOURCE'],
    runs.map((r, i) => [r.name, r.status, r.created, String(r.counts.read), String(r.counts.queued), String(r.counts.inGong), String(r.counts.failed), String(r.counts.invalid), String(r.pending), formatDuration(etas[i]!), r.source]),
  ));
  return EXIT.ok;
}
