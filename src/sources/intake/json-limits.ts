import type { FieldProblem } from '../../validation/field-problems.js';

/** How deep and how large free-form JSON may be. */
export interface JsonLimits {
  /** Nesting levels of arrays and objects, the value itself being level 1. @defaultValue 32 for a whole body */
  maxDepth: number;
  /** Length of the value as JSON text, in characters; checked only once the depth is known to be safe. @defaultValue none */
  maxJsonChars?: number;
}

export const BODY_LIMITS: JsonLimits = { maxDepth: 32 };

export interface TreeProblem {
  path: Array<string | number>;
  problem: string;
}

/** At most this many problems are reported: a hostile body could otherwise make the answer as large as itself. */
const MAX_PROBLEMS = 10;

/**
 * Checks a parsed JSON value without recursing (a loop over an explicit stack), so no nesting can overflow the
 * stack here; everything downstream (zod, BullMQ's JSON.stringify, logs) recurses and must only ever see values
 * that passed. Also refuses strings and keys that are not well-formed Unicode, anywhere in the value.
 */
export function jsonTreeProblems(value: unknown, limits: JsonLimits): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const stack: Array<{ value: unknown; path: Array<string | number>; depth: number }> = [{ value, path: [], depth: 0 }];
  while (stack.length && problems.length < MAX_PROBLEMS) {
    const { value: node, path, depth } = stack.pop()!;
    if (typeof node === 'string') {
      if (!node.isWellFormed()) problems.push({ path, problem: 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)' });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limits.maxDepth) {
      // Named where the nesting starts (up to the first array index), not by a path thousands of segments long.
      const firstIndex = path.findIndex((p) => typeof p === 'number');
      problems.push({ path: path.slice(0, firstIndex < 0 ? Math.min(path.length, 4) : Math.min(firstIndex, 4)), problem: `must not nest arrays or objects more than ${limits.maxDepth} levels deep` });
      // One report per offending value is enough.
      return problems;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!;
      if (typeof k === 'string' && !k.isWellFormed()) problems.push({ path, problem: 'has a key that is not well-formed Unicode' });
      stack.push({ value: v, path: [...path, k], depth: depth + 1 });
    }
  }
  if (problems.length === 0 && limits.maxJsonChars !== undefined && JSON.stringify(value).length > limits.maxJsonChars) {
    problems.push({ path: [], problem: `must be at most ${limits.maxJsonChars} characters as JSON` });
  }
  return problems;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

export type ParsedJson = { ok: true; value: unknown } | { ok: false; fields: FieldProblem[] };

/**
 * JSON text (a request body, or JSON carried inside one such as SNS's `Message`) to a value that is safe to
 * validate: valid UTF-8, valid JSON, within the depth limit, every string well-formed. `field` names the text in
 * the answer ('(body)', 'Message').
 */
export function parseJsonWithin(raw: Buffer | string, field: string, limits: JsonLimits = BODY_LIMITS): ParsedJson {
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : fatalUtf8.decode(raw);
  } catch {
    return { ok: false, fields: [{ field, problem: 'is not valid UTF-8' }] };
  }
  let value: unknown;
  try {
    // V8's JSON.parse does not recurse, so any nesting parses; the walk below then bounds it.
    value = JSON.parse(text);
  } catch {
    return { ok: false, fields: [{ field, problem: 'is not valid JSON' }] };
  }
  const problems = jsonTreeProblems(value, limits);
  if (problems.length) return { ok: false, fields: problems.map((p) => ({ field: fieldName(field, p.path), problem: p.problem })) };
  return { ok: true, value };
}

/** `(body)` + `['data', 'callId']` is `data.callId`; `Message` + `['Records', 0]` is `Message.Records.0`. */
export function fieldName(root: string, path: ReadonlyArray<string | number>): string {
  const parts = [root === '(body)' ? '' : root, ...path.map(String)].filter(Boolean);
  return parts.join('.') || root;
}
