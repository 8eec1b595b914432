import { basename, extname } from 'node:path';
import { ImportRunNameError } from './import-errors.js';

/** Run names end up in Redis keys and in a metric label, so they are short and plain. */
const RUN_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkRunName(name: string): string {
  if (!RUN_NAME.test(name)) throw new ImportRunNameError(name);
  return name;
}

/** A name for a run not given one: the manifest's (or prefix's) last part and the UTC minute, e.g. `calls-2026-12-02t0504`. */
export function defaultRunName(source: string, now = new Date()): string {
  const base = basename(source.replace(/\/+$/, ''), extname(source)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40) || 'import';
  const stamp = now.toISOString().slice(0, 16).replace(/:/g, '').toLowerCase();
  return `${base}-${stamp}`;
}
