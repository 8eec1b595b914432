import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config/load-config.js';
import { createImportService, type ImportService } from '../import/import-service.js';
import { createCallQueue } from '../queue/call-queue.js';
import { createS3Client } from '../storage/s3-recordings.js';
import { createGongTraffic } from '../traffic/gong-traffic.js';
import type { CliIo } from './cli-commands.js';
import { loadCliImportSettings } from './cli-import-config.js';
import { checkImportUsage, importCommand, importsCommand, type ImportOptions, type ProgressLine } from './import-command.js';
import { withRedis } from './with-redis.js';
import { parseTenant } from './parse-tenant.js';

/** `import` and `imports`: historical imports beside live traffic (docs/import.md). */
export function addImportCommands(program: Command, setExitCode: (code: number) => void, io: CliIo, progress: ProgressLine): void {
  program
    .command('import')
    .description('Import past calls from a manifest (JSON Lines or CSV) or every recording under an S3 prefix, behind live calls')
    .argument('[source]', 'manifest file (.jsonl, .csv) or s3://bucket/prefix/')
    .option('--name <name>', 'name of the run (a-z, 0-9, . _ -), for imports, --resume and --cancel')
    .option('--dry-run', 'check every row and recording, queue nothing; exit code 1 when any row is invalid', false)
    .option('--resume <name>', 'continue a run after a crash, from the last line queued')
    .option('--cancel <name>', "remove the run's jobs that have not reached Gong")
    .option('--no-wait', 'return once every row is queued instead of watching the calls reach Gong')
    .option('--failed-rows <file>', 'where to write the rows that failed, ready to fix and import again')
    .option('--batch-size <n>', 'rows queued per batch (and per resume point)', parseCount, 500)
    .option('--max-queued <n>', 'pause reading while the queue holds more waiting jobs than this', parseCount, 10_000)
    .option('--progress-seconds <n>', 'without a terminal, print progress this often', parseSeconds, 10)
    .option('--tenant <id>', 'import into this TENANTS_FILE tenant (its buckets, its Gong, its budget); the default tenant when not given', parseTenant)
    .option('--json', 'print JSON', false)
    .action(async (source: string | undefined, opts: ImportOptions) => {
      checkImportUsage(source, opts);
      const needsBuckets = opts.cancel === undefined && opts.resume === undefined;
      const tuning = { batchSize: opts.batchSize, maxQueued: opts.maxQueued };
      setExitCode(await withImports(needsBuckets, io, (service) => importCommand(service, source, opts, io, progress), tuning));
    });

  program
    .command('imports')
    .description('List import runs, newest first: name, source, created, counts by state, ETA')
    .option('--limit <n>', 'at most this many runs', parseLimit, 50)
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean; limit: number }) => {
      setExitCode(await withImports(false, io, (service) => importsCommand(service, opts, io)));
    });
}

async function withImports(needsBuckets: boolean, io: CliIo, run: (service: ImportService) => Promise<number>, tuning: { batchSize?: number; maxQueued?: number } = {}): Promise<number> {
  const settings = loadCliImportSettings();
  if (needsBuckets && !settings.s3.allowedBuckets) throw new ConfigError(['S3_ALLOWED_BUCKETS: is required to import (the buckets the service may read)']);
  return withRedis(settings.redis, io, async (redis) => {
    const queue = createCallQueue(redis, settings.redis.prefix);
    const s3 = createS3Client(settings.s3);
    try {
      const budget = createGongTraffic({ redis, prefix: settings.redis.prefix, ...settings.traffic });
      // Built once per tenant: the watch loop asks for the run's target (its budget, for the ETA) at every tick.
      const targets = new Map(
        settings.tenants.map((t) => {
          const traffic = { ...settings.traffic, perSecond: t.ratePerSecond, dailyLimit: t.dailyLimit };
          return [t.id, { allowedBuckets: t.allowedBuckets, traffic, budget: createGongTraffic({ redis, prefix: settings.redis.prefix, ...traffic, tenant: t.id }) }];
        }),
      );
      const tenant = (id: string) => targets.get(id);
      const service = createImportService({ queue, redis, prefix: settings.redis.prefix, s3, allowedBuckets: settings.s3.allowedBuckets ?? [], retention: settings.retention, traffic: settings.traffic, budget, tenants: tenant, ...tuning });
      return await run(service);
    } finally {
      s3.destroy();
      await queue.close();
    }
  });
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new InvalidArgumentError('must be a number of seconds from 0 to 3600');
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError('must be a whole number from 1 to 1000000');
  return n;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
}
