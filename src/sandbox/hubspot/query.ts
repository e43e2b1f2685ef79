/** Parsing of HubSpot query-string conventions (csv or repeated params, boolean strings, cursors). */
import { resolveObjectType, type ObjectType } from './objects.js';

export function csv(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const list = parts.map((p) => p.trim()).filter(Boolean);
  return list.length > 0 ? list : undefined;
}

export function bool(value: unknown): boolean {
  return String(Array.isArray(value) ? value[0] : value).toLowerCase() === 'true';
}

export function objectTypes(value: unknown): ObjectType[] | undefined {
  const list = csv(value)?.map(resolveObjectType).filter((t): t is ObjectType => t !== undefined);
  return list && list.length > 0 ? [...new Set(list)] : undefined;
}

/**
 * List cursors are the id to resume at. We emit plain digits; base64 forms of digits (as in HubSpot's
 * spec example, "NTI1Cg%3D%3D") are accepted too. Returns NaN when the cursor is not one of ours.
 */
export function parseListCursor(value: unknown): number {
  if (value === undefined || value === '') return 0;
  const text = decodeURIComponent(String(value));
  if (/^\d+$/.test(text)) return Number(text);
  const decoded = Buffer.from(text, 'base64').toString('utf8').trim();
  return /^\d+$/.test(decoded) ? Number(decoded) : Number.NaN;
}

/** `limit` with HubSpot's default; non-numbers → NaN so the route can answer 400. */
export function parseLimit(value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isInteger(n) ? n : Number.NaN;
}
