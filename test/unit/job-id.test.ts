import { callIdFromJobId, jobIdForCall } from '../../src/queue/job-id.js';

describe('job ids derived from call ids', () => {
  it('gives the same id for the same call every time', () => {
    expect(jobIdForCall('pbx-000123')).toBe(jobIdForCall('pbx-000123'));
  });

  it('never contains ":" and is never all digits, as BullMQ requires', () => {
    for (const id of ['twilio:CA123', '12345', 'a:b:c', '%3A']) {
      const jobId = jobIdForCall(id);
      expect(jobId).not.toContain(':');
      expect(jobId).not.toMatch(/^\d+$/);
    }
  });

  it('keeps different calls apart, even when escaping could make them collide', () => {
    expect(jobIdForCall('a:b')).not.toBe(jobIdForCall('a%3Ab'));
  });

  it('can be turned back into the call id', () => {
    for (const id of ['twilio:CA123', 'a%3Ab', 'pbx-1']) expect(callIdFromJobId(jobIdForCall(id))).toBe(id);
    expect(callIdFromJobId('something-else')).toBeUndefined();
  });
});
