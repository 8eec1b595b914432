/**
 * Problems with the recording itself. `permanent` ones cannot be fixed by retrying (wrong format, missing file,
 * a bucket the service may not read); the others (S3 unavailable, object changed underneath) can.
 */
export type RecordingProblem =
  | 'bucket_not_allowed'
  | 'recording_key_invalid'
  | 'recording_missing'
  | 'recording_too_large'
  | 'recording_empty'
  | 'unsupported_format'
  | 'origin_not_allowed'
  | 'source_not_configured'
  | 'storage_unavailable';

export class RecordingError extends Error {
  override readonly name = 'RecordingError';
  readonly code = 'RECORDING';
  constructor(
    readonly problem: RecordingProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get permanent(): boolean {
    return this.problem !== 'storage_unavailable';
  }
}
