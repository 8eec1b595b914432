/** Plain aligned columns for a terminal; cells are single-line and long ones are cut with an ellipsis. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>, maxCell = 100): string {
  const clean = (cell: string) => {
    const line = cell.replace(/\s+/g, ' ').trim();
    return line.length > maxCell ? `${line.slice(0, maxCell - 1)}…` : line;
  };
  const cells = [headers, ...rows].map((row) => row.map(clean));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  // The last column is not padded, so lines carry no trailing blanks.
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
