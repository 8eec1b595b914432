import { isTlsFailure, redisFailureKind } from '../../src/redis/redis-errors.js';
import { ReplicationTimeoutError } from '../../src/redis/replica-wait.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('redisFailureKind', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), 'connection'],
    ['a closed connection', new Error('Connection is closed.'), 'connection'],
    ['a command timeout', new Error('Command timed out'), 'connection'],
    ['exhausted cluster redirections', new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'), 'cluster'],
    ['redirections that ended on TRYAGAIN', new Error('Too many Cluster redirections. Last error: ReplyError: TRYAGAIN Multiple keys request'), 'recovering'],
    ['every cluster node failing', Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }), 'cluster'],
    ['CLUSTERDOWN', reply('CLUSTERDOWN The cluster is down'), 'recovering'],
    ['LOADING', reply('LOADING Redis is loading the dataset in memory'), 'recovering'],
    ['MASTERDOWN', reply('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no'), 'recovering'],
    ['READONLY', reply("READONLY You can't write against a read only replica."), 'readonly'],
    ['OOM', reply("OOM command not allowed when used memory > 'maxmemory'."), 'oom'],
    ['NOREPLICAS', reply('NOREPLICAS Not enough good replicas to write.'), 'not_durable'],
    ['a replication timeout of our own', new ReplicationTimeoutError(0, 1, 1000), 'replication'],
  ])('classes %s as transient (%s)', (_what, error, kind) => expect(redisFailureKind(error)).toBe(kind));

  it.each([
    ['a script error', reply('ERR Error running script (call to f_1234): @user_script:1: bad')],
    ['a wrong type', reply('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['CROSSSLOT, which a wrong prefix causes and no retry cures', reply("CROSSSLOT Keys in request don't hash to the same slot")],
    ['a programming error', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
  ])('does not class %s as transient', (_what, error) => expect(redisFailureKind(error)).toBeUndefined());
});

describe('isTlsFailure', () => {
  it('recognises a CA that does not match', () => {
    expect(isTlsFailure(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }))).toBe(true);
    expect(isTlsFailure(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }))).toBe(true);
  });
  it('does not take a refused connection for a TLS problem', () => {
    expect(isTlsFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});
