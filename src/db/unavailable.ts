/**
 * Whether an error means "the database cannot be reached right now" — a refused or dropped
 * connection, a server shutting down or starting, a full connection table — as opposed to a query
 * that is wrong. Those are answered 503 with Retry-After, and a sync run retries them.
 */
const unavailableSqlStates = new Set(['57P01', '57P02', '57P03', '53300', '55000']);
const unavailableNodeCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOENT']);
const unavailableMessages = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|cannot use a pool after calling end/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || unavailableSqlStates.has(code) || unavailableNodeCodes.has(code))) return true;
  return unavailableMessages.test(error.message);
}

/** A PostgreSQL data exception (class 22): a value the database refused, so the request was bad. */
export function isRejectedValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22') && code.length === 5;
}
