import { context, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { Job } from 'bullmq';
import type { Readable } from 'node:stream';
import { CALL_QUEUE_NAME, type CallJobData, type CallJobResult } from '../queue/call-job.js';
import type { RecordingRef } from '../calls/recording-ref.js';
import { errorType, inSpan, markFailed, SpanKind, tracer } from '../telemetry/in-span.js';
import { contextFromJob } from '../telemetry/job-trace-context.js';
import { ATTR } from '../telemetry/span-names.js';

/** The attempt's span, told how the attempt ended. */
export interface JobSpan {
  succeeded(result: CallJobResult): void;
  failed(failureClass: string, action: string, gongCallId?: string): void;
  /** Shutdown gave the job back to the queue unfinished (no attempt counted). */
  handedBack(): void;
}

/**
 * Runs one attempt of a job inside its own CONSUMER span, a child of the span that enqueued the job (the context
 * travels in the job's data), so every attempt, retry or replay shows in the webhook's trace. Jobs enqueued while
 * tracing was off start a trace of their own.
 */
export function openJobSpan<T>(job: Job<CallJobData, CallJobResult>, work: (span: JobSpan) => Promise<T>): Promise<T> {
  const attributes: Attributes = {
    [ATTR.messagingSystem]: 'bullmq',
    [ATTR.messagingDestination]: CALL_QUEUE_NAME,
    [ATTR.messagingOperation]: 'process',
    [ATTR.messageId]: job.id ?? '',
    [ATTR.jobId]: job.id ?? '',
    [ATTR.callId]: job.data.clientUniqueId,
    [ATTR.source]: job.data.source,
    [ATTR.attempt]: job.attemptsMade + 1,
  };
  if (job.data.gongCallId) attributes[ATTR.gongCallId] = job.data.gongCallId;
  const parent = contextFromJob(job.data.traceContext);
  return tracer.startActiveSpan(`process ${CALL_QUEUE_NAME}`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await work(describe(span));
    } finally {
      span.end();
    }
  });
}

function describe(span: Span): JobSpan {
  return {
    succeeded(result) {
      span.setAttributes({ [ATTR.gongCallId]: result.gongCallId, [ATTR.bytes]: result.bytes, [ATTR.outcome]: 'completed' });
      span.setStatus({ code: SpanStatusCode.OK });
    },
    failed(failureClass, action, gongCallId) {
      span.setAttributes({ [ATTR.failureClass]: failureClass, [ATTR.action]: action, [ATTR.outcome]: action === 'fail' ? 'failed' : action });
      if (gongCallId) span.setAttribute(ATTR.gongCallId, gongCallId);
      markFailed(span, failureClass);
    },
    handedBack() {
      span.setAttribute(ATTR.outcome, 'handed_back');
    },
  };
}

/** A step of the job (user look-up, recording inspect) as a child span. */
export function withStepSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return inSpan(name, { attributes }, work);
}

/** Where the recording is, without its key or URL (which can name people): the kind and the bucket or vendor. */
export function recordingAttributes(ref: RecordingRef): Attributes {
  return ref.kind === 's3' ? { [ATTR.recordingKind]: 's3', [ATTR.bucket]: ref.bucket } : { [ATTR.recordingKind]: ref.vendor };
}

/**
 * Opens the recording in a 'recording read' span that lasts until its stream ends (read to the end, failed, or
 * destroyed), so the trace shows how long the bytes took to come out of S3 or the vendor beside the upload.
 */
export async function readRecordingSpan<T extends { stream: Readable; size: number }>(attributes: Attributes, open: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan('recording read', { kind: SpanKind.CLIENT, attributes }, context.active());
  let opened: T;
  try {
    opened = await open();
  } catch (error) {
    markFailed(span, errorType(error));
    span.end();
    throw error;
  }
  span.setAttribute(ATTR.bytes, opened.size);
  let ended = false;
  const end = (failure?: string) => {
    if (ended) return;
    ended = true;
    if (failure) markFailed(span, failure);
    span.end();
  };
  opened.stream.once('end', () => end());
  opened.stream.once('error', (error) => end(errorType(error)));
  opened.stream.once('close', () => end(opened.stream.readableEnded ? undefined : 'stream_closed_early'));
  return opened;
}
