import { Writable } from 'node:stream';
import { createLogger } from '../../src/logging/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logs', () => {
  it('are one JSON object per line with the level as a word', () => {
    const { logger, lines } = capture();
    logger.child({ jobId: 'call-1', callId: '1', gongCallId: '77', requestId: 'r-1' }).info('media uploaded');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', service: 'gong-ingest', jobId: 'call-1', callId: '1', gongCallId: '77', requestId: 'r-1', msg: 'media uploaded' });
  });

  it('redact credentials and signatures wherever they appear', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        headers: { authorization: 'Basic c2VjcmV0', 'webhook-signature': 'v1,abc', 'x-twilio-signature': 'xyz', cookie: 'admin=1' },
        req: { headers: { authorization: 'Bearer admin-token' } },
        gong: { token: 'bearer-token', secret: 'key-secret', password: 'pw' },
      },
      'request',
    );
    const text = lines.join('');
    for (const secret of ['c2VjcmV0', 'v1,abc', 'xyz', 'admin=1', 'admin-token', 'bearer-token', 'key-secret', '"pw"']) expect(text).not.toContain(secret);
    expect(JSON.parse(text).headers.authorization).toBe('[redacted]');
  });
});
