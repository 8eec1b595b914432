/**
 * Which Redis failures pass by themselves (a fail-over, a restart, memory pressure, a cluster moving slots) and which
 * are bugs. Intake answers the first kind with 503 so the phone system delivers again; workers wait them out without
 * spending an attempt; the metric `gong_ingest_redis_errors_total{kind}` counts them. The one place that reads
 * ioredis' and Redis' error texts: ioredis raises most of these as plain Errors, so text is the only signal.
 */
export type RedisFailureKind =
  /** The socket is gone, refused, closed, timed out, or the client gave up reconnecting. */
  | 'connection'
  /** Cluster: redirections ran out (a master died and its slots were moving) or no node answered. */
  | 'cluster'
  /** A reply while Redis recovers: LOADING (reading the AOF), MASTERDOWN, TRYAGAIN, CLUSTERDOWN, BUSY. */
  | 'recovering'
  /** READONLY: the node we write to was demoted to a replica (fail-over in progress). */
  | 'readonly'
  /** OOM: maxmemory reached with noeviction; writes are refused until memory is freed. */
  | 'oom'
  /** NOREPLICAS / MISCONF: the server refuses writes it cannot make durable. */
  | 'not_durable'
  /** The service's own check: too few replicas acknowledged a write within REDIS_WAIT_TIMEOUT_MS. */
  | 'replication';

/** ioredis' own classes for giving up (matched by name: callers need not depend on the Redis client). */
const CONNECTION_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'AbortError', 'InterruptError', 'ConnectionClosedError']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** What ioredis rejects commands with while the connection is down, closing, or not yet back. */
const CONNECTION_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
  'Connection in subscriber mode',
];
const CLUSTER_MESSAGES = [
  'Too many Cluster redirections',
  "Cluster isn't ready and enableOfflineQueue options is false",
  'Cluster is disconnected.',
  'Node is disconnected',
  'None of startup nodes is available',
  'Failed to refresh slots cache',
];
const REPLY_KINDS: Array<[RegExp, RedisFailureKind]> = [
  [/^(LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY)\b/, 'recovering'],
  [/^READONLY\b/, 'readonly'],
  [/^OOM\b/, 'oom'],
  [/^(NOREPLICAS|MISCONF)\b/, 'not_durable'],
];

/** The kind of a transient Redis failure, or undefined for anything else (a script error is a bug, not an outage). */
export function redisFailureKind(error: unknown): RedisFailureKind | undefined {
  if (!(error instanceof Error)) return undefined;
  if ((error as { code?: unknown }).code === 'REPLICATION_TIMEOUT') return 'replication';
  if (error.name === 'ClusterAllFailedError') return 'cluster';
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && SOCKET_CODES.has(code)) return 'connection';
  if (CONNECTION_ERROR_NAMES.has(error.name)) return 'connection';
  const message = error.message;
  // A command's reply error inside a script or a cluster redirection carries the reply's word first; ioredis
  // names them ReplyError, BullMQ sometimes rethrows them as plain Errors with the same text.
  for (const [pattern, kind] of REPLY_KINDS) if (pattern.test(message) || pattern.test(lastErrorOf(message))) return kind;
  if (CLUSTER_MESSAGES.some((m) => message.startsWith(m))) return 'cluster';
  if (CONNECTION_MESSAGES.includes(message) || message.startsWith('connect ETIMEDOUT') || message.includes('ECONNREFUSED')) return 'connection';
  return undefined;
}

/** True when Redis could not do it now and a later try may succeed. */
export function isTransientRedisError(error: unknown): boolean {
  return redisFailureKind(error) !== undefined;
}

/** "Too many Cluster redirections. Last error: TRYAGAIN …" → "TRYAGAIN …". */
function lastErrorOf(message: string): string {
  const at = message.indexOf('Last error: ');
  return at < 0 ? '' : message.slice(at + 'Last error: '.length).replace(/^ReplyError: /, '');
}

/**
 * TLS handshake failures: a CA that does not match, a server certificate for another name, a client certificate
 * the server refuses. They look like connection errors but will never pass by themselves, so they are logged with
 * what to check.
 */
export function isTlsFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as NodeJS.ErrnoException).code ?? '');
  return (
    /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL_)/.test(code) ||
    /certificate|SSL routines|tlsv1 alert|wrong version number/i.test(error.message)
  );
}
