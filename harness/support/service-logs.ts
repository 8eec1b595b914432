/** What a test reads of a running service, in its own process or in the test's: its log lines and raw output. */
export interface ServiceLogs {
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  /** Raw output text (stdout + stderr for a process), for assertions that nothing secret was printed. */
  output(): string;
  /** Resolves with the first log line matching the predicate (already printed or still to come). */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** A service a test started, either way (service-process.ts or in-process-service.ts). */
export interface ServiceHandle extends ServiceLogs {
  url: string;
  port: number;
  /** Stops it (SIGTERM's graceful close) and resolves with the exit code: null when a process was killed by a signal. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Collects output line by line: `line()` for each line written, `text()` for other output (stderr), `ended` for
 * when no more will come, so that a wait for a line that can no longer appear fails at once, not at its timeout.
 */
export function createLogCollector(ended: Promise<unknown>) {
  const logs: Array<Record<string, unknown>> = [];
  let text = '';
  const waiters = new Set<(line: Record<string, unknown>) => void>();
  const collected: ServiceLogs = {
    logs,
    output: () => text,
    waitForLog(predicate, timeoutMs = 20_000) {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms; output:\n${text.slice(-4000)}`));
        }, timeoutMs);
        const check = (line: Record<string, unknown>) => {
          if (!predicate(line)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(line);
        };
        waiters.add(check);
        void ended.then(() => {
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`service stopped before the expected log line; output:\n${text.slice(-4000)}`));
        });
      });
    },
  };
  return {
    collected,
    line(line: string) {
      text += `${line}\n`;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        for (const w of waiters) w(parsed);
      } catch {
        /* not a log line */
      }
    },
    text(chunk: string) {
      text += chunk;
    },
  };
}
