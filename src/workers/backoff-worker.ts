import { setTimeout as sleep } from 'node:timers/promises';
import { Worker, type Job } from 'bullmq';

/** How long close() waits for a worker that is still connecting (milliseconds against a reachable Redis). */
const START_UP_WAIT_MS = 2_000;

export interface FetchBackoff {
  /** First pause after a failed fetch. @defaultValue 100 */
  firstMs: number;
  /** The pause doubles per consecutive failure up to this. @defaultValue 5000 */
  maxMs: number;
}

/**
 * BullMQ's worker retries a failed fetch of the next job at once when the error is not a lost connection: a Redis
 * that refuses writes (OOM with noeviction, READONLY, LOADING) made an idle worker spin at 80 % of a core, sending
 * ~15,000 commands/s. This worker pauses before it lets such a failure through, doubling the pause while the
 * failures go on, and starts again at once when a fetch works. BullMQ still emits the error (for the metric).
 */
export class BackoffWorker<DataType, ResultType> extends Worker<DataType, ResultType> {
  private consecutiveFetchFailures = 0;
  private readonly stopping = new AbortController();
  backoff: FetchBackoff = { firstMs: 100, maxMs: 5_000 };

  protected override async moveToActive(client: Parameters<Worker['moveToActive']>[0], token: string, name?: string): Promise<Job<DataType, ResultType>> {
    try {
      const job = await super.moveToActive(client, token, name);
      this.consecutiveFetchFailures = 0;
      return job;
    } catch (error) {
      const pauseMs = Math.min(this.backoff.maxMs, this.backoff.firstMs * 2 ** this.consecutiveFetchFailures);
      this.consecutiveFetchFailures += 1;
      await sleep(pauseMs, undefined, { signal: this.stopping.signal }).catch(() => {});
      throw error;
    }
  }

  override async close(force?: boolean): Promise<void> {
    this.stopping.abort();
    await this.startUpSettled();
    return super.close(force);
  }

  /**
   * BullMQ 5.81 (upstream issue #3546): closing the worker while its blocking connection still starts (INFO in
   * flight) drops that connection's listeners, then its start-up fails with "Connection is closed" and emits it
   * to no one: an unhandled rejection, which ends the process with an error. Started, it closes cleanly with
   * QUIT. The wait is bounded: with Redis unreachable the start-up waits for Redis and close must not.
   */
  private async startUpSettled(): Promise<void> {
    const bound = new AbortController();
    await Promise.race([this.waitUntilReady().catch(() => {}), sleep(START_UP_WAIT_MS, undefined, { signal: bound.signal, ref: false }).catch(() => {})]);
    bound.abort();
  }
}
