import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR } from './span-names.js';

/** The service's tracer. Without the SDK (no OTEL_* settings) it is @opentelemetry/api's no-op one. */
export const tracer = trace.getTracer('gong-ingest');

export { SpanKind };

export interface InSpanOptions {
  /** @defaultValue SpanKind.INTERNAL */
  kind?: SpanKind;
  attributes?: Attributes;
}

/**
 * Runs `work` inside a new active span (a child of the current one), ends the span however `work` ends, and
 * marks it failed when it throws. The status says only the error's class or code (`error.type`), never its
 * message: messages can quote what a request carried, and a span must hold no secret.
 */
export async function inSpan<T>(name: string, options: InSpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, errorType(error));
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed with a short, safe description (a failure class, an error code or class name). */
export function markFailed(span: Span, type: string): void {
  span.setAttribute(ATTR.errorType, type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/** `code` when the error has a string one (GongHttpError, ioredis), else its class name. */
export function errorType(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code ? code : error.name;
  }
  return 'unknown';
}
