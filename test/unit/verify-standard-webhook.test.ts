import { signStandardWebhook, verifyStandardWebhook } from '../../src/sources/generic/verify-standard-webhook.js';

const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const body = Buffer.from('{"type":"recording.ready"}');
const now = 1_800_000_000;

function headers(overrides: Partial<{ id: string; timestamp: string; signature: string }> = {}) {
  const id = overrides.id ?? 'msg_1';
  const timestamp = overrides.timestamp ?? String(now);
  return { id, timestamp, signature: overrides.signature ?? signStandardWebhook(secret, id, Number(timestamp), body) };
}

describe('Standard Webhooks signature', () => {
  it('accepts a body signed with the secret', () => {
    expect(verifyStandardWebhook(headers(), body, secret, 300, now)).toEqual({ ok: true });
  });

  it('matches the reference implementation for a known vector', () => {
    // From standard-webhooks' own test suite (libraries/javascript/src/index.test.ts).
    const refSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sig = signStandardWebhook(refSecret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('accepts when any of several space-separated signatures matches (secret rotation)', () => {
    const h = headers();
    expect(verifyStandardWebhook({ ...h, signature: `v1,bm90LXRoaXM= ${h.signature}` }, body, secret, 300, now)).toEqual({ ok: true });
  });

  it('refuses a body changed after signing', () => {
    expect(verifyStandardWebhook(headers(), Buffer.from('{"type":"other"}'), secret, 300, now).ok).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    const other = `whsec_${Buffer.from('another-secret-another-secret-00').toString('base64')}`;
    const sig = signStandardWebhook(other, 'msg_1', now, body);
    expect(verifyStandardWebhook(headers({ signature: sig }), body, secret, 300, now).ok).toBe(false);
  });

  it('refuses a timestamp more than the tolerance in the past or the future', () => {
    expect(verifyStandardWebhook(headers({ timestamp: String(now - 301) }), body, secret, 300, now)).toMatchObject({ ok: false, problem: expect.stringContaining('300 seconds') });
    expect(verifyStandardWebhook(headers({ timestamp: String(now + 301) }), body, secret, 300, now).ok).toBe(false);
    expect(verifyStandardWebhook(headers({ timestamp: String(now - 299) }), body, secret, 300, now).ok).toBe(true);
  });

  it('refuses missing headers and non-v1 signatures', () => {
    expect(verifyStandardWebhook({ id: undefined, timestamp: String(now), signature: 'v1,x' }, body, secret, 300, now).ok).toBe(false);
    const h = headers();
    expect(verifyStandardWebhook({ ...h, signature: h.signature.replace('v1,', 'v2,') }, body, secret, 300, now).ok).toBe(false);
  });

  it('refuses a non-numeric timestamp', () => {
    expect(verifyStandardWebhook(headers({ timestamp: '2026-11-20T10:00:00Z' }), body, secret, 300, now)).toMatchObject({ ok: false, problem: expect.stringContaining('unix seconds') });
  });
});
