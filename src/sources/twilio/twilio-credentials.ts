/** The Twilio credentials the service may hold; an API key pair is preferred over the account's auth token. */
export interface TwilioCredentials {
  accountSid?: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
}

const ACCOUNT_IN_PATH = /\/Accounts\/(AC[0-9a-fA-F]{32})\//;

/**
 * The `Authorization` header for Twilio's REST API: Basic with the API key pair, or with the account SID and auth
 * token. Without a configured TWILIO_ACCOUNT_SID the account is the one the request is about (taken from the call's
 * account or the resource path). Undefined when no credentials are configured.
 */
export function twilioAuthorization(credentials: TwilioCredentials, accountSidOrUrl?: string): string | undefined {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  if (credentials.apiKeySid && credentials.apiKeySecret) return basic(credentials.apiKeySid, credentials.apiKeySecret);
  if (!credentials.authToken) return undefined;
  const fromArgument = accountSidOrUrl?.startsWith('AC') ? accountSidOrUrl : ACCOUNT_IN_PATH.exec(accountSidOrUrl ?? '')?.[1];
  const accountSid = credentials.accountSid ?? fromArgument;
  return accountSid ? basic(accountSid, credentials.authToken) : undefined;
}

/** True when the service can call Twilio's REST API at all. */
export function hasTwilioCredentials(credentials: TwilioCredentials): boolean {
  return Boolean((credentials.apiKeySid && credentials.apiKeySecret) || credentials.authToken);
}
