import type { CallIntake } from '../sources/accept-call.js';
import type { FieldProblem } from '../validation/field-problems.js';

/** One row of an import source, read and checked: a call to enqueue, a row to report, or an object to skip. */
export type ImportRow =
  | { line: number; kind: 'call'; intake: CallIntake; recordingKey: string }
  | { line: number; kind: 'invalid'; problems: FieldProblem[] }
  | { line: number; kind: 'skipped'; reason: string; recordingKey: string };

/** Where to start reading again: the last line (or object) durably enqueued, and for S3 its key. */
export interface ImportCursor {
  line: number;
  /** S3 sources: the last key handled, so a resumed listing starts after it instead of listing everything again. */
  key?: string;
}
