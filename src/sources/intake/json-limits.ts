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

/** A value on the walk's stack: its path is only built (from the parent links) when a problem is reported. */
interface Visit {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Visit | undefined;
}

function pathOf(visit: Visit): Array<string | number> {
  const path: Array<string | number> = [];
  for (let v: Visit | undefined = visit; v?.parent; v = v.parent) path.push(v.key!);
  return path.reverse();
}

/**
 * Checks a parsed JSON value without recursing (a loop over an explicit stack), so no nesting can overflow the
 * stack here; everything downstream (zod, BullMQ's JSON.stringify, logs) recurses and must only ever see values
 * that passed. Also refuses strings and keys that are not well-formed Unicode, anywhere in the value.
 * Every webhook passes through here: nothing is copied per value, paths are made only for the problems.
 */
export function jsonTreeProblems(value: unknown, limits: JsonLimits): TreeProblem[] {
  const problems: TreeProblem[] = [];
  const stack: Visit[] = [{ value, depth: 0, key: undefined, parent: undefined }];
  while (stack.length && problems.length < MAX_PROBLEMS) {
    const visit = stack.pop()!;
    const node = visit.value;
    if (typeof node === 'string') {
      if (!node.isWellFormed()) problems.push({ path: pathOf(visit), problem: 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)' });
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (visit.depth + 1 > limits.maxDepth) {
      // Named where the nesting starts (up to the first array index), not by a path thousands of segments long.
      const path = pathOf(visit);
      const firstIndex = path.findIndex((p) => typeof p === 'number');
      problems.push({ path: path.slice(0, firstIndex < 0 ? Math.min(path.length, 4) : Math.min(firstIndex, 4)), problem: `must not nest arrays or objects more than ${limits.maxDepth} levels deep` });
      // One report per offending value is enough.
      return problems;
    }
    const depth = visit.depth + 1;
    // Pushed last to first, so that problems come out in document order.
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], depth, key: i, parent: visit });
    } else {
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        if (!k.isWellFormed()) problems.push({ path: pathOf(visit), problem: 'has a key that is not well-formed Unicode' });
        // JSON.parse makes "__proto__" an own data property, so reading it gives its value, not the prototype.
        stack.push({ value: (node as Record<string, unknown>)[k], depth, key: k, parent: visit });
      }
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
