/**
 * What Gong needs to know about a call, in Gong's own field names (see `POST /v2/calls`). The service's shared
 * vocabulary: sources produce it, the job carries it, the worker completes it and the Gong client sends it.
 */

export type CallDirection = 'Inbound' | 'Outbound' | 'Conference' | 'Unknown';

/** A participant, in Gong's own field names. */
export interface CallParty {
  name?: string;
  emailAddress?: string;
  phoneNumber?: string;
  userId?: string;
  partyId?: string;
  /** 0 = left, 1 = right channel of a stereo recording. */
  mediaChannelId?: number;
}

export interface CallDetails {
  actualStart: string;
  direction: CallDirection;
  /** A Gong user id. May be missing at intake when the rep is known only by email or vendor identity (see `RepHints`). */
  primaryUser?: string;
  parties: CallParty[];
  title?: string;
  purpose?: string;
  disposition?: string;
  scheduledStart?: string;
  scheduledEnd?: string;
  duration?: number;
  workspaceId?: string;
  languageCode?: string;
  meetingUrl?: string;
  customData?: string;
  callProviderCode?: string;
  context?: unknown[];
}
