import type { CallDetails, CallDirection, CallParty } from '../../calls/call-details.js';
import { DetailsInvalidError } from '../../calls/details-errors.js';
import type { CompletedDetails } from '../../calls/details-resolver.js';
import type { TwilioHints } from '../../calls/pending-details.js';

/** The recording facts of the callback the mapping reads (the ids only find the call). */
type RecordingFacts = Partial<TwilioHints>;

/** The fields of Twilio's Call resource (`GET …/Calls/{CallSid}.json`) the mapping reads. */
export interface TwilioCall {
  sid: string;
  from?: string | null;
  to?: string | null;
  direction?: string | null;
  start_time?: string | null;
  duration?: string | null;
  caller_name?: string | null;
  parent_call_sid?: string | null;
}


const isClient = (identity: string | null | undefined) => Boolean(identity?.startsWith('client:'));

interface Sides {
  direction: CallDirection;
  /** The rep's side: a Twilio number, a SIP address or `client:<identity>`. */
  rep?: string;
  customer?: string;
}

/**
 * Who is who. A call placed from a browser or app (`from` is `client:…`) reaches Twilio as `inbound` although the
 * rep is calling out, so a client caller wins over the direction field.
 */
function sidesOf(call: TwilioCall): Sides {
  const from = call.from || undefined;
  const to = call.to || undefined;
  const direction = call.direction ?? '';
  if (isClient(from)) return { direction: 'Outbound', rep: from, customer: to };
  if (direction === 'inbound' || direction === 'trunking-terminating') return { direction: 'Inbound', rep: to, customer: from };
  if (direction.startsWith('outbound') || direction === 'trunking-originating') return { direction: 'Outbound', rep: from, customer: to };
  return { direction: 'Unknown' };
}

/**
 * The customer's channel in a dual-channel recording, only where Twilio documents it: a `<Dial>` recording puts
 * the parent call's leg on the first channel (0, left) and the dialed party on the second (1). Conference
 * recordings put the first participant to join on channel 0, which the call resource cannot tell; API-started
 * recordings document no leg order. Those get no channel.
 */
function customerChannel(call: TwilioCall, hints: RecordingFacts, sides: Sides): 0 | 1 | undefined {
  if (hints.channels !== '2' || hints.source !== 'DialVerb' || call.parent_call_sid || !sides.customer) return undefined;
  if (hints.track && hints.track !== 'both') return undefined;
  // The parent leg's far end: the caller on an inbound call, the called party on an API-originated one.
  const parentLegParty = call.direction === 'inbound' ? call.from : call.to;
  return sides.customer === parentLegParty ? 0 : 1;
}

function toIso(rfc2822: string | null | undefined): string | undefined {
  if (!rfc2822) return undefined;
  const time = Date.parse(rfc2822);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function party(identity: string, extra: Partial<CallParty>): CallParty {
  return isClient(identity) ? { name: identity.slice('client:'.length), ...extra } : { phoneNumber: identity, ...extra };
}

/** Twilio's call and the callback's hints as Gong's call fields and the rep's identities for USER_MAP_FILE. */
export function twilioCallDetails(call: TwilioCall, hints: RecordingFacts): CompletedDetails {
  const actualStart = toIso(call.start_time) ?? toIso(hints.recordingStartTime);
  if (!actualStart) throw new DetailsInvalidError(`Twilio call ${call.sid} has no start_time and the callback no RecordingStartTime`);
  const sides = sidesOf(call);
  const parties: CallParty[] = [];
  if (sides.direction === 'Unknown') {
    for (const identity of [call.from, call.to]) if (identity) parties.push(party(identity, {}));
  } else {
    const channel = sides.customer ? customerChannel(call, hints, sides) : undefined;
    if (sides.customer) {
      const name = sides.direction === 'Inbound' && call.caller_name ? { name: call.caller_name } : {};
      parties.push(party(sides.customer, { ...name, ...(channel === undefined ? {} : { mediaChannelId: channel }) }));
    }
    // The rep's own party, with the identity Twilio gave (their number or client name) and the other channel; the
    // worker adds the Gong user id (and email) to it once the user map or the directory has found the rep.
    if (sides.rep) parties.push(party(sides.rep, channel === undefined ? {} : { mediaChannelId: channel === 0 ? 1 : 0 }));
  }
  const seconds = Number(hints.recordingDuration ?? call.duration);
  const details: CallDetails = {
    actualStart,
    direction: sides.direction,
    parties,
    ...(Number.isFinite(seconds) ? { duration: seconds } : {}),
  };
  const identities = sides.rep ? [sides.rep] : [call.from, call.to].filter((v): v is string => Boolean(v));
  return { call: details, rep: identities.length ? { identities } : undefined };
}
