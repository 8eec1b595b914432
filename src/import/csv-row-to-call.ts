/**
 * A CSV manifest row as the generic webhook's `data` object, so that the webhook's own schema validates it.
 * Columns are the `data` field names; `recording.bucket` and `recording.key` (or `bucket` and `key`) name the
 * recording; `parties` is a JSON array, or else the parties are built from `repEmail`, `repName`, `repUserId`,
 * `customerNumber` and `customerName`. Empty cells are absent fields. `_error` (what a failed-rows file adds) is
 * ignored. Unknown columns are kept, so that the schema refuses them by name as the webhook does.
 */
const NUMERIC = new Set(['durationSeconds']);
const JSON_COLUMNS = new Set(['parties', 'context']);
const PARTY_COLUMNS = new Set(['repEmail', 'repName', 'repUserId', 'customerNumber', 'customerName']);
const RECORDING_COLUMNS: Record<string, 'bucket' | 'key'> = { 'recording.bucket': 'bucket', 'recording.key': 'key', bucket: 'bucket', key: 'key' };
export const IGNORED_COLUMN = '_error';

export function csvRowToCall(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const recording: Record<string, string> = {};
  const partyCells: Record<string, string> = {};
  header.forEach((column, i) => {
    const value = cells[i];
    if (value === undefined || value === '' || column === IGNORED_COLUMN) return;
    if (RECORDING_COLUMNS[column]) recording[RECORDING_COLUMNS[column]!] = value;
    else if (PARTY_COLUMNS.has(column)) partyCells[column] = value;
    else if (NUMERIC.has(column)) data[column] = Number.isFinite(Number(value)) ? Number(value) : value;
    else if (JSON_COLUMNS.has(column)) data[column] = parseJsonCell(value);
    else data[column] = value;
  });
  if (Object.keys(recording).length) data.recording = recording;
  if (data.parties === undefined && Object.keys(partyCells).length) {
    data.parties = partiesFromColumns(partyCells);
    // The rep columns name the primary user unless the row does so itself.
    if (data.primaryUser === undefined && data.primaryUserEmail === undefined) {
      if (partyCells.repUserId) data.primaryUser = partyCells.repUserId;
      else if (partyCells.repEmail) data.primaryUserEmail = partyCells.repEmail;
    }
  }
  else if (Object.keys(partyCells).length) Object.assign(data, partyCells); // beside a parties column: refused by name
  return data;
}

function partiesFromColumns(c: Record<string, string>): unknown[] {
  const parties: Array<Record<string, string>> = [];
  const rep = { ...(c.repName ? { name: c.repName } : {}), ...(c.repEmail ? { emailAddress: c.repEmail } : {}), ...(c.repUserId ? { userId: c.repUserId } : {}) };
  if (Object.keys(rep).length) parties.push(rep);
  const customer = { ...(c.customerName ? { name: c.customerName } : {}), ...(c.customerNumber ? { phoneNumber: c.customerNumber } : {}) };
  if (Object.keys(customer).length) parties.push(customer);
  return parties;
}

/** A cell that is not JSON stays a string, so the schema reports the field as the wrong type. */
function parseJsonCell(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
