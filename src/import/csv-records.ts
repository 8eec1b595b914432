/**
 * A streaming CSV reader (RFC 4180: comma separated, "quoted" fields with "" for a quote, newlines inside quotes,
 * CRLF or LF). It keeps only the record being read in memory, so a manifest of any size reads in flat memory.
 * Yields each record's cells with the line it started on (1-based, as an editor shows it).
 */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; cells: string[] }> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let afterQuote = false;
  let line = 1;
  let recordLine = 1;
  let started = false;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (quoted) {
        if (c === '"') {
          quoted = false;
          afterQuote = true;
        } else {
          if (c === '\n') line++;
          cell += c;
        }
        continue;
      }
      if (c === '"' && afterQuote) {
        // "" inside a quoted field: a literal quote, and the field goes on.
        cell += '"';
        quoted = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === '"' && cell === '') {
        quoted = true;
        started = true;
      } else if (c === ',') {
        cells.push(cell);
        cell = '';
        started = true;
      } else if (c === '\n') {
        cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
        if (started || cells.length > 1 || cells[0] !== '') yield { line: recordLine, cells };
        cells = [];
        cell = '';
        started = false;
        line++;
        recordLine = line;
      } else {
        cell += c;
        started = true;
      }
    }
  }
  if (started || cell !== '' || cells.length > 0) {
    cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
    yield { line: recordLine, cells };
  }
}
