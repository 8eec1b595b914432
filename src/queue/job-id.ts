/**
 * The job id is derived from the call's clientUniqueId, so every redelivery of one call maps to one BullMQ job.
 * BullMQ ids must not contain ':' and must not be all digits; this encoding escapes ':' (and '%', so that the
 * mapping stays one-to-one) and always starts with a letter. It is kept readable for operators in Bull Board.
 */
export function jobIdForCall(clientUniqueId: string): string {
  return `call-${clientUniqueId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

/** The inverse of {@link jobIdForCall}; undefined when the id was not made by it. */
export function callIdFromJobId(jobId: string): string | undefined {
  if (!jobId.startsWith('call-')) return undefined;
  return jobId.slice(5).replace(/%3A/g, ':').replace(/%25/g, '%');
}
