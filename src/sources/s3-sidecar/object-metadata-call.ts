import type { CallDetails, CallDirection, CallParty } from '../../calls/call-details.js';
import type { CompletedDetails } from '../../calls/details-resolver.js';
import { DetailsInvalidError } from '../../calls/details-errors.js';

const DIRECTIONS: Record<string, CallDirection> = { inbound: 'Inbound', outbound: 'Outbound', conference: 'Conference', unknown: 'Unknown' };
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A recording described by its own S3 user metadata (`x-amz-meta-*`, names without the prefix, lower-case):
 * `started-at` (ISO-8601 with offset; required), `direction`, `rep` (a Gong user id, an email, or an identity
 * for USER_MAP_FILE), `customer-number`, `customer-name`, `title`, `duration-seconds`. Undefined when the
 * object carries no `started-at`, i.e. it is not described this way.
 */
export function callFromObjectMetadata(metadata: Record<string, string>, where: string): CompletedDetails | undefined {
  const startedAt = metadata['started-at'];
  if (startedAt === undefined) return undefined;
  const problems: string[] = [];
  if (!ISO_WITH_OFFSET.test(startedAt)) problems.push('x-amz-meta-started-at must be an ISO-8601 date-time with Z or an offset');
  const direction = DIRECTIONS[(metadata.direction ?? 'unknown').toLowerCase()];
  if (!direction) problems.push('x-amz-meta-direction must be Inbound, Outbound, Conference or Unknown');
  const seconds = metadata['duration-seconds'] === undefined ? undefined : Number(metadata['duration-seconds']);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds >= 0)) problems.push('x-amz-meta-duration-seconds must be a number of seconds');
  if (problems.length) throw new DetailsInvalidError(`${where}: ${problems.join('; ')}`);

  const parties: CallParty[] = [];
  if (metadata['customer-number'] || metadata['customer-name']) {
    parties.push({ ...(metadata['customer-name'] ? { name: metadata['customer-name'] } : {}), ...(metadata['customer-number'] ? { phoneNumber: metadata['customer-number'] } : {}) });
  }
  const rep = metadata.rep?.trim();
  const call: CallDetails = { actualStart: startedAt, direction: direction!, parties };
  if (metadata.title) call.title = metadata.title;
  if (seconds !== undefined) call.duration = seconds;
  if (rep && /^\d{1,20}$/.test(rep)) {
    call.primaryUser = rep;
    call.parties = [...parties, { userId: rep }];
    return { call };
  }
  if (rep && rep.includes('@')) return { call, rep: { email: rep, identities: [rep] } };
  return { call, rep: rep ? { identities: [rep] } : undefined };
}
