import type { CallJobData } from '../queue/call-job.js';
import type { S3RecordingRef } from '../calls/recording-ref.js';
import { RecordingError } from '../storage/recording-errors.js';
import type { RecordingStore } from '../storage/recording-store.js';
import { DetailsInvalidError, DetailsPendingError } from '../calls/details-errors.js';
import type { DetailsResolver } from '../calls/details-resolver.js';
import type { ImportRow } from './import-row.js';

export interface DryRunReport {
  rows: number;
  valid: number;
  invalid: number;
  skipped: number;
  /** Valid rows whose recording is missing or unusable (not audio, empty, too large, bucket refused). */
  recordingProblems: number;
  totalBytes: number;
  /** The first `maxListed` invalid rows, by line. */
  invalidRows: Array<{ line: number; problems: Array<{ field: string; problem: string }> }>;
  recordingRows: Array<{ line: number; recording: string; problem: string; message: string }>;
}

export interface DryRunOptions {
  recordings: RecordingStore;
  /** For S3-prefix sources: the resolvers that read each object's sidecar or metadata, by name. */
  resolvers?: Readonly<Record<string, DetailsResolver>>;
  /** Recordings inspected at once (a HEAD and a 64-byte read each). @defaultValue 8 */
  concurrency?: number;
  /** @defaultValue 1000 */
  maxListed?: number;
  onRow?: (rowsSoFar: number) => void;
}

/**
 * Reads every row, checks it as the webhook would, and checks each valid row's recording as the worker would
 * before creating anything (exists, not empty, at most 1.5 GB, really WAV/MP3/MP4/MKV/FLAC). S3-prefix objects also
 * get their details read now (sidecar JSON or metadata), so a missing or invalid sidecar is reported here rather
 * than by a failed job. Nothing is written anywhere.
 */
export async function dryRun(rows: AsyncIterable<ImportRow>, options: DryRunOptions): Promise<DryRunReport> {
  const maxListed = options.maxListed ?? 1000;
  const report: DryRunReport = { rows: 0, valid: 0, invalid: 0, skipped: 0, recordingProblems: 0, totalBytes: 0, invalidRows: [], recordingRows: [] };
  const inFlight = new Set<Promise<void>>();
  const addInvalid = (line: number, problems: Array<{ field: string; problem: string }>) => {
    report.invalid++;
    if (report.invalidRows.length < maxListed) report.invalidRows.push({ line, problems });
  };

  const check = async (line: number, data: CallJobData, recording: S3RecordingRef) => {
    const resolver = data.pendingDetails ? options.resolvers?.[data.pendingDetails.resolver] : undefined;
    if (resolver) {
      try {
        await resolver(data);
      } catch (error) {
        if (error instanceof DetailsPendingError || error instanceof DetailsInvalidError) return addInvalid(line, [{ field: '(details)', problem: error.message }]);
        if (!(error instanceof RecordingError)) throw error;
      }
    }
    try {
      const info = await options.recordings.inspect(recording);
      report.valid++;
      report.totalBytes += info.size;
    } catch (error) {
      if (!(error instanceof RecordingError)) throw error;
      report.recordingProblems++;
      if (report.recordingRows.length < maxListed) report.recordingRows.push({ line, recording: `s3://${recording.bucket}/${recording.key}`, problem: error.problem, message: error.message });
    }
  };

  for await (const row of rows) {
    report.rows++;
    options.onRow?.(report.rows);
    if (row.kind === 'invalid') addInvalid(row.line, row.problems);
    else if (row.kind === 'skipped') report.skipped++;
    else if (row.intake.recording.kind === 's3') {
      const data: CallJobData = { schemaVersion: 1, source: 'import', ...row.intake, receivedAt: new Date().toISOString(), intakeId: 'dry-run' };
      const task = check(row.line, data, row.intake.recording).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= (options.concurrency ?? 8)) await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
  report.invalidRows.sort((a, b) => a.line - b.line);
  report.recordingRows.sort((a, b) => a.line - b.line);
  return report;
}
