import type { S3Client } from '@aws-sdk/client-s3';
import { DetailsInvalidError, DetailsPendingError } from '../../calls/details-errors.js';
import { hintsFor, type DetailsRequest, type DetailsResolver } from '../../calls/details-resolver.js';
import { readS3Json } from '../s3-sidecar/read-s3-json.js';
import { genesysMetadataCall } from './genesys-metadata-call.js';
import { GENESYS_RESOLVER, parseGenesysKey } from './genesys-key.js';

/**
 * Genesys Cloud's recording export writes the audio and its metadata file as separate objects, in either order:
 * until the metadata file is there the job retries with backoff.
 */
export function createGenesysResolver(s3: S3Client): DetailsResolver {
  return async (data: DetailsRequest) => {
    const { bucket, key } = hintsFor(data, GENESYS_RESOLVER);
    const parsed = key ? parseGenesysKey(key) : undefined;
    if (!bucket || !key || !parsed) throw new DetailsInvalidError('The Genesys job names no bucket and export key');
    for (const metadataKey of parsed.metadataKeys) {
      const meta = await readS3Json(s3, bucket, metadataKey);
      if (meta === undefined) continue;
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new DetailsInvalidError(`s3://${bucket}/${metadataKey} is not a JSON object`);
      return genesysMetadataCall(meta as Record<string, unknown>, parsed);
    }
    throw new DetailsPendingError(`Genesys metadata s3://${bucket}/${parsed.metadataKeys[0]} has not arrived yet`);
  };
}
