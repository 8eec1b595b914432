import type { IncomingHttpHeaders } from 'node:http';
import express, { type RequestHandler } from 'express';
import { context, trace, type Span } from '@opentelemetry/api';
import type { Metrics } from '../metrics/metrics.js';
import { contextFromHeaders } from '../telemetry/job-trace-context.js';
import { SpanKind, tracer } from '../telemetry/in-span.js';
import { ATTR } from '../telemetry/span-names.js';
import type { SourceRequest, SourceResponse } from '../sources/source-handler.js';
import { tenantLabel } from '../tenants/tenant-id.js';

export interface SourceRouteOptions {
  /** Metric label and log field, e.g. 'generic'. */
  source: string;
  /** The route's path, e.g. '/webhooks/generic': the request span's name. @defaultValue `/webhooks/${source}` */
  route?: string;
  /** Media types the source sends; anything else gets 415 before the body is read. */
  accepts: string[];
  /** @defaultValue 1 MiB */
  limitBytes?: number;
  handle: (req: SourceRequest) => Promise<SourceResponse>;
  metrics: Metrics;
  /** A TENANTS_FILE tenant's route: its id labels the metric (the default tenant's routes carry no label). */
  tenant?: string;
}

/**
 * Maps a source handler onto Express: check the media type, read the raw body within the size limit (signatures
 * are over raw bytes, so no JSON parser runs first), call the handler, send its answer, count the outcome.
 */
export function sourceRoute(options: SourceRouteOptions): RequestHandler[] {
  const route = options.route ?? `/webhooks/${options.source}`;
  const labels = tenantLabel(options.tenant);
  const count = (outcome: string) => options.metrics.webhooksReceived.inc({ source: options.source, outcome, ...labels });
  // The request's span: continues the sender's `traceparent` when it sends one; ends when the answer is sent (or
  // the connection closes), so 413s and 415s are traced too. Kept in res.locals: the context does not follow
  // Express from one middleware to the next across the body read's stream events.
  const openSpan: RequestHandler = (req, res, next) => {
    const span = tracer.startSpan(
      `POST ${route}`,
      { kind: SpanKind.SERVER, attributes: { [ATTR.httpMethod]: 'POST', [ATTR.httpRoute]: route, [ATTR.source]: options.source } },
      contextFromHeaders(req.headers),
    );
    res.locals.span = span;
    res.once('close', () => {
      span.setAttribute(ATTR.httpStatus, res.statusCode);
      if (res.statusCode >= 500) span.setAttribute(ATTR.errorType, String(res.statusCode));
      span.end();
    });
    next();
  };
  const checkType: RequestHandler = (req, res, next) => {
    if (!req.is(options.accepts)) {
      count('unsupported_media_type');
      (res.locals.span as Span).setAttribute(ATTR.outcome, 'unsupported_media_type');
      res.status(415).json({ error: 'unsupported_media_type', message: `Content-Type must be one of: ${options.accepts.join(', ')}` });
      return;
    }
    next();
  };
  const readBody = express.raw({ type: () => true, limit: options.limitBytes ?? 1024 * 1024 });
  const handle: RequestHandler = async (req, res) => {
    const headers = flatHeaders(req.headers);
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const span = res.locals.span as Span;
    let answer: SourceResponse;
    try {
      // Inside the request's span: the enqueue's span and log lines join it.
      answer = await context.with(trace.setSpan(context.active(), span), () => options.handle({ headers, rawBody, originalUrl: req.originalUrl }));
    } catch (error) {
      // The app's error handler logs it and answers 500; counted here so dashboards and alerts see it too.
      count('error');
      span.setAttribute(ATTR.outcome, 'error');
      throw error;
    }
    count(answer.outcome);
    span.setAttribute(ATTR.outcome, answer.outcome);
    const jobId = (answer.body as { jobId?: unknown } | undefined)?.jobId;
    if (typeof jobId === 'string') span.setAttribute(ATTR.jobId, jobId);
    if (answer.headers) res.set(answer.headers);
    res.status(answer.status).json(answer.body);
  };
  const countTooLarge: express.ErrorRequestHandler = (error, _req, _res, next) => {
    if ((error as { type?: string }).type === 'entity.too.large') {
      count('too_large');
      (_res.locals.span as Span | undefined)?.setAttribute(ATTR.outcome, 'too_large');
    }
    next(error);
  };
  return [openSpan, checkType, readBody, handle, countTooLarge as unknown as RequestHandler];
}

/** Node's headers with repeated ones joined, as the sources read them. A loop: it runs on every webhook. */
function flatHeaders(raw: IncomingHttpHeaders): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const name in raw) {
    const value = raw[name];
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
