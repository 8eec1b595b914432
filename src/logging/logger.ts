import { pino, type Logger, type DestinationStream } from 'pino';
import { logTraceFields } from '../telemetry/log-trace-fields.js';

export type { Logger };

/**
 * Paths that may hold credentials or signatures wherever they appear in a log object. Secrets are also kept out
 * of errors at the source (see gong-client's safeCause); this is the second line.
 */
export const REDACTED_PATHS = [
  'authorization',
  'password',
  'secret',
  'token',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.token',
  'headers.authorization',
  'headers.cookie',
  'headers["webhook-signature"]',
  'headers["x-twilio-signature"]',
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'req.headers["x-twilio-signature"]',
  'req.headers.cookie',
];

/** Structured JSON logs on stdout; the level comes from LOG_LEVEL. Lines logged inside a span carry its ids. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gong-ingest' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: logTraceFields,
    },
    destination,
  );
}
