import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RecordingError } from '../../storage/recording-errors.js';
import { DetailsInvalidError, DetailsPendingError } from '../../calls/details-errors.js';
import { hintsFor, type CompletedDetails, type DetailsRequest, type DetailsResolver } from '../../calls/details-resolver.js';
import { genericCallSchema } from '../generic/generic-payload.js';
import { genericCallToJob } from '../generic/generic-to-job.js';
import { callFromObjectMetadata } from './object-metadata-call.js';
import { isMissing, readS3Json, storageError } from './read-s3-json.js';
import { SIDECAR_RESOLVER, sidecarKey } from './sidecar-key.js';
import { describeProblems, zodFieldProblems } from '../../validation/field-problems.js';

/**
 * Any phone system that writes recordings to S3: the call is described by a sidecar `<key>.json` in the generic
 * webhook's `data` shape (callId and recording may be left out: the object is the recording), or else by the
 * object's own `x-amz-meta-*`. Neither there yet means the sidecar is still on its way: retried with backoff.
 */
export function createSidecarResolver(s3: S3Client): DetailsResolver {
  return async (data: DetailsRequest) => {
    const { bucket, key } = hintsFor(data, SIDECAR_RESOLVER);
    if (!bucket || !key) throw new DetailsInvalidError('The S3 job names no bucket and key');
    const sidecar = await readS3Json(s3, bucket, sidecarKey(key));
    if (sidecar !== undefined) return fromSidecar(sidecar, bucket, key, data.clientUniqueId);

    const where = `s3://${bucket}/${key}`;
    let metadata: Record<string, string>;
    try {
      metadata = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).Metadata ?? {};
    } catch (error) {
      if (isMissing(error)) throw new RecordingError('recording_missing', `Recording ${where} does not exist`, { cause: error });
      throw storageError(where, error);
    }
    const described = callFromObjectMetadata(metadata, where);
    if (!described) throw new DetailsPendingError(`No sidecar s3://${bucket}/${sidecarKey(key)} yet, and ${where} has no x-amz-meta-started-at`);
    return described;
  };
}

function fromSidecar(sidecar: unknown, bucket: string, key: string, clientUniqueId: string): CompletedDetails {
  const body = typeof sidecar === 'object' && sidecar !== null && !Array.isArray(sidecar) ? (sidecar as Record<string, unknown>) : {};
  const parsed = genericCallSchema.safeParse({ callId: clientUniqueId, ...body, recording: { bucket, key } });
  if (!parsed.success) {
    const fields = describeProblems(zodFieldProblems(parsed.error));
    throw new DetailsInvalidError(`Sidecar s3://${bucket}/${sidecarKey(key)} is invalid: ${fields}`);
  }
  const { call, rep } = genericCallToJob(parsed.data);
  return { call: call!, rep };
}
