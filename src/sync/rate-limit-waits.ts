/**
 * How much of a run's time goes to waiting for its CRM account's rate limit. A run sends requests
 * side by side (one listing per object), so waits overlap, and one request may wait while another is
 * answered: the run is held back only while some request waits for a slot and none is on the wire.
 * A CRM that answers slowly keeps a request on the wire, so that run is not called throttled even if
 * its other requests queue for slots. Kept in memory and read at each heartbeat, so a throttled run
 * costs no extra database write per request.
 */
export const MOSTLY_WAITING = 0.5;

export interface RequestTimeline {
  /** A request starts waiting for the rate limit; call the returned function when the wait is over. */
  waiting(): () => void;
  /** A request goes on the wire; call the returned function once it is answered (or failed). */
  sending(): () => void;
}

export interface RateLimitWaits extends RequestTimeline {
  /**
   * The share of the time since the last sample (or since the meter was made) that the run was held
   * back by the limit, from 0 to 1; starts the next interval.
   */
  sample(): number;
}

export function rateLimitWaits(now: () => number = Date.now): RateLimitWaits {
  let waiting = 0;
  let sending = 0;
  let heldSince: number | null = null;
  let heldMs = 0;
  let intervalStart = now();
  const update = () => {
    const held = waiting > 0 && sending === 0;
    if (held && heldSince === null) heldSince = now();
    if (!held && heldSince !== null) {
      heldMs += now() - heldSince;
      heldSince = null;
    }
  };
  const track = (change: (by: number) => void) => {
    change(1);
    update();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      change(-1);
      update();
    };
  };
  return {
    waiting: () => track((by) => (waiting += by)),
    sending: () => track((by) => (sending += by)),
    sample() {
      const at = now();
      // A stretch still going counts up to now; the rest of it belongs to the next interval.
      if (heldSince !== null) {
        heldMs += at - heldSince;
        heldSince = at;
      }
      const elapsed = at - intervalStart;
      const share = elapsed > 0 ? Math.min(1, heldMs / elapsed) : 0;
      heldMs = 0;
      intervalStart = at;
      return share;
    },
  };
}
