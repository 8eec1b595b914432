import type { PendingDetails } from '../../calls/pending-details.js';
import type { Logger } from '../../logging/logger.js';
import { acceptCall, type EnqueueCall } from '../accept-call.js';
import { zodFieldProblems } from '../../validation/field-problems.js';
import { invalid, unauthorized, type SourceRequest, type SourceResponse } from '../source-handler.js';
import { formParams, twilioRecordingCallbackSchema } from './twilio-callback.js';
import { TWILIO_RESOLVER, twilioCallbackToJob } from './twilio-callback-to-job.js';
import { verifyTwilioSignature } from './twilio-signature.js';

export interface TwilioWebhookOptions {
  /** TWILIO_AUTH_TOKEN: the key of Twilio's request signatures. */
  authToken: string;
  /** PUBLIC_BASE_URL without a trailing slash: the URL Twilio was given, which proxies hide from the service. */
  publicBaseUrl: string;
  /**
   * TWILIO_ACCOUNT_SID: when set, a callback naming another account is refused (403), even if its signature
   * matches. @defaultValue undefined (any account whose callbacks the auth token signs)
   */
  accountSid?: string;
  enqueue: EnqueueCall;
  logger: Logger;
}

/**
 * `POST /webhooks/twilio`: Twilio's `recordingStatusCallback`. Verified against the public URL (403 otherwise, as
 * Twilio's own validators answer); only a completed recording makes a job, other statuses are answered 200 and
 * counted as ignored so that Twilio does not retry them.
 */
export function createTwilioWebhookHandler(options: TwilioWebhookOptions) {
  return async function handleTwilioWebhook(req: SourceRequest): Promise<SourceResponse> {
    const params = formParams(req.rawBody);
    const url = `${options.publicBaseUrl}${req.originalUrl}`;
    if (!verifyTwilioSignature(options.authToken, url, params, req.headers['x-twilio-signature'])) {
      return unauthorized(`X-Twilio-Signature does not match this request as sent to ${url} (check PUBLIC_BASE_URL and TWILIO_AUTH_TOKEN)`, 403);
    }
    const parsed = twilioRecordingCallbackSchema.safeParse(Object.fromEntries(params));
    if (!parsed.success) return invalid(zodFieldProblems(parsed.error));
    const callback = parsed.data;
    if (options.accountSid && callback.AccountSid !== options.accountSid) {
      // Authenticated but not ours: an authorisation refusal, like an SNS topic outside SNS_TOPIC_ARNS.
      return unauthorized(`AccountSid ${callback.AccountSid} is not TWILIO_ACCOUNT_SID; this service takes recordings of its own account only`, 403);
    }
    const ids = { callSid: callback.CallSid, recordingSid: callback.RecordingSid, recordingStatus: callback.RecordingStatus };
    if (callback.RecordingStatus !== 'completed') {
      const log = callback.RecordingStatus === 'in-progress' ? options.logger.debug.bind(options.logger) : options.logger.warn.bind(options.logger);
      log({ source: 'twilio', ...ids, errorCode: callback.ErrorCode }, `twilio recording ${callback.RecordingStatus}: nothing to upload`);
      return { status: 200, outcome: 'ignored', body: { ignored: true, reason: `RecordingStatus is ${callback.RecordingStatus}` } };
    }
    if (!callback.RecordingUrl) return invalid([{ field: 'RecordingUrl', problem: 'is required when RecordingStatus is completed' }]);
    return acceptCall('twilio', twilioCallbackToJob({ ...callback, RecordingUrl: callback.RecordingUrl }), enqueueRecording(options.enqueue));
  };
}

/**
 * One Twilio call can have several recordings (sequential `<Dial record>` legs, `<Record>` beside a Dial
 * recording, several Recordings API recordings), each its own Gong call. The first keeps the call's key
 * (`twilio:<CallSid>`); a different recording of a call that already has a job gets `twilio:<CallSid>:<RecordingSid>`,
 * so it is neither lost as a "duplicate" nor confused with the first, and its own redeliveries find it again.
 */
export function enqueueRecording(enqueue: EnqueueCall): EnqueueCall {
  return async (data) => {
    const first = await enqueue(data);
    const recordingSid = recordingSidOf(data);
    if (!first.duplicate || !first.existing || recordingSidOf(first.existing) === recordingSid) return first;
    return enqueue({ ...data, clientUniqueId: `${data.clientUniqueId}:${recordingSid}` });
  };
}

function recordingSidOf(data: { pendingDetails?: PendingDetails }): string | undefined {
  return data.pendingDetails?.resolver === TWILIO_RESOLVER ? data.pendingDetails.hints.recordingSid : undefined;
}
