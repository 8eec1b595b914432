import type { FieldProblem } from '../validation/field-problems.js';
import { describeProblems } from '../validation/field-problems.js';

/**
 * A job whose data this version cannot read: another schema version, or a shape the schema does not allow (written
 * by hand, or by a version with a bug). Permanent: running it again cannot help; an operator must act.
 */
export class JobContractError extends Error {
  override readonly name = 'JobContractError';
  readonly code = 'JOB_CONTRACT';
  constructor(
    message: string,
    readonly problems: readonly FieldProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super(problems.length ? `${message}: ${describeProblems(problems)}` : message, options);
  }
}
