import { formatDuration } from '../import/estimate-duration.js';
import type { ImportRun } from '../import/run-store.js';

/** Calls settled (in Gong or failed for good) over the last minute: the measured rate the ETA uses. */
export class RateMeter {
  private readonly samples: Array<{ at: number; settled: number }> = [];
  constructor(private readonly windowMs = 60_000) {}
  add(settled: number, at = Date.now()): void {
    this.samples.push({ at, settled });
    while (this.samples.length > 2 && this.samples[0]!.at < at - this.windowMs) this.samples.shift();
  }
  /** Calls per second, undefined until there are two samples a second apart with progress between them. */
  perSecond(): number | undefined {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < 1_000 || last.settled === first.settled) return undefined;
    return ((last.settled - first.settled) * 1000) / (last.at - first.at);
  }
}

/** One line: `read 1200  queued 1100  in Gong 300  failed 2  invalid 3  ETA 12 min 5 s`. */
export function progressLine(run: ImportRun, etaSeconds: number | undefined): string {
  const c = run.counts;
  const parts = [`read ${c.read}`, `queued ${c.queued}`, `in Gong ${c.inGong}`, `failed ${c.failed}`, `invalid ${c.invalid}`];
  if (c.duplicate) parts.push(`already known ${c.duplicate}`);
  if (c.skipped) parts.push(`skipped ${c.skipped}`);
  if (c.cancelled) parts.push(`cancelled ${c.cancelled}`);
  parts.push(`ETA ${run.status === 'reading' && etaSeconds !== undefined ? `≥ ${formatDuration(etaSeconds)}` : formatDuration(etaSeconds ?? NaN)}`);
  return parts.join('  ');
}

/** `[########------------] 40%` of the queued calls settled, for a terminal. */
export function progressBar(run: ImportRun, width = 24): string {
  const settled = run.counts.inGong + run.counts.failed + run.counts.cancelled;
  const share = run.counts.queued > 0 ? Math.min(1, settled / run.counts.queued) : 0;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
}
