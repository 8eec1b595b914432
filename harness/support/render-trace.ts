import type { ReceivedSpan } from './otlp-receiver.js';

/** Attributes worth showing beside a span's name in a drawing (ids, sizes, outcomes). */
const SHOWN = ['http.response.status_code', 'gong_ingest.attempt', 'gong_ingest.call_id', 'gong_ingest.gong_call_id', 'gong_ingest.bytes', 'gong_ingest.failure_class', 'gong_ingest.outcome'];
const BAR_WIDTH = 40;

/**
 * Draws one trace as text: the span tree (children under their parent, in start order), each span's start and
 * duration in ms from the trace's start, a bar on a shared time axis, and the attributes that tell the story.
 */
export function renderTrace(spans: readonly ReceivedSpan[]): string {
  if (spans.length === 0) return '(no spans)';
  const start = spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), spans[0]!.startNs);
  const end = spans.reduce((max, s) => (s.endNs > max ? s.endNs : max), spans[0]!.endNs);
  const total = Number(end - start) || 1;
  const ids = new Set(spans.map((s) => s.spanId));
  const children = (parent: string) => spans.filter((s) => (parent ? s.parentSpanId === parent : !ids.has(s.parentSpanId))).sort((a, b) => Number(a.startNs - b.startNs));
  const ms = (ns: bigint | number) => (Number(ns) / 1e6).toFixed(1);
  const lines: string[] = [`trace ${spans[0]!.traceId}  (${ms(total)} ms)`];
  const walk = (span: ReceivedSpan, indent: string, last: boolean) => {
    const from = Math.floor((Number(span.startNs - start) / total) * BAR_WIDTH);
    const width = Math.max(1, Math.round((Number(span.endNs - span.startNs) / total) * BAR_WIDTH));
    const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(width, BAR_WIDTH - from))}`.padEnd(BAR_WIDTH);
    const label = `${indent}${last ? '└─ ' : '├─ '}${span.name}${span.statusCode === 2 ? ' ✗' : ''}`;
    const attrs = SHOWN.filter((k) => span.attributes[k] !== undefined).map((k) => `${k.replace(/^gong_ingest\.|^http\.response\./, '')}=${span.attributes[k]}`);
    lines.push(`${label.padEnd(44)} |${bar}| ${ms(span.startNs - start).padStart(7)} +${ms(span.endNs - span.startNs).padStart(7)} ms  ${attrs.join(' ')}`);
    const kids = children(span.spanId);
    kids.forEach((kid, i) => walk(kid, `${indent}${last ? '   ' : '│  '}`, i === kids.length - 1));
  };
  const roots = children('');
  roots.forEach((root, i) => walk(root, '', i === roots.length - 1));
  return lines.join('\n');
}
