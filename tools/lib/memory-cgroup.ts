import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A memory-limited cgroup for a benchmark's server process, as a pod's memory limit is: Node sizes V8's heap from
 * it (process.constrainedMemory()), so a process behaves differently in a small pod than on a large host. Needs
 * root and a mounted memory controller, cgroup v2 (memory.max) or v1 (memory.limit_in_bytes); throws a clear error
 * otherwise. The benchmark reads each server's own peak RSS from /proc.
 */
export interface MemoryCgroup {
  /** Put before node's path in a spawn: joins the cgroup, then runs the rest. */
  launcher: string[];
  /** How many times the kernel's OOM killer struck in it (0 where the kernel does not tell). */
  oomKills(): number;
  /** Removes the cgroup once its processes have ended; says so instead of throwing if it cannot. */
  remove(): void;
}

const V2_ROOT = '/sys/fs/cgroup';
const V1_ROOT = '/sys/fs/cgroup/memory';

export function createMemoryCgroup(name: string, limitBytes: number): MemoryCgroup {
  const v2 = existsSync(join(V2_ROOT, 'cgroup.controllers')) && readFileSync(join(V2_ROOT, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('memory');
  const root = v2 ? V2_ROOT : V1_ROOT;
  if (!existsSync(root)) throw new Error(`no cgroup memory controller at ${V2_ROOT} (v2) or ${V1_ROOT} (v1): cannot limit the server's memory`);
  const dir = join(root, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, v2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitBytes));
  } catch (error) {
    throw new Error(`cannot make the memory cgroup ${dir} (root is needed): ${(error as Error).message}`, { cause: error });
  }
  const procs = join(dir, 'cgroup.procs');
  return {
    // The shell writes its own pid into the cgroup, then becomes node (exec keeps the pid): the server is in the
    // cgroup from its first instruction, and the pid the benchmark reads CPU time from is the server's.
    launcher: ['/bin/sh', '-c', `echo $$ > '${procs}' && exec "$@"`, 'sh'],
    oomKills: () => {
      const control = v2 ? join(dir, 'memory.events') : join(dir, 'memory.oom_control');
      return Number(/oom_kill (\d+)/.exec(readFileSync(control, 'utf8'))?.[1] ?? 0);
    },
    remove: () => {
      try {
        rmdirSync(dir);
      } catch (error) {
        process.stderr.write(`could not remove the cgroup ${dir}: ${(error as Error).message}\n`);
      }
    },
  };
}
