/** No job with this id (or for this call id) is in the queue: never added, or removed after its retention. */
export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
  readonly code = 'JOB_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`No job ${jobId} in the queue (never received, or removed after its retention time)`);
  }
}

/** Only failed jobs are replayed: a waiting, active or delayed job is still being handled, a completed one is done. */
export class JobNotReplayableError extends Error {
  override readonly name = 'JobNotReplayableError';
  readonly code = 'JOB_NOT_REPLAYABLE';
  constructor(
    readonly jobId: string,
    readonly state: string,
    options?: { cause?: unknown },
  ) {
    super(`Job ${jobId} is ${state}, not failed: only failed jobs can be replayed`, options);
  }
}
