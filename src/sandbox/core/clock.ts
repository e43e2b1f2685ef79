/**
 * The sandbox clock: real time plus an offset an admin can advance, so tests can expire tokens, roll
 * rate-limit windows and move "modified since" forward without sleeping. Everything time-dependent in
 * the sandbox (record timestamps, token expiry, limits, webhook timestamps) reads it.
 */
export interface Clock {
  now(): number;
  advance(ms: number): number;
  offset(): number;
}

export function createClock(initialOffsetMs = 0): Clock {
  let offsetMs = initialOffsetMs;
  return {
    now: () => Date.now() + offsetMs,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
      offsetMs += ms;
      return Date.now() + offsetMs;
    },
    offset: () => offsetMs,
  };
}
