import { inSpan, SpanKind } from './in-span.js';
import { currentTraceContext, type JobTraceContext } from './job-trace-context.js';
import { ATTR } from './span-names.js';

/** What an enqueue answers; only these two fields are read here. */
interface Enqueued {
  jobId: string;
  duplicate: boolean;
}

/**
 * Wraps the producer: the add runs in a PRODUCER span (its Redis round trips are part of the webhook's time), and
 * the job's data carries that span's W3C context, so the worker's span for each attempt joins the same trace.
 * A duplicate delivery adds nothing, so the stored job keeps the context of the delivery that made it.
 */
export function tracedEnqueue<D extends { clientUniqueId: string; traceContext?: JobTraceContext }, R extends Enqueued>(
  queueName: string,
  enqueue: (data: D) => Promise<R>,
): (data: D) => Promise<R> {
  return (data) =>
    inSpan(
      `publish ${queueName}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { [ATTR.messagingSystem]: 'bullmq', [ATTR.messagingDestination]: queueName, [ATTR.messagingOperation]: 'publish', [ATTR.callId]: data.clientUniqueId },
      },
      async (span) => {
        const traceContext = currentTraceContext();
        const result = await enqueue(traceContext ? { ...data, traceContext } : data);
        span.setAttributes({ [ATTR.messageId]: result.jobId, [ATTR.jobId]: result.jobId, [ATTR.duplicate]: result.duplicate });
        return result;
      },
    );
}
