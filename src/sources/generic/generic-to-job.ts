import type { CallDetails } from '../../calls/call-details.js';
import type { CallJobData } from '../../queue/call-job.js';
import type { GenericCall } from './generic-payload.js';

/** The generic webhook's call, as the fields of the one call job. The callId is Gong's clientUniqueId unchanged. */
export function genericCallToJob(call: GenericCall): Pick<CallJobData, 'clientUniqueId' | 'call' | 'recording' | 'rep'> {
  const details: CallDetails = {
    actualStart: call.startedAt,
    direction: call.direction,
    primaryUser: call.primaryUser,
    parties: call.parties,
    title: call.title,
    purpose: call.purpose,
    disposition: call.disposition,
    scheduledStart: call.scheduledStart,
    scheduledEnd: call.scheduledEnd,
    duration: call.durationSeconds,
    workspaceId: call.workspaceId,
    languageCode: call.languageCode,
    meetingUrl: call.meetingUrl,
    customData: call.customData,
    callProviderCode: call.callProviderCode,
    context: call.context,
  };
  return {
    clientUniqueId: call.callId,
    call: Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)) as CallDetails,
    recording: { kind: 's3', bucket: call.recording.bucket, key: call.recording.key },
    ...(call.primaryUserEmail ? { rep: { email: call.primaryUserEmail } } : {}),
  };
}
