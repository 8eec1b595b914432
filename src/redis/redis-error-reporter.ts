import type { Logger } from '../logging/logger.js';
import { isTlsFailure, redisFailureKind } from './redis-errors.js';

export type RedisErrorKind = NonNullable<ReturnType<typeof redisFailureKind>> | 'tls' | 'other';

export interface RedisErrorReporterOptions {
  /** Metric label and log field: which part of the process saw it. */
  role: 'api' | 'worker';
  logger: Logger;
  /** Counts every error, logged or not. */
  count: (kind: RedisErrorKind) => void;
  /** At most one log line per kind per this long; the others are counted and summed into the next line. @defaultValue 10000 */
  logEveryMs?: number;
}

/**
 * One place where a process reports Redis trouble. A Redis that refuses every write (OOM) or a connection that
 * cannot finish its TLS handshake produces an error per command or per reconnection: logging each one wrote 62 MB
 * of logs in 10 s. The metric counts them all; the log says it once per kind and interval, with how many it left out.
 */
export function createRedisErrorReporter(options: RedisErrorReporterOptions): (error: Error, where: string) => void {
  const every = options.logEveryMs ?? 10_000;
  const lastLogged = new Map<RedisErrorKind, { at: number; suppressed: number }>();
  return (error, where) => {
    const kind: RedisErrorKind = isTlsFailure(error) ? 'tls' : (redisFailureKind(error) ?? 'other');
    options.count(kind);
    const now = Date.now();
    const last = lastLogged.get(kind);
    if (last && now - last.at < every) {
      last.suppressed += 1;
      return;
    }
    lastLogged.set(kind, { at: now, suppressed: 0 });
    const fields = { role: options.role, where, kind, err: { message: error.message, code: (error as NodeJS.ErrnoException).code }, suppressed: last?.suppressed ?? 0 };
    if (kind === 'tls') {
      options.logger.error(fields, 'Redis TLS handshake failed: check REDIS_TLS_CA_FILE (the CA that signed the server certificate), the client certificate and key, and the host name');
    } else {
      options.logger.warn(fields, `Redis problem (${kind})`);
    }
  };
}
