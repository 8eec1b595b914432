import type { CallIntake } from '../accept-call.js';
import { CONNECT_RESOLVER, connectContactId } from '../connect/connect-key.js';
import { GENESYS_RESOLVER, parseGenesysKey } from '../genesys/genesys-key.js';
import { SIDECAR_RESOLVER } from '../s3-sidecar/sidecar-key.js';
import type { CreatedObject } from './created-objects.js';

/** Objects other than these are not recordings (reports, transcripts, metadata files) and are skipped. */
const RECORDING_EXTENSIONS = /\.(wav|mp3|mp4|m4a|mkv|flac|ogg|opus|webm)$/i;

export type ObjectIntake = { intake: CallIntake } | { skipped: string };

/**
 * What a created object is, from its key: an Amazon Connect recording, a Genesys Cloud export, or any other
 * phone system's recording. The call's details are looked up by the worker (they may not exist yet); only
 * identifiers go into the job. Each vendor's id becomes the job key, so redeliveries are one job.
 */
export function intakeForObject(object: CreatedObject): ObjectIntake {
  const { bucket, key } = object;
  const recording = { kind: 's3' as const, bucket, key };
  if (key.endsWith('/')) return { skipped: 'a folder marker' };
  if (object.size === 0) return { skipped: 'an empty object' };
  if (key.toLowerCase().endsWith('.json')) return { skipped: 'a metadata file (read when its recording is processed)' };

  const contactId = connectContactId(key);
  if (contactId) {
    return { intake: { clientUniqueId: `connect:${contactId}`, recording, pendingDetails: { resolver: CONNECT_RESOLVER, hints: { contactId } } } };
  }
  const genesys = parseGenesysKey(key);
  if (genesys) {
    // One Gong call per exported recording: a conversation can hold several (screen recordings, consults), and
    // keying by conversation alone would let the first one to arrive hide the others as duplicates.
    return {
      intake: {
        clientUniqueId: `genesys:${genesys.conversationId}:${genesys.recordingId}`,
        recording,
        pendingDetails: { resolver: GENESYS_RESOLVER, hints: { bucket, key, conversationId: genesys.conversationId, recordingId: genesys.recordingId } },
      },
    };
  }
  if (!RECORDING_EXTENSIONS.test(key)) return { skipped: 'not named like a recording (.wav, .mp3, .mp4, .m4a, .mkv, .flac, .ogg, .opus, .webm)' };
  return { intake: { clientUniqueId: `s3:${bucket}/${key}`, recording, pendingDetails: { resolver: SIDECAR_RESOLVER, hints: { bucket, key } } } };
}
