import express, { type RequestHandler } from 'express';
import type { Metrics } from '../metrics/metrics.js';
import type { SourceRequest, SourceResponse } from '../sources/source-handler.js';

export interface SourceRouteOptions {
  /** Metric label and log field, e.g. 'generic'. */
  source: string;
  /** Media types the source sends; anything else gets 415 before the body is read. */
  accepts: string[];
  /** @defaultValue 1 MiB */
  limitBytes?: number;
  handle: (req: SourceRequest) => Promise<SourceResponse>;
  metrics: Metrics;
}

/**
 * Maps a source handler onto Express: check the media type, read the raw body within the size limit (signatures
 * are over raw bytes, so no JSON parser runs first), call the handler, send its answer, count the outcome.
 */
export function sourceRoute(options: SourceRouteOptions): RequestHandler[] {
  const count = (outcome: string) => options.metrics.webhooksReceived.inc({ source: options.source, outcome });
  const checkType: RequestHandler = (req, res, next) => {
    if (!req.is(options.accepts)) {
      count('unsupported_media_type');
      res.status(415).json({ error: 'unsupported_media_type', message: `Content-Type must be one of: ${options.accepts.join(', ')}` });
      return;
    }
    next();
  };
  const readBody = express.raw({ type: () => true, limit: options.limitBytes ?? 1024 * 1024 });
  const handle: RequestHandler = async (req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let answer: SourceResponse;
    try {
      answer = await options.handle({ headers, rawBody, originalUrl: req.originalUrl });
    } catch (error) {
      // The app's error handler logs it and answers 500; counted here so dashboards and alerts see it too.
      count('error');
      throw error;
    }
    count(answer.outcome);
    if (answer.headers) res.set(answer.headers);
    res.status(answer.status).json(answer.body);
  };
  const countTooLarge: express.ErrorRequestHandler = (error, _req, _res, next) => {
    if ((error as { type?: string }).type === 'entity.too.large') count('too_large');
    next(error);
  };
  return [checkType, readBody, handle, countTooLarge as unknown as RequestHandler];
}
