import { z } from 'zod';
import { bucketNameProblem, s3KeyProblem } from '../../storage/s3-key-rules.js';
import { jsonTreeProblems, type JsonLimits } from './json-limits.js';

/**
 * The rules every intake route applies to the ids and keys it takes, in one place, so that no source can accept
 * what another refuses. Each rule returns why a value is refused (the `problem` of a 400's field list) or
 * undefined. Values are checked where they enter, before anything stores, logs or recurses on them.
 */

export { bucketNameProblem, MAX_S3_KEY_BYTES, s3KeyProblem } from '../../storage/s3-key-rules.js';

/** Gong's limit on `clientUniqueId`, which a call id becomes unchanged. */
export const MAX_CALL_ID_CHARS = 2048;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NOT_WELL_FORMED = 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';

/**
 * Free text (titles, vendor fields): well-formed Unicode within a length. A lone surrogate is refused because it
 * does not survive the trip through Redis and Gong as the same text.
 */
export function textProblem(value: string, maxChars: number): string | undefined {
  if (!value.isWellFormed()) return NOT_WELL_FORMED;
  if (value.length > maxChars) return `must be at most ${maxChars} characters`;
  return undefined;
}

/**
 * An identifier (a call id, a vendor's id): also not blank and without control characters. Redis stores a job id
 * as UTF-8, so an id that is not well-formed would come back as another id: a job nobody could find again.
 */
export function idProblem(value: string, maxChars = MAX_CALL_ID_CHARS): string | undefined {
  if (!value.isWellFormed()) return NOT_WELL_FORMED;
  if (value.trim().length === 0) return 'must not be blank (empty or whitespace only)';
  if (value.length > maxChars) return `must be at most ${maxChars} characters`;
  if (CONTROL.test(value)) return 'must not hold control characters';
  return undefined;
}

/** A zod string checked by one of the rules above, so that schemas share the rules instead of copying them. */
export function ruledString(rule: (value: string) => string | undefined): z.ZodType<string> {
  return z.string().superRefine((value, ctx) => {
    const problem = rule(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A call id that becomes Gong's clientUniqueId. */
export const callIdString = (maxChars = MAX_CALL_ID_CHARS) => ruledString((v) => idProblem(v, maxChars));
/** Free text within a length. */
export const textString = (maxChars: number) => ruledString((v) => textProblem(v, maxChars));
/** An S3 object key the reader will accept. */
export const s3KeyString = () => ruledString(s3KeyProblem);
/** An S3 bucket name. */
export const bucketString = () => ruledString(bucketNameProblem);

/**
 * Free-form JSON a sender may pass through to Gong (`context`): bounded in depth and size, checked without
 * recursion before zod or BullMQ ever walk it (see json-limits.ts).
 */
export function boundedJson<T extends z.ZodType>(schema: T, limits: JsonLimits) {
  return schema.superRefine((value, ctx) => {
    for (const p of jsonTreeProblems(value, limits)) ctx.addIssue({ code: 'custom', path: p.path, message: p.problem });
  });
}

/** Gong's `context`: 10 levels hold its system → objects → fields shape with room to spare; 64 KiB as JSON. */
export const CONTEXT_LIMITS: JsonLimits = { maxDepth: 10, maxJsonChars: 64 * 1024 };
