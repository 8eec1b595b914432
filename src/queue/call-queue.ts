import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Queue, type JobsOptions, type QueueOptions } from 'bullmq';
import { addDelayedJob } from 'bullmq/dist/esm/scripts/addDelayedJob-6.js';
import { addStandardJob } from 'bullmq/dist/esm/scripts/addStandardJob-9.js';
import type { RedisClient } from '../redis/redis-connection.js';
import { CALL_QUEUE_NAME, CALL_JOB_NAME, type CallJobData, type CallJobResult } from './call-job.js';

/** The calls queue as producers and operators see it. `prefix` is the hash-tagged BullMQ prefix. */
export function createCallQueue(connection: RedisClient, prefix: string): CallQueue {
  return new CallQueue(CALL_QUEUE_NAME, { connection, prefix });
}

/** A BullMQ add script, as the installed BullMQ ships it. */
interface AddScript {
  name: string;
  content: string;
  keys: number;
}

/** A wrapped add script as defined on a connection: named for its text, so a BullMQ upgrade gets a new name. */
interface WrappedScript {
  command: string;
  numberOfKeys: number;
  lua: string;
}

/**
 * Undefined for a script that cannot run inside a function (a `#!lua` flags line must stay the script's first): its
 * adds then take BullMQ's own script and are read back. test/component/call-queue.test.ts checks both are wrapped.
 */
function wrap(script: AddScript): WrappedScript | undefined {
  if (script.content.startsWith('#!')) return undefined;
  const lua = existenceReportingLua(script);
  return { command: `gongIngest:${script.name}:existed:${createHash('sha1').update(lua).digest('hex').slice(0, 12)}`, numberOfKeys: script.keys + 1, lua };
}

/** The two add scripts a call's add can take: due now, or due later (tenant pacing). Keyed by BullMQ's name. */
const WRAPPED: Record<string, WrappedScript | undefined> = { addStandardJob: wrap(addStandardJob), addDelayedJob: wrap(addDelayedJob) };

/** The BullMQ add scripts whose adds tell a duplicate themselves. */
export const WRAPPED_ADD_SCRIPTS = Object.keys(WRAPPED).filter((name) => WRAPPED[name]);

/**
 * BullMQ's add script run as it is, after one EXISTS of the job's own key, passed as one more key: on the queue's
 * hash tag like the others, so it holds on a Redis Cluster. The reply is {BullMQ's reply, 1 if the job was there}.
 */
export function existenceReportingLua(script: AddScript): string {
  return [
    `local existed = redis.call("EXISTS", KEYS[${script.keys + 1}])`,
    'local function bullmqAdd()',
    script.content,
    'end',
    'return {bullmqAdd(), existed}',
  ].join('\n');
}

/** Set around one addOnce: the execCommand below fills in whether the job was already there. */
interface ExistenceProbe {
  jobKey: string;
  existed?: boolean;
}
const probes = new AsyncLocalStorage<ExistenceProbe>();

/**
 * The calls queue, whose add also tells whether the job was new. BullMQ ignores an add whose job id exists and gives
 * no sign of it; asking afterwards costs a second Redis command per webhook (~5 % of intake's CPU). Here the
 * add itself answers: BullMQ builds the job and its arguments as always, and only the script it runs is its own
 * script wrapped (existenceReportingLua), under a name of its own, so every other add (addBulk, the CLI's) is
 * BullMQ's unchanged.
 */
export class CallQueue extends Queue<CallJobData, CallJobResult> {
  constructor(name: string, opts: QueueOptions & { connection: RedisClient }) {
    super(name, opts);
    // Before the connection's first command: ioredis copies a connection's commands into each auto-pipeline it
    // opens, so one defined while a pipeline is open is missing from it.
    for (const script of Object.values(WRAPPED)) if (script) opts.connection.defineCommand(script.command, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }

  protected override createScripts(): void {
    super.createScripts();
    const scripts = this.scripts;
    const bullmqExec = scripts.execCommand.bind(scripts);
    scripts.execCommand = (client, commandName, args) => {
      const probe = probes.getStore();
      const script = WRAPPED[commandName];
      const run = script && ((client as unknown as Record<string, unknown>)[script.command] as WrappedCommand | undefined);
      if (!probe || !script || typeof run !== 'function') return bullmqExec(client, commandName, args);
      return runReportingExistence(run, script, args, probe);
    };
  }

  /**
   * queue.add of a call's job, and whether a job with its id was there before (the add then changed nothing).
   * Undefined when BullMQ took a path this does not wrap: the caller must then find out by reading the job.
   */
  async addOnce(data: CallJobData, opts: JobsOptions & { jobId: string }): Promise<boolean | undefined> {
    const probe: ExistenceProbe = { jobKey: this.toKey(opts.jobId) };
    await probes.run(probe, () => this.add(CALL_JOB_NAME, data, opts));
    return probe.existed;
  }
}

type WrappedCommand = (args: unknown[]) => Promise<[unknown, number]>;

/** Runs the wrapped script with the job's key after BullMQ's keys; hands BullMQ its own script's reply. */
async function runReportingExistence(run: WrappedCommand, script: WrappedScript, args: unknown[], probe: ExistenceProbe): Promise<unknown> {
  const keys = script.numberOfKeys - 1;
  // ioredis sends EVALSHA, and EVAL once after a restart or a fail-over emptied Redis' script cache.
  const [reply, existed] = await run([...args.slice(0, keys), probe.jobKey, ...args.slice(keys)]);
  probe.existed = existed === 1;
  return reply;
}
