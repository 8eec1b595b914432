import { Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-connection.js';
import { CALL_QUEUE_NAME, type CallJobData, type CallJobResult } from './call-job.js';

/** The calls queue as producers and operators see it. `prefix` is the hash-tagged BullMQ prefix. */
export function createCallQueue(connection: RedisClient, prefix: string): Queue<CallJobData, CallJobResult> {
  return new Queue<CallJobData, CallJobResult>(CALL_QUEUE_NAME, { connection, prefix });
}
