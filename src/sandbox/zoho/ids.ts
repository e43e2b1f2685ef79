/**
 * Zoho record and user ids are 19-digit strings ("4150868000000224005"), past what a JS number holds
 * exactly. The emulator keeps small ordinals in its columns and shows them under a fixed org prefix,
 * so ids stay strings of one length (string order = numeric order), as Zoho's do.
 */
const PREFIX = '4150868';
const DIGITS = 12;

export const toZohoId = (n: number): string => PREFIX + String(n).padStart(DIGITS, '0');

/** The ordinal behind a Zoho id, or NaN when the text is not one of ours. */
export function fromZohoId(id: string | number | undefined | null): number {
  const text = String(id ?? '');
  if (text.length !== PREFIX.length + DIGITS || !text.startsWith(PREFIX) || !/^\d+$/.test(text)) return NaN;
  return Number(text.slice(PREFIX.length));
}

/** Zoho's datetime form: ISO 8601 in the org's zone, seconds precision, an explicit offset (UTC here). */
export const zohoTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

/** Zoho keeps times to the second: everything the emulator stores is truncated so reads and writes agree. */
export const toSecond = (ms: number): number => ms - (((ms % 1000) + 1000) % 1000);
