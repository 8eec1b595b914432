import { csvRecords } from '../../src/import/csv-records.js';
import { csvRowToCall } from '../../src/import/csv-row-to-call.js';
import { validateRow } from '../../src/import/validate-row.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

const read = async (text: string, size = 3) => {
  const out: Array<{ line: number; cells: string[] }> = [];
  for await (const record of csvRecords(chunked(text, size))) out.push(record);
  return out;
};

describe('CSV manifest reading', () => {
  it('When fields are quoted with commas, doubled quotes and newlines, split across chunks, then each record keeps its cells and starting line', async () => {
    const records = await read('a,b,c\r\n1,"x, ""y""\nz",3\n\n4,,"6"\n7,8,9');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x, "y"\nz', '3'] },
      { line: 5, cells: ['4', '', '6'] },
      { line: 6, cells: ['7', '8', '9'] },
    ]);
  });

  it('When a row uses the rep and customer columns, then it becomes parties with the rep as primary user', () => {
    const header = ['callId', 'startedAt', 'direction', 'repEmail', 'repName', 'customerNumber', 'recording.bucket', 'recording.key', 'durationSeconds', '_error'];
    const data = csvRowToCall(header, ['c1', '2025-01-01T00:00:00Z', 'Inbound', 'ann@acme.com', 'Ann', '+15551230000', 'recordings', 'k.wav', '12', 'old reason']);
    expect(data).toEqual({
      callId: 'c1',
      startedAt: '2025-01-01T00:00:00Z',
      direction: 'Inbound',
      primaryUserEmail: 'ann@acme.com',
      parties: [{ name: 'Ann', emailAddress: 'ann@acme.com' }, { phoneNumber: '+15551230000' }],
      recording: { bucket: 'recordings', key: 'k.wav' },
      durationSeconds: 12,
    });
    expect(validateRow(2, data, new Set(['recordings']))).toMatchObject({ kind: 'call', intake: { clientUniqueId: 'c1', rep: { email: 'ann@acme.com' } } });
  });

  it('When a row has an unknown column or a parties cell that is not JSON, then validation names those fields as the webhook would', () => {
    const header = ['callId', 'startedAt', 'direction', 'primaryUser', 'parties', 'bucket', 'key', 'colour'];
    const row = validateRow(3, csvRowToCall(header, ['c2', '2025-01-01T00:00:00Z', 'Inbound', '1', '[{"userId":"1"', 'recordings', 'k.wav', 'blue']), new Set(['recordings']));
    expect(row.kind).toBe('invalid');
    const fields = row.kind === 'invalid' ? row.problems.map((p) => p.field) : [];
    expect(fields).toEqual(expect.arrayContaining(['parties', '(body)']));
    expect(JSON.stringify(row)).toContain('colour');
  });

  it('When a valid row names a bucket the service may not read, then it is invalid on recording.bucket', () => {
    const row = validateRow(4, { callId: 'c3', startedAt: '2025-01-01T00:00:00Z', direction: 'Inbound', primaryUser: '1', parties: [{ userId: '1' }], recording: { bucket: 'elsewhere', key: 'k' } }, new Set(['recordings']));
    expect(row).toMatchObject({ kind: 'invalid', problems: [{ field: 'recording.bucket' }] });
  });
});
