import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Queue } from 'bullmq';
import type { CallJobData } from '../queue/call-job.js';
import { csvRecords } from './csv-records.js';
import { IGNORED_COLUMN } from './csv-row-to-call.js';
import { manifestFormat } from './manifest-rows.js';
import type { RunStore } from './run-store.js';

/** Each failed row's reason, by line: invalid rows' fields, and failed jobs' reasons. */
export async function failureReasons(queue: Queue<CallJobData>, store: RunStore, name: string): Promise<Map<number, string>> {
  const reasons = new Map<number, string>();
  for (const row of await store.invalidRows(name)) reasons.set(row.line, row.problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  for (const { jobId, line } of await store.failedJobs(name)) {
    const job = await queue.getJob(jobId);
    reasons.set(line, job?.failedReason ?? 'failed');
  }
  return reasons;
}

/**
 * Writes the rows that failed, in the manifest's own format, each with its reason in an `_error` field (JSON Lines)
 * or column (CSV) that the importer ignores: fix the rows and import the file as it is. S3-prefix runs get one JSON
 * line per failed object. Returns how many rows were written. Streams both files.
 */
export async function writeFailedRows(source: string, reasons: Map<number, string>, outPath: string, s3Keys?: Map<number, string>): Promise<number> {
  const out = createWriteStream(outPath, { encoding: 'utf8' });
  let written = 0;
  const write = async (text: string) => {
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  };
  if (s3Keys || source.startsWith('s3://')) {
    for (const [line, reason] of [...reasons].sort((a, b) => a[0] - b[0])) {
      await write(JSON.stringify({ line, key: s3Keys?.get(line), [IGNORED_COLUMN]: reason }));
      written++;
    }
  } else if (manifestFormat(source) === 'csv') {
    let header: string[] | undefined;
    let errorColumn = -1;
    for await (const { line, cells } of csvRecords(createReadStream(source, { encoding: 'utf8' }))) {
      if (!header) {
        header = [...cells];
        errorColumn = header.indexOf(IGNORED_COLUMN);
        if (errorColumn < 0) errorColumn = header.push(IGNORED_COLUMN) - 1;
        await write(header.map(csvCell).join(','));
        continue;
      }
      const reason = reasons.get(line);
      if (reason === undefined) continue;
      const row = [...cells];
      while (row.length < header.length) row.push('');
      row[errorColumn] = reason;
      await write(row.map(csvCell).join(','));
      written++;
    }
  } else {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(source, { encoding: 'utf8' }), crlfDelay: Infinity })) {
      line++;
      const reason = reasons.get(line);
      if (reason === undefined) continue;
      let row: unknown;
      try {
        row = JSON.parse(text);
      } catch {
        row = undefined;
      }
      const object = typeof row === 'object' && row !== null && !Array.isArray(row) ? { ...(row as object), [IGNORED_COLUMN]: reason } : { [IGNORED_COLUMN]: `${reason} (line was: ${text.slice(0, 500)})` };
      await write(JSON.stringify(object));
      written++;
    }
  }
  out.end();
  await once(out, 'finish');
  return written;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
