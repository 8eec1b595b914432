import type { TwilioHints } from '../../calls/pending-details.js';
import type { CallIntake } from '../accept-call.js';
import type { TwilioRecordingCallback } from './twilio-callback.js';

/** The resolver that reads the call from Twilio's Calls resource (see twilio-call-resolver.ts). */
export const TWILIO_RESOLVER = 'twilio';
/** The vendor whose credentials and API origin fetch the audio (see worker-extensions.ts). */
export const TWILIO_VENDOR = 'twilio';

/**
 * A completed recording as the one call job. The call's details live in Twilio's Calls resource, so the job
 * names the resolver and carries only ids and the callback's recording facts; never credentials. The call SID is
 * the job's key, so Twilio's redeliveries of the callback are the same job.
 */
export function twilioCallbackToJob(callback: TwilioRecordingCallback & { RecordingUrl: string }): CallIntake {
  const hints: TwilioHints = { accountSid: callback.AccountSid, callSid: callback.CallSid, recordingSid: callback.RecordingSid };
  const optional = {
    channels: callback.RecordingChannels,
    source: callback.RecordingSource,
    track: callback.RecordingTrack,
    recordingStartTime: callback.RecordingStartTime,
    recordingDuration: callback.RecordingDuration,
  } satisfies Omit<Record<keyof TwilioHints, string | undefined>, 'accountSid' | 'callSid' | 'recordingSid'>;
  for (const [name, value] of Object.entries(optional) as Array<[keyof typeof optional, string | undefined]>) if (value) hints[name] = value;
  return {
    clientUniqueId: `twilio:${callback.CallSid}`,
    pendingDetails: { resolver: TWILIO_RESOLVER, hints },
    // WAV rather than MP3: Twilio cannot serve encrypted recordings as MP3.
    recording: { kind: 'url', vendor: TWILIO_VENDOR, url: /\.(wav|mp3)$/i.test(callback.RecordingUrl) ? callback.RecordingUrl : `${callback.RecordingUrl}.wav` },
  };
}
