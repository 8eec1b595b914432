import { DetailsInvalidError, DetailsPendingError } from '../../calls/details-errors.js';
import { hintsFor, type DetailsRequest, type DetailsResolver } from '../../calls/details-resolver.js';
import { TWILIO_RESOLVER } from './twilio-callback-to-job.js';
import { twilioCallDetails, type TwilioCall } from './twilio-call-mapping.js';
import { twilioAuthorization, type TwilioCredentials } from './twilio-credentials.js';

export interface TwilioCallResolverOptions {
  /** TWILIO_API_BASE_URL, without a trailing slash. @defaultValue 'https://api.twilio.com' */
  apiBaseUrl: string;
  credentials: TwilioCredentials;
  /** @defaultValue 15000 */
  timeoutMs?: number;
}

/**
 * Reads the call behind a recording callback from Twilio's Calls resource. Auth and missing calls fail for good
 * (an operator must act, then replay); Twilio being slow or down is retried with backoff.
 */
export function createTwilioCallResolver(options: TwilioCallResolverOptions): DetailsResolver {
  return async (data: DetailsRequest) => {
    const hints = hintsFor(data, TWILIO_RESOLVER);
    const { accountSid, callSid } = hints;
    if (!accountSid || !callSid) throw new DetailsInvalidError('The Twilio job names no accountSid and callSid');
    const authorization = twilioAuthorization(options.credentials, accountSid);
    if (!authorization) throw new DetailsInvalidError('No Twilio credentials are configured (TWILIO_AUTH_TOKEN or TWILIO_API_KEY_SID/SECRET)');
    const url = `${options.apiBaseUrl}/2010-04-01/Accounts/${accountSid}/Calls/${callSid}.json`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization, accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    } catch (error) {
      throw new DetailsPendingError(`Twilio's Calls resource could not be reached for ${callSid} (${(error as Error).name})`, { cause: error });
    }
    if (response.status === 401 || response.status === 403) {
      throw new DetailsInvalidError(`Twilio refused the credentials (${response.status}) reading call ${callSid}: check TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN or the API key pair, then replay`);
    }
    if (response.status === 404) throw new DetailsInvalidError(`Twilio has no call ${callSid} in account ${accountSid}`);
    if (!response.ok) throw new DetailsPendingError(`Twilio answered ${response.status} reading call ${callSid}`);
    const call = (await response.json()) as TwilioCall;
    return twilioCallDetails({ ...call, sid: call.sid ?? callSid }, hints);
  };
}
