import { z } from 'zod';
import { textString } from '../intake/field-rules.js';

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be ${prefix} followed by 32 hex digits`);

/**
 * The fields of Twilio's `recordingStatusCallback` (form-encoded) this service reads. Twilio adds fields over
 * time, so unknown ones pass through untouched (they are still covered by the signature).
 */
export const twilioRecordingCallbackSchema = z.object({
  AccountSid: sid('AC'),
  CallSid: sid('CA'),
  RecordingSid: sid('RE'),
  RecordingStatus: z.enum(['in-progress', 'completed', 'absent', 'failed']),
  RecordingUrl: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  RecordingDuration: z.string().regex(/^\d+$/).optional(),
  RecordingChannels: z.enum(['1', '2']).optional(),
  // Free text that goes into the job (or a log line): the shared text rule, with room for what Twilio sends.
  RecordingStartTime: textString(64).optional(),
  RecordingSource: textString(64).optional(),
  RecordingTrack: textString(64).optional(),
  ErrorCode: textString(64).optional(),
});

export type TwilioRecordingCallback = z.infer<typeof twilioRecordingCallbackSchema>;

/** Name/value pairs in the order received (duplicates kept): the signature is computed over exactly these. */
export function formParams(rawBody: Buffer): Array<[string, string]> {
  return [...new URLSearchParams(rawBody.toString('utf8'))];
}
