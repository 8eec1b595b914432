import type { Readable } from 'node:stream';
import type { RecordingRef, S3RecordingRef, UrlRecordingRef } from '../calls/recording-ref.js';
import type { MediaFormat } from './media-format.js';
import { RecordingError } from './recording-errors.js';

/** What the worker knows about a recording before it uploads it. */
export interface RecordingInfo {
  size: number;
  /** Pins later reads to the same version of the object, where the store has versions. */
  etag?: string;
  format: MediaFormat;
  contentType: string;
  fileName: string;
}

export interface OpenedRecording {
  stream: Readable;
  size: number;
  /** Releases what opening took (a reader's temporary resources, if any); called after every upload attempt. */
  release?: () => Promise<void>;
}

/** One kind of place recordings live in (S3, a vendor's API). */
export interface RecordingReader<R extends RecordingRef> {
  inspect(ref: R): Promise<RecordingInfo>;
  /** A fresh stream of the whole recording: every attempt opens a new one. */
  open(ref: R, info: RecordingInfo): Promise<OpenedRecording>;
}

export interface RecordingStore {
  inspect(ref: RecordingRef): Promise<RecordingInfo>;
  open(ref: RecordingRef, info: RecordingInfo): Promise<OpenedRecording>;
}

export interface RecordingReaders {
  s3: RecordingReader<S3RecordingRef>;
  /** Vendor URL readers by vendor name; a vendor without one is refused. */
  url?: Record<string, RecordingReader<UrlRecordingRef>>;
}

/** Sends each recording reference to the reader for its kind. */
export function createRecordingStore(readers: RecordingReaders): RecordingStore {
  const urlReader = (ref: UrlRecordingRef) => {
    const reader = readers.url?.[ref.vendor];
    if (!reader) throw new RecordingError('source_not_configured', `No credentials are configured to fetch ${ref.vendor} recordings`);
    return reader;
  };
  return {
    inspect: (ref) => (ref.kind === 's3' ? readers.s3.inspect(ref) : urlReader(ref).inspect(ref)),
    open: (ref, info) => (ref.kind === 's3' ? readers.s3.open(ref, info) : urlReader(ref).open(ref, info)),
  };
}
