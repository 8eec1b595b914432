/** The resolver that reads a contact through Amazon Connect's API (see connect-resolver.ts). */
export const CONNECT_RESOLVER = 'connect';

/**
 * Amazon Connect call recordings: `…/CallRecordings/YYYY/MM/DD/<contactId>_<timestamp>_UTC.wav`. The timestamp
 * cannot be predicted from the contact, which is why the S3 event, not the contact record, announces recordings.
 */
const CONNECT_KEY = /(?:^|\/)CallRecordings\/\d{4}\/\d{2}\/\d{2}\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})_[^/]*$/;

/** The contact id of a Connect recording key, or undefined when the key is not one. */
export function connectContactId(key: string): string | undefined {
  return CONNECT_KEY.exec(key)?.[1]?.toLowerCase();
}
