/**
 * Opaque keyset cursors over (timestamp, uuid). The timestamp stays PostgreSQL's text with its
 * microseconds (select it with `timestampText`): a JS Date would round them off and repeat rows.
 */
export const timestampText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

const issuedTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The cursor's (timestamp, id), or null when it is not one we issued. Checked to the letter of what
 * `timestampText` produces — a real calendar date in PostgreSQL's range — since a timestamp that
 * JavaScript accepts ("2000", year 275760, February 31st) can still be one PostgreSQL refuses.
 */
export function decodeCursor(cursor: string): [string, string] | null {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || rest.length > 0 || !issuedTimestamp.test(at) || !uuid.test(id)) return null;
  const date = new Date(at);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === at.slice(0, 19) && at >= '0001' ? [at, id] : null;
}
