import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCallJob } from '../../src/queue/call-job-schema.js';
import { JobContractError } from '../../src/queue/job-contract-error.js';
import { classifyFailure } from '../../src/workers/classify-failure.js';

/** Jobs exactly as the code before the schema wrote them to Redis (they live there for up to 30 days). */
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/jobs');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const generic = () => fixture('generic-v1.json') as Record<string, unknown>;

const contractError = (data: unknown): JobContractError => {
  try {
    checkCallJob(data);
  } catch (error) {
    if (error instanceof JobContractError) return error;
    throw error;
  }
  throw new Error('the job was accepted');
};

describe('the call job contract', () => {
  const written: Array<[string, unknown]> = [
    ['a generic webhook job', fixture('generic-v1.json')],
    ['a Twilio job with its resolver hints and trace context', fixture('twilio-v1.json')],
    ...(fixture('s3-objects-v1.json') as unknown[]).map((job, i): [string, unknown] => [`S3 object job ${i + 1} (Connect, Genesys, an import with checkpoints)`, job]),
  ];
  it.each(written)('when a worker takes %s written by the code before the schema, then it is accepted', (_name, job) => {
    expect(() => checkCallJob(job)).not.toThrow();
  });

  it('when a job carries a field a later version added, then it is accepted and the field kept', () => {
    const job = { ...generic(), addedLater: { x: 1 } };
    checkCallJob(job);
    expect(job.addedLater).toEqual({ x: 1 });
  });

  it('when a job has another schema version, then it fails naming both versions and what to do', () => {
    const error = contractError({ ...generic(), schemaVersion: 2 });
    expect(error.message).toMatch(/schemaVersion 2.*only version 1 jobs; run it with the version that wrote it/);
    expect(contractError({ ...generic(), schemaVersion: undefined }).message).toMatch(/schemaVersion missing/);
    expect(contractError('not a job').message).toMatch(/schemaVersion missing/);
  });

  it("when a Twilio job lacks a hint its resolver needs, then it fails naming the hint's field", () => {
    const job = fixture('twilio-v1.json') as { pendingDetails: { hints: Record<string, string> } };
    delete job.pendingDetails.hints.callSid;
    expect(contractError(job).problems).toEqual([{ field: 'pendingDetails.hints.callSid', problem: expect.any(String) }]);
  });

  it('when a job names a resolver no version knows or a recording of no known kind, then it fails naming the field', () => {
    const job = { ...generic(), pendingDetails: { resolver: 'avaya', hints: {} } };
    expect(contractError(job).problems.map((p) => p.field)).toEqual(['pendingDetails.resolver']);
    const badRecording = { ...generic(), recording: { kind: 'ftp', url: 'ftp://x' } };
    expect(contractError(badRecording).problems.map((p) => p.field)).toEqual(['recording.kind']);
  });

  it('when the call details have a wrong type, then the reason names the field and the failure is permanent (job_invalid)', () => {
    const job = generic();
    (job.call as Record<string, unknown>).duration = '12.5';
    const error = contractError(job);
    expect(error.message).toContain('call.duration');
    expect(classifyFailure(error)).toMatchObject({ action: 'fail', failureClass: 'job_invalid' });
  });
});
