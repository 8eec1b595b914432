import { Redis } from 'ioredis';
import { QueueUnavailableError } from '../../src/queue/enqueue-call.js';
import { ReplicationTimeoutError } from '../../src/redis/replica-wait.js';
import { acceptCall, type CallIntake, type EnqueueCall } from '../../src/sources/accept-call.js';

const intake: CallIntake = { clientUniqueId: 'generic:call-1', recording: { kind: 's3', bucket: 'recordings', key: 'a.wav' } };
const failingWith = (error: unknown): EnqueueCall => () => Promise.reject(error);

/** An ioredis client whose commands fail as they do when Redis goes away: nothing listens on port 1. */
async function refusedRedisError(): Promise<unknown> {
  const client = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  try {
    await client.set('k', 'v');
  } catch (error) {
    return error;
  } finally {
    client.disconnect();
  }
  throw new Error('the command unexpectedly succeeded');
}

describe('acceptCall', () => {
  it('answers 202 once the job is in the queue, and says when it was a duplicate', async () => {
    const answer = await acceptCall('generic', intake, () => Promise.resolve({ jobId: 'j1', duplicate: true }));
    expect(answer).toMatchObject({ status: 202, outcome: 'duplicate', body: { jobId: 'j1', duplicate: true } });
  });

  it.each([
    ['the producer guard gave up (QueueUnavailableError)', new QueueUnavailableError('Redis connection is reconnecting')],
    ['ioredis lost the connection', new Error('Connection is closed.')],
    ['ioredis ran out of retries', Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })],
    ['Redis refused the connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })],
    ['Redis is read-only during a fail-over', Object.assign(new Error("READONLY You can't write against a read only replica."), { name: 'ReplyError' })],
    ['a cluster master died and redirections ran out', new Error('Too many Cluster redirections. Last error: Error: Connection is closed.')],
    ['cluster slots are moving (TRYAGAIN)', Object.assign(new Error('TRYAGAIN Multiple keys request during rehashing of slot'), { name: 'ReplyError' })],
    ['the cluster is down (CLUSTERDOWN)', Object.assign(new Error('CLUSTERDOWN The cluster is down'), { name: 'ReplyError' })],
    ['Redis is loading its AOF after a restart', Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ReplyError' })],
    ['Redis is out of memory (noeviction)', Object.assign(new Error("OOM command not allowed when used memory > 'maxmemory'."), { name: 'ReplyError' })],
    ['BullMQ rethrows an OOM from inside its add script', new Error("OOM command not allowed when used memory > 'maxmemory'. script: 1234, on @user_script:57.")],
    ['too few replicas acknowledged the job in time', new ReplicationTimeoutError(0, 1, 1000)],
  ])('answers 503 with retry-after when %s, so the sender delivers again', async (_why, error) => {
    const answer = await acceptCall('generic', intake, failingWith(error));
    expect(answer).toMatchObject({ status: 503, outcome: 'unavailable', headers: { 'retry-after': '5' }, body: { error: 'queue_unavailable' } });
  });

  it('answers 503 for the error a real ioredis client gives when Redis cannot be reached', async () => {
    const answer = await acceptCall('generic', intake, failingWith(await refusedRedisError()));
    expect(answer.status).toBe(503);
  });

  it.each([
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a Redis script error', Object.assign(new Error('ERR Error running script'), { name: 'ReplyError' })],
    ['a thrown non-error', 'boom'],
  ])('rethrows %s, so the app answers 500 and logs it instead of hiding it as 503', async (_what, error) => {
    await expect(acceptCall('generic', intake, failingWith(error))).rejects.toBe(error);
  });
});
