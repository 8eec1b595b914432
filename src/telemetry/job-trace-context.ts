import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/**
 * The W3C trace context carried in a job's data, so a worker's spans join the trace of the webhook that made the
 * job. Job data is stored in clear text in Redis; a traceparent is two random ids and flags, no secret.
 */
export interface JobTraceContext {
  traceparent?: string;
  tracestate?: string;
}

/** The current context as W3C headers, or undefined when there is none (tracing off, or nothing sampled). */
export function currentTraceContext(): JobTraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : { traceparent: carrier.traceparent };
}

/** The context to open a job's span in: the carried one, or a new root when the job carries none. */
export function contextFromJob(carried: JobTraceContext | undefined): Context {
  if (!carried?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carried);
}

/** The context a request's headers carry (a sender's `traceparent`), or a new root. */
export function contextFromHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}
