import { currentTraceContext, type JobTraceContext } from './job-trace-context.js';

/**
 * Wraps the producer so that the job's data carries the W3C context of the webhook's span, and the worker's span
 * for each attempt joins the same trace. No span of its own: the add is most of the webhook's time and already
 * inside its span, and a second span per webhook cost more CPU than it told (bench:intake). A duplicate delivery
 * adds nothing, so the stored job keeps the context of the delivery that made it.
 */
export function tracedEnqueue<D extends { traceContext?: JobTraceContext }, R>(enqueue: (data: D) => Promise<R>): (data: D) => Promise<R> {
  return (data) => {
    const traceContext = currentTraceContext();
    return enqueue(traceContext ? { ...data, traceContext } : data);
  };
}
