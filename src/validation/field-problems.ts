import type { z } from 'zod';

/** One invalid field of something the service was given: a webhook body, an admin query, a setting, a job. */
export interface FieldProblem {
  /** Dotted path, e.g. `data.parties.0.phoneNumber`; the whole input's name when the input itself is wrong. */
  field: string;
  problem: string;
}

export interface ZodProblemOptions {
  /** Put before every path, e.g. `query`. @defaultValue '' */
  prefix?: string;
  /** The field named when the issue has no path. @defaultValue the prefix, else '(body)' */
  whole?: string;
  /** Name each unknown key as the field (strict schemas), instead of zod's "Unrecognized key" on the parent. @defaultValue false */
  nameUnknownKeys?: boolean;
}

/** The one translation of zod's issues into field problems. */
export function zodFieldProblems(error: z.ZodError, options: ZodProblemOptions = {}): FieldProblem[] {
  const { prefix = '', nameUnknownKeys = false } = options;
  const whole = options.whole ?? (prefix || '(body)');
  return error.issues.map((issue) => {
    const unknownKeys = nameUnknownKeys && issue.code === 'unrecognized_keys';
    const path = unknownKeys ? issue.keys.join(', ') : issue.path.map(String).join('.');
    const field = path ? [prefix, path].filter(Boolean).join('.') : whole;
    return { field, problem: unknownKeys ? 'is not a known field' : issue.message };
  });
}

/** Field problems as one line of text, for logs, job reasons and start-up errors. */
export function describeProblems(problems: readonly FieldProblem[], separator = '; '): string {
  return problems.map((p) => `${p.field}: ${p.problem}`).join(separator);
}
