import type { Contact, User } from '@aws-sdk/client-connect';
import type { CallDetails, CallDirection, CallParty } from '../../calls/call-details.js';
import { DetailsPendingError } from '../../calls/details-errors.js';
import type { CompletedDetails } from '../../calls/details-resolver.js';

/** Which way the call went, from `InitiationMethod`. A transfer or a monitor session says nothing certain. */
function directionOf(method: string | undefined): CallDirection {
  if (method === 'INBOUND') return 'Inbound';
  if (method === 'OUTBOUND' || method === 'CALLBACK' || method === 'API' || method === 'EXTERNAL_OUTBOUND') return 'Outbound';
  return 'Unknown';
}

/**
 * A Connect contact (DescribeContact) and its agent (DescribeUser) as Gong's call fields. Connect records in
 * stereo with the customer on the left channel (0) and the agent on the right (1). The agent's email names the
 * rep in Gong; the user name is tried in USER_MAP_FILE when the email is not a Gong user.
 */
export function connectContactCall(contact: Contact, agent: User | undefined): CompletedDetails {
  if (!contact.InitiationTimestamp) throw new DetailsPendingError(`Connect contact ${contact.Id} has no InitiationTimestamp yet`);
  const parties: CallParty[] = [];
  const customer = contact.CustomerEndpoint;
  if (customer?.Address && (customer.Type === undefined || customer.Type === 'TELEPHONE_NUMBER')) {
    parties.push({ phoneNumber: customer.Address, ...(customer.DisplayName ? { name: customer.DisplayName } : {}), mediaChannelId: 0 });
  }
  const email = agent?.IdentityInfo?.Email || undefined;
  const name = [agent?.IdentityInfo?.FirstName, agent?.IdentityInfo?.LastName].filter(Boolean).join(' ') || agent?.Username;
  if (agent) parties.push({ ...(name ? { name } : {}), ...(email ? { emailAddress: email } : {}), mediaChannelId: 1 });

  const call: CallDetails = { actualStart: contact.InitiationTimestamp.toISOString(), direction: directionOf(contact.InitiationMethod), parties };
  if (contact.DisconnectTimestamp) call.duration = Math.max(0, (contact.DisconnectTimestamp.getTime() - contact.InitiationTimestamp.getTime()) / 1000);
  const identities = [agent?.Username, email].filter((v): v is string => Boolean(v));
  return { call, rep: email || identities.length ? { ...(email ? { email } : {}), ...(identities.length ? { identities } : {}) } : undefined };
}
