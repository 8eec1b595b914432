/** Where the audio is. Only a pointer: the worker opens it when it uploads. */
export interface S3RecordingRef {
  kind: 's3';
  bucket: string;
  key: string;
}

/** A vendor-hosted recording, fetched with the vendor's credentials, only from the vendor's configured API origin. */
export interface UrlRecordingRef {
  kind: 'url';
  /** Which vendor's credentials and origin apply, e.g. 'twilio'. */
  vendor: string;
  url: string;
}

export type RecordingRef = S3RecordingRef | UrlRecordingRef;
