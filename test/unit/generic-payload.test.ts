import { genericWebhookSchema } from '../../src/sources/generic/generic-payload.js';
import { genericCallToJob } from '../../src/sources/generic/generic-to-job.js';
import { toNewCallRequest } from '../../src/gong/map-call.js';
import { zodFieldProblems } from '../../src/validation/field-problems.js';

export const validEvent = () => ({
  type: 'recording.ready',
  data: {
    callId: 'pbx-000123',
    startedAt: '2026-11-20T10:00:00Z',
    direction: 'Inbound',
    primaryUser: '234599484848423',
    parties: [
      { name: 'Ann Rep', emailAddress: 'ann@acme.com', userId: '234599484848423' },
      { name: 'Bob Buyer', phoneNumber: '+15551234567' },
    ],
    recording: { bucket: 'recordings', key: '2026/11/20/pbx-000123.wav' },
    durationSeconds: 312.5,
    title: 'Discovery call',
    languageCode: 'en-US',
  },
});

function problems(event: unknown) {
  const parsed = genericWebhookSchema.safeParse(event);
  return parsed.success ? [] : zodFieldProblems(parsed.error);
}

describe('generic webhook payload', () => {
  it('accepts the documented example', () => {
    expect(problems(validEvent())).toEqual([]);
  });

  it('names every invalid field', () => {
    const event = validEvent();
    Object.assign(event.data, { callId: '', startedAt: '2026-11-20 10:00', direction: 'Sideways', parties: [] });
    const fields = problems(event).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['data.callId', 'data.startedAt', 'data.direction', 'data.parties']));
  });

  it('refuses a start time without an offset', () => {
    const event = validEvent();
    event.data.startedAt = '2026-11-20T10:00:00';
    expect(problems(event)).toEqual([{ field: 'data.startedAt', problem: expect.stringContaining('offset') }]);
  });

  it('requires the primary user among the parties, as Gong does', () => {
    const event = validEvent();
    event.data.primaryUser = '111';
    expect(problems(event)).toEqual([{ field: 'data.primaryUser', problem: expect.stringContaining('parties') }]);
  });

  it('refuses unknown fields and event types', () => {
    const event = { ...validEvent(), type: 'call.started' };
    (event.data as Record<string, unknown>).surprise = 1;
    const fields = problems(event).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['type', 'data']));
  });

  it('refuses a party with nothing to identify it and a bad email', () => {
    const event = validEvent();
    event.data.parties.push({} as never, { emailAddress: 'not-an-email' } as never);
    expect(problems(event).map((p) => p.field)).toEqual(['data.parties.2', 'data.parties.3.emailAddress']);
  });
});

describe('mapping to the job and to Gong', () => {
  it('keeps callId unchanged as clientUniqueId and maps fields to Gong names', () => {
    const parsed = genericWebhookSchema.parse(validEvent());
    const job = genericCallToJob(parsed.data);
    expect(job.clientUniqueId).toBe('pbx-000123');
    expect(job.recording).toEqual({ kind: 's3', bucket: 'recordings', key: '2026/11/20/pbx-000123.wav' });
    const body = toNewCallRequest(job.clientUniqueId, job.call!);
    expect(body).toEqual({
      clientUniqueId: 'pbx-000123',
      actualStart: '2026-11-20T10:00:00Z',
      direction: 'Inbound',
      primaryUser: '234599484848423',
      parties: validEvent().data.parties,
      duration: 312.5,
      title: 'Discovery call',
      languageCode: 'en-US',
    });
  });

  it('adds downloadMediaUrl only when given', () => {
    const parsed = genericWebhookSchema.parse(validEvent());
    const job = genericCallToJob(parsed.data);
    expect(toNewCallRequest(job.clientUniqueId, job.call!)).not.toHaveProperty('downloadMediaUrl');
    expect(toNewCallRequest(job.clientUniqueId, job.call!, 'https://s3/x')).toHaveProperty('downloadMediaUrl', 'https://s3/x');
  });
});

describe('primary user by email', () => {
  const byEmail = () => {
    const event = validEvent() as ReturnType<typeof validEvent> & { data: { primaryUserEmail?: string } };
    delete (event.data as Partial<typeof event.data>).primaryUser;
    event.data.primaryUserEmail = 'ann@acme.com';
    return event;
  };

  it('accepts primaryUserEmail naming a party, and carries it as the rep hint', () => {
    const event = byEmail();
    expect(problems(event)).toEqual([]);
    const job = genericCallToJob(genericWebhookSchema.parse(event).data);
    expect(job.rep).toEqual({ email: 'ann@acme.com' });
    expect(job.call?.primaryUser).toBeUndefined();
  });

  it('refuses both or neither of primaryUser and primaryUserEmail', () => {
    const both = { ...byEmail(), data: { ...byEmail().data, primaryUser: '234599484848423' } };
    expect(problems(both).map((p) => p.field)).toEqual(['data.primaryUser']);
    const neither = byEmail();
    delete neither.data.primaryUserEmail;
    expect(problems(neither).map((p) => p.field)).toEqual(['data.primaryUser']);
  });

  it('refuses a primaryUserEmail that no party has', () => {
    const event = byEmail();
    event.data.primaryUserEmail = 'someone@else.com';
    expect(problems(event).map((p) => p.field)).toEqual(['data.primaryUserEmail']);
  });
});
