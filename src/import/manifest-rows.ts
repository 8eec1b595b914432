import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { csvRecords } from './csv-records.js';
import { csvRowToCall, IGNORED_COLUMN } from './csv-row-to-call.js';
import { ImportSourceError } from './import-errors.js';
import type { ImportRow } from './import-row.js';
import { validateRow } from './validate-row.js';

export type ManifestFormat = 'jsonl' | 'csv';

/** `.csv` is CSV; anything else (`.jsonl`, `.ndjson`, `.json`) is JSON Lines. */
export function manifestFormat(path: string): ManifestFormat {
  return extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl';
}

export interface ManifestReadOptions {
  allowedBuckets: ReadonlySet<string>;
  /** Rows on this line or before are skipped without being checked (a resumed run). @defaultValue 0 */
  afterLine?: number;
}

/**
 * Streams a manifest, one checked row at a time: the file is read in chunks, never whole, so a million-line
 * manifest takes as little memory as a ten-line one. Blank lines are skipped; line numbers are the file's own.
 */
export async function* manifestRows(path: string, options: ManifestReadOptions): AsyncGenerator<ImportRow> {
  try {
    await access(path);
  } catch (error) {
    throw new ImportSourceError(`Cannot read the manifest ${path}`, { cause: error });
  }
  const after = options.afterLine ?? 0;
  if (manifestFormat(path) === 'csv') {
    let header: string[] | undefined;
    for await (const { line, cells } of csvRecords(createReadStream(path, { encoding: 'utf8' }))) {
      if (!header) {
        header = cells.map((c) => c.trim().replace(/^\uFEFF/, ''));
        continue;
      }
      if (line <= after) continue;
      yield validateRow(line, csvRowToCall(header, cells), options.allowedBuckets);
    }
    return;
  }
  let line = 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    if (line <= after || text.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      yield { line, kind: 'invalid', problems: [{ field: '(line)', problem: 'is not valid JSON' }] };
      continue;
    }
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) delete (data as Record<string, unknown>)[IGNORED_COLUMN];
    yield validateRow(line, data, options.allowedBuckets);
  }
}
