/**
 * `npm run reliability`: runs every fault scenario of test/faults (the same code the tests run, on real
 * redis-server processes of its own) one after the other, and rewrites the table between the markers in
 * docs/reliability.md with the figures. FAULT_SEED replays another kill schedule; FAULT_ONLY=name,name runs some.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FaultFigures } from '../harness/support/fault-audit.js';
import { aofRedisRestartedMidBacklog } from '../harness/faults/scenarios/aof-restart.js';
import { clusterMasterKilledDuringIntake } from '../harness/faults/scenarios/cluster-failover.js';
import { redisOutOfMemory } from '../harness/faults/scenarios/out-of-memory.js';
import { sentinelFailoverDuringBacklog, sentinelFailoverDuringIntake } from '../harness/faults/scenarios/sentinel-failover.js';
import { DEFAULT_FAULT_SEED, workerSigkillDuringBacklog } from '../harness/faults/scenarios/worker-sigkill.js';
import { renderFaultTable, replaceBetweenMarkers } from './lib/fault-table.js';

const DOC = fileURLToPath(new URL('../docs/reliability.md', import.meta.url));
const seed = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : DEFAULT_FAULT_SEED;
const only = process.env.FAULT_ONLY?.split(',');
const say = (line: string) => process.stdout.write(`${line}\n`);

/** The same sizes as the tests in test/faults. */
const SCENARIOS: Array<[string, () => Promise<FaultFigures>]> = [
  ['sentinel-intake', () => sentinelFailoverDuringIntake({ calls: 80, failoverAfter: 25 })],
  ['sentinel-backlog', () => sentinelFailoverDuringBacklog({ calls: 60, failoverAfter: 15 })],
  ['cluster-intake', () => clusterMasterKilledDuringIntake({ calls: 80, killAfter: 25 })],
  ['aof-restart', () => aofRedisRestartedMidBacklog({ calls: 50, during: 20, killAfter: 12 })],
  ['out-of-memory', () => redisOutOfMemory({ calls: 20 })],
  ['worker-sigkill', () => workerSigkillDuringBacklog({ calls: 60, kills: 5, seed })],
];

const results: FaultFigures[] = [];
for (const [name, run] of SCENARIOS) {
  if (only && !only.includes(name)) continue;
  say(`${name}...`);
  const figures = await run();
  say(`  ${JSON.stringify(figures)}`);
  results.push(figures);
}

const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${await redisVersion()}.`;
const doc = await readFile(DOC, 'utf8');
await writeFile(DOC, replaceBetweenMarkers(doc, 'reliability-figures', `${stamp}\n\n${renderFaultTable(results)}`));
say(`\n${renderFaultTable(results)}\nwritten to docs/reliability.md`);

async function redisVersion(): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[0].replace('v=', 'Redis ') ?? 'Redis';
}
