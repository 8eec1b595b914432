import { sign, X509Certificate } from 'node:crypto';
import { snsStringToSign, type SnsMessage } from '../../src/sources/s3-events/sns-message.js';
import { verifySnsMessage } from '../../src/sources/s3-events/sns-signature.js';
import { loadConfig } from '../../src/config/load-config.js';
import { checkSnsUrl } from '../../src/sources/s3-events/sns-urls.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/vendors/test-certificates.js';

const AWS_HOSTS = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

describe('SNS message signatures', () => {
  let certs: TestCertificates;
  let certificate: X509Certificate;
  beforeAll(() => {
    certs = makeTestCertificates();
    certificate = new X509Certificate(certs.signing.cert);
  });
  afterAll(() => certs.remove());

  const base: SnsMessage = {
    Type: 'Notification',
    MessageId: 'm-1',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
    Message: '{"Records":[]}',
    Timestamp: new Date().toISOString(),
    SignatureVersion: '1',
    Signature: '',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-x.pem',
  };
  const signed = (m: SnsMessage): SnsMessage => ({ ...m, Signature: sign(m.SignatureVersion === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(m)), certs.signing.key).toString('base64') });

  it('builds the string to sign in SNS order, with Subject only when present', () => {
    expect(snsStringToSign(base)).toBe(`Message\n{"Records":[]}\nMessageId\nm-1\nTimestamp\n${base.Timestamp}\nTopicArn\n${base.TopicArn}\nType\nNotification\n`);
    expect(snsStringToSign({ ...base, Subject: 'Amazon S3 Notification' })).toContain('MessageId\nm-1\nSubject\nAmazon S3 Notification\nTimestamp\n');
  });

  it('signs confirmations over SubscribeURL and Token instead', () => {
    const confirmation = { ...base, Type: 'SubscriptionConfirmation' as const, SubscribeURL: 'https://sns/x', Token: 'tok' };
    expect(snsStringToSign(confirmation)).toBe(`Message\n{"Records":[]}\nMessageId\nm-1\nSubscribeURL\nhttps://sns/x\nTimestamp\n${base.Timestamp}\nToken\ntok\nTopicArn\n${base.TopicArn}\nType\nSubscriptionConfirmation\n`);
  });

  it('verifies version 1 (RSA-SHA1) and version 2 (RSA-SHA256)', () => {
    expect(verifySnsMessage(signed(base), certificate)).toEqual({ ok: true });
    expect(verifySnsMessage(signed({ ...base, SignatureVersion: '2' }), certificate)).toEqual({ ok: true });
  });

  it('refuses a changed message, a signature of the other version, and stale or future messages', () => {
    const good = signed(base);
    expect(verifySnsMessage({ ...good, Message: '{"Records":[1]}' }, certificate)).toMatchObject({ ok: false });
    expect(verifySnsMessage({ ...good, SignatureVersion: '2' }, certificate)).toMatchObject({ ok: false });
    const old = signed({ ...base, Timestamp: new Date(Date.now() - 2 * 3600_000).toISOString() });
    expect(verifySnsMessage(old, certificate)).toMatchObject({ ok: false, problem: expect.stringContaining('stale') });
    const future = signed({ ...base, Timestamp: new Date(Date.now() + 3600_000).toISOString() });
    expect(verifySnsMessage(future, certificate)).toMatchObject({ ok: false });
  });
});

describe('SNS URLs (SigningCertURL, SubscribeURL)', () => {
  it('accepts https on an SNS host, in any region and in China', () => {
    expect(checkSnsUrl('https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem', AWS_HOSTS).ok).toBe(true);
    expect(checkSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/x.pem', AWS_HOSTS).ok).toBe(true);
  });

  it.each([
    ['http://sns.us-east-1.amazonaws.com/x.pem', 'must be https'],
    ['https://sns.us-east-1.amazonaws.com.evil.com/x.pem', 'does not match'],
    ['https://evil.com/sns.us-east-1.amazonaws.com/x.pem', 'does not match'],
    ['https://169.254.169.254/latest/meta-data', 'does not match'],
    ['https://user:pw@sns.us-east-1.amazonaws.com/x.pem', 'credentials'],
    ['not a url', 'not a URL'],
  ])('refuses %s', (url, problem) => {
    expect(checkSnsUrl(url, AWS_HOSTS)).toMatchObject({ ok: false, problem: expect.stringContaining(problem) });
  });

  it('anchors SNS_CERT_HOST_PATTERN: a custom pattern without ^…$ does not let a look-alike host under another domain through', () => {
    const custom = /sns\.us-east-1\.amazonaws\.com/;
    expect(checkSnsUrl('https://sns.us-east-1.amazonaws.com.attacker.net/x.pem', custom)).toMatchObject({ ok: false, problem: expect.stringContaining('does not match') });
    expect(checkSnsUrl('https://evil-sns.us-east-1.amazonaws.com/x.pem', custom)).toMatchObject({ ok: false });
    expect(checkSnsUrl('https://sns.us-east-1.amazonaws.com/x.pem', custom).ok).toBe(true);
  });

  it('matches real SNS hosts, and only them, with the default pattern as the config gives it', () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const config = loadConfig({ S3_ALLOWED_BUCKETS: 'b', WEBHOOK_SECRET: secret, GONG_BEARER_TOKEN: 't' });
    const pattern = new RegExp(config.sources.sns.certHostPattern);
    expect(checkSnsUrl('https://sns.eu-west-1.amazonaws.com/x.pem', pattern).ok).toBe(true);
    expect(checkSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/x.pem', pattern).ok).toBe(true);
    expect(checkSnsUrl('https://sns.us-east-1.amazonaws.com.attacker.net/x.pem', pattern).ok).toBe(false);
  });

  it('refuses an SNS_CERT_HOST_PATTERN that is not a regular expression at start-up', () => {
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    expect(() => loadConfig({ S3_ALLOWED_BUCKETS: 'b', WEBHOOK_SECRET: secret, GONG_BEARER_TOKEN: 't', SNS_CERT_HOST_PATTERN: 'sns)|(evil' })).toThrow(/SNS_CERT_HOST_PATTERN: must be a regular expression/);
  });
});
