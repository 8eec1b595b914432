import { createS3RecordingReader } from '../../src/storage/s3-recordings.js';
import { classifyFailure } from '../../src/workers/classify-failure.js';
import { startLocalS3, type LocalS3 } from '../../harness/support/local-s3.js';
import { makeWav } from '../../harness/support/make-wav.js';

/**
 * The S3 reader checks keys again where it reads them, so a job written before intake checked keys (or by anything
 * else that can add jobs) cannot read past S3_ALLOWED_BUCKETS. Real s3rver, which resolves dot segments in paths
 * as some proxies do.
 */
describe('S3 recording reader and hostile keys', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3(['recordings', 'secret']);
    await s3.put('secret', 'x.wav', makeWav(4096));
  });
  afterAll(async () => {
    await s3?.close();
  });

  const reader = () => createS3RecordingReader(s3.client, ['recordings']);

  it('When an old job names bucket "recordings" and key "../secret/x.wav", then nothing is read and the job fails at once as recording_key_invalid', async () => {
    const error = await reader()
      .inspect({ kind: 's3', bucket: 'recordings', key: '../secret/x.wav' })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ problem: 'recording_key_invalid' });
    expect(classifyFailure(error)).toMatchObject({ action: 'fail', failureClass: 'recording_key_invalid' });
  });

  it('When a key holds a lone surrogate, then it fails at once as recording_key_invalid instead of being retried as storage_unavailable', async () => {
    const error = await reader()
      .inspect({ kind: 's3', bucket: 'recordings', key: 'calls/x-\ud800.wav' })
      .then(() => undefined, (e: unknown) => e);
    expect(classifyFailure(error)).toMatchObject({ action: 'fail', failureClass: 'recording_key_invalid' });
  });

  it('When a key is refused, then opening and pre-signing it are refused too', async () => {
    const info = { size: 4096, format: 'wav' as const, contentType: 'audio/wav', fileName: 'x.wav' };
    const ref = { kind: 's3' as const, bucket: 'recordings', key: 'a/./b.wav' };
    await expect(reader().open(ref, info)).rejects.toMatchObject({ problem: 'recording_key_invalid' });
    await expect(reader().presign(ref, info, 60)).rejects.toMatchObject({ problem: 'recording_key_invalid' });
  });
});
