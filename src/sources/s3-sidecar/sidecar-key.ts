/** The resolver for recordings from any other phone system: a sidecar JSON or the object's x-amz-meta-* (see sidecar-resolver.ts). */
export const SIDECAR_RESOLVER = 's3-sidecar';

/** The sidecar of `calls/a.wav` is `calls/a.wav.json`. */
export const sidecarKey = (key: string) => `${key}.json`;
