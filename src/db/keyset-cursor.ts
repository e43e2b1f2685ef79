/**
 * Opaque keyset cursors over (timestamp, uuid). The timestamp stays PostgreSQL's text with its
 * microseconds (select it with `timestampText`): a JS Date would round them off and repeat rows.
 */
export const timestampText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

/** The cursor's (timestamp, id), or null when it is not one we issued. */
export function decodeCursor(cursor: string): [string, string] | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  return at && id && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/.test(id) ? [at, id] : null;
}
