/** The resolver that reads Genesys Cloud's metadata file beside the recording (see genesys-resolver.ts). */
export const GENESYS_RESOLVER = 'genesys';

export interface GenesysRecordingKey {
  conversationId: string;
  recordingId: string;
  /** Year, month, day and hour (UTC) the conversation began, from the folder names. */
  startHour: { year: number; month: number; day: number; hour: number };
  /** Keys where the metadata file may be: `<recordingId>_metadata.json` beside the audio. */
  metadataKeys: string[];
}

/**
 * Genesys Cloud's recording bulk export: `{org}/year=Y/month=M/day=D/hour=H/conversation_id=C/<recordingId>[.ext]`,
 * with `<recordingId>_metadata.json` beside each recording.
 */
const GENESYS_KEY = /^(.*\/)?year=(\d{4})\/month=(\d{1,2})\/day=(\d{1,2})\/hour=(\d{1,2})\/conversation_id=([^/]+)\/([^/]+)$/;

export function parseGenesysKey(key: string): GenesysRecordingKey | undefined {
  const match = GENESYS_KEY.exec(key);
  if (!match) return undefined;
  const [, , year, month, day, hour, conversationId, fileName] = match as unknown as string[];
  if (fileName!.endsWith('_metadata.json')) return undefined;
  const folder = key.slice(0, key.length - fileName!.length);
  const recordingId = fileName!.replace(/\.[^.]+$/, '');
  const candidates = [`${folder}${recordingId}_metadata.json`, `${folder}${fileName}_metadata.json`];
  return {
    conversationId: conversationId!,
    recordingId,
    startHour: { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour) },
    metadataKeys: [...new Set(candidates)],
  };
}
