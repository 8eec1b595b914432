#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Queue } from 'bullmq';
import { sinceSchema, reasonSchema } from '../admin/admin-schemas.js';
import { parseTenant } from './parse-tenant.js';
import { LISTABLE_STATES, type ListableState } from '../admin/job-row.js';
import { ConfigError } from '../config/load-config.js';
import type { CallJobData } from '../queue/call-job.js';
import { createCallQueue } from '../queue/call-queue.js';
import { loadCliRedisSettings } from './cli-config.js';
import { checkReplayUsage, EXIT, jobsCommand, replayCommand, showCommand, UsageError, type CliIo } from './cli-commands.js';
import type { ProgressLine } from './import-command.js';
import { addImportCommands } from './import-program.js';
import { withRedis } from './with-redis.js';

/**
 * `gong-ingest`: list, inspect and replay the calls queue's jobs from a shell (kubectl exec, a laptop with a tunnel).
 * Reads only the Redis settings (REDIS_URL, REDIS_MODE, QUEUE_PREFIX…), connects when a command runs, closes Redis
 * and exits at once: 0 done, 1 something could not be done, 2 wrong command line or settings.
 */

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** A progress bar rewritten in place, only on a terminal; elsewhere (logs, CI) plain periodic lines instead. */
const progress: ProgressLine = process.stderr.isTTY ? (text) => process.stderr.write(`\r\x1b[2K${text}`) : undefined;

function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('gong-ingest')
    .description('Operate the gong-ingest calls queue: list jobs, show a call, replay failed jobs, import past calls.')
    .showHelpAfterError()
    .exitOverride();

  program
    .command('jobs')
    .description('List jobs of one state, newest first')
    .addOption(new Option('--state <state>', 'job state').choices(LISTABLE_STATES).default('failed'))
    .option('--limit <n>', 'at most this many jobs (1-1000)', parseLimit, 50)
    .option('--since <time>', 'finished at or after this ISO-8601 time or date', parseSince)
    .option('--reason <text>', 'failed reason contains this text (any case)', parseReason)
    .option('--tenant <id>', "only this tenant's jobs (TENANTS_FILE id, or default)", parseTenant)
    .option('--json', 'print JSON instead of a table', false)
    .action(async (opts: { state: ListableState; limit: number; since?: Date; reason?: string; tenant?: string; json: boolean }) => {
      setExitCode(await withQueue((queue) => jobsCommand(queue, opts, io)));
    });

  program
    .command('replay')
    .description('Move failed jobs back to waiting with attempts reset; a job that already created its Gong call only uploads the media')
    .argument('[jobIds...]', 'job ids (call-…) or call ids')
    .option('--all-failed', 'every failed job (narrow with --since and --reason)', false)
    .option('--since <time>', 'with --all-failed: failed at or after this ISO-8601 time or date', parseSince)
    .option('--reason <text>', 'with --all-failed: failed reason contains this text (any case)', parseReason)
    .option('--dry-run', 'with --all-failed: only list what would be replayed', false)
    .option('--tenant <id>', "with --all-failed: only this tenant's jobs; with call ids: the tenant they belong to", parseTenant)
    .option('--json', 'print JSON', false)
    .action(async (jobIds: string[], opts: { allFailed: boolean; since?: Date; reason?: string; dryRun: boolean; tenant?: string; json: boolean }) => {
      checkReplayUsage(jobIds, opts);
      setExitCode(await withQueue((queue) => replayCommand(queue, jobIds, opts, io)));
    });

  program
    .command('show')
    .description("Show a call's job: state, failure, data and checkpoints (JSON)")
    .argument('<callId>', "the phone system's call id (Gong's clientUniqueId)")
    .option('--tenant <id>', 'the tenant the call belongs to (TENANTS_FILE id); the default tenant when not given', parseTenant)
    .action(async (callId: string, opts: { tenant?: string }) => {
      setExitCode(await withQueue((queue) => showCommand(queue, callId, io, opts.tenant)));
    });

  addImportCommands(program, setExitCode, io, progress);
  return program;
}

/** Opens the queue for one command and always closes it and Redis afterwards. */
async function withQueue(run: (queue: Queue<CallJobData>) => Promise<number>): Promise<number> {
  const settings = loadCliRedisSettings();
  return withRedis(settings, io, async (redis) => {
    const queue = createCallQueue(redis, settings.prefix);
    try {
      return await run(queue);
    } finally {
      await queue.close();
    }
  });
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
}

function parseSince(value: string): Date {
  const parsed = sinceSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'is not a time');
  return parsed.data;
}

function parseReason(value: string): string {
  const parsed = reasonSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'is not a reason text');
  return parsed.data;
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    // Commander has already printed its message (and the help) for its own errors.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.err(error.message);
      return EXIT.usage;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

process.exitCode = await main(process.argv);
// Everything is closed by now; should a stray handle remain, it must not keep an operator's shell waiting.
setTimeout(() => process.exit(), 2_000).unref();
