import { z } from 'zod';

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
  RecordingUrl: z.url({ protocol: /^https?$/ }).optional(),
  RecordingDuration: z.string().regex(/^\d+$/).optional(),
  RecordingChannels: z.enum(['1', '2']).optional(),
  RecordingStartTime: z.string().optional(),
  RecordingSource: z.string().optional(),
  RecordingTrack: z.string().optional(),
  ErrorCode: z.string().optional(),
});

export type TwilioRecordingCallback = z.infer<typeof twilioRecordingCallbackSchema>;

/** Name/value pairs in the order received (duplicates kept): the signature is computed over exactly these. */
export function formParams(rawBody: Buffer): Array<[string, string]> {
  return [...new URLSearchParams(rawBody.toString('utf8'))];
}
