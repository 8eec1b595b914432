import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * The `trace_id` and `span_id` of the span active where a line is logged (pino's mixin), so an operator can go
 * from a log line to its trace and back. Nothing without tracing: @opentelemetry/api has no active span then.
 */
export function logTraceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ids = span.spanContext();
  return isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}
