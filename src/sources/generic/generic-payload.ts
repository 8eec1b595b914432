import { z } from 'zod';
import { boundedJson, bucketString, callIdString, CONTEXT_LIMITS, s3KeyString } from '../intake/field-rules.js';

/**
 * The generic webhook's body: the contract documented in the README. Field names follow Gong's where they can; ids,
 * keys and free-form JSON follow the rules every source shares (../intake/field-rules.ts).
 */

const isoWithOffset = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with Z or an offset' });
const gongUserId = z.string().regex(/^\d{1,20}$/, 'must be a Gong user id (digits)');

export const partySchema = z
  .object({
    name: z.string().min(1).max(255).optional(),
    emailAddress: z.email().optional(),
    phoneNumber: z.string().min(3).max(64).optional(),
    userId: gongUserId.optional(),
    partyId: z.string().min(1).max(255).optional(),
    mediaChannelId: z.union([z.literal(0), z.literal(1)]).optional(),
  })
  .strict()
  .refine((p) => p.name || p.emailAddress || p.phoneNumber || p.userId, 'a party needs a name, emailAddress, phoneNumber or userId');

export const genericCallSchema = z
  .object({
    callId: callIdString(),
    startedAt: isoWithOffset,
    direction: z.enum(['Inbound', 'Outbound', 'Conference', 'Unknown']),
    primaryUser: gongUserId.optional(),
    primaryUserEmail: z.email().optional(),
    parties: z.array(partySchema).min(1, 'at least one party is required').max(500),
    recording: z.object({ bucket: bucketString(), key: s3KeyString() }).strict(),
    durationSeconds: z.number().nonnegative().max(7 * 24 * 3600).optional(),
    title: z.string().max(1024).optional(),
    purpose: z.string().max(255).optional(),
    disposition: z.string().max(255).optional(),
    scheduledStart: isoWithOffset.optional(),
    scheduledEnd: isoWithOffset.optional(),
    workspaceId: z.string().regex(/^\d{1,20}$/, 'must be a Gong workspace id (digits)').optional(),
    languageCode: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must look like en-US').optional(),
    meetingUrl: z.url().optional(),
    customData: z.string().max(10_000).optional(),
    callProviderCode: z.string().max(255).optional(),
    context: boundedJson(z.array(z.unknown()).max(50), CONTEXT_LIMITS).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.primaryUser === undefined) === (c.primaryUserEmail === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['primaryUser'], message: 'give exactly one of primaryUser (a Gong user id) or primaryUserEmail' });
    } else if (c.primaryUser !== undefined && !c.parties.some((p) => p.userId === c.primaryUser)) {
      ctx.addIssue({ code: 'custom', path: ['primaryUser'], message: 'must be the userId of one of the parties (Gong requires the primary user among the parties)' });
    } else if (c.primaryUserEmail !== undefined && !c.parties.some((p) => p.emailAddress?.toLowerCase() === c.primaryUserEmail!.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: ['primaryUserEmail'], message: 'must be the emailAddress of one of the parties' });
    }
  });

export const genericWebhookSchema = z
  .object({
    type: z.literal('recording.ready', { message: 'must be "recording.ready"' }),
    data: genericCallSchema,
  });

export type GenericCall = z.infer<typeof genericCallSchema>;
