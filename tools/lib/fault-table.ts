import type { FaultFigures } from '../../harness/support/fault-audit.js';

/** The markdown table of docs/reliability.md, one row per fault scenario. Pure. */
export function renderFaultTable(rows: FaultFigures[]): string {
  const head =
    '| Fault | What was injected | Calls accepted (202) | Lost | Without media | Duplicated in Gong | Gong requests per call | Repeated requests ("already posted/handled") | Webhooks answered 503 / 500 / no answer | Time to recover | Also measured |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map((f) =>
    [
      f.scenario,
      f.injected,
      f.accepted,
      f.lost,
      f.withoutMedia,
      f.duplicated,
      f.requestsPerCall.toFixed(2),
      f.repeatedRequests,
      `${f.deliveries.unavailable503} / ${f.deliveries.otherServerErrors} / ${f.deliveries.noAnswer}`,
      f.recoverMs === null ? '—' : `${(f.recoverMs / 1000).toFixed(1)} s`,
      Object.entries(f.extra).map(([k, v]) => `${k} ${v}`).join(', ') || '—',
    ].join(' | '),
  );
  return [head, ...lines.map((l) => `| ${l} |`)].join('\n');
}

/** Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->`; throws if the markers are missing. */
export function replaceBetweenMarkers(doc: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/reliability.md lacks the ${start} … ${end} markers`);
  return `${doc.slice(0, from + start.length)}\n${content}\n${doc.slice(to)}`;
}
