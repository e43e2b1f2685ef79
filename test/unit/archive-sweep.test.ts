import { describe, expect, it } from 'vitest';
import { archiveSweepEveryMs, PUSHED_SWEEP_MINUTES, sweepDue } from '../../src/sync/archive-sweep.js';
import { connectorModules } from '../../src/crm/modules.js';

const hour = 3_600_000;

describe('archive sweeps', () => {
  it('are due on the configured interval, at most daily while deletions are pushed, and at every run for 0', () => {
    expect(archiveSweepEveryMs(60, false)).toBe(hour);
    expect(archiveSweepEveryMs(60, true)).toBe(PUSHED_SWEEP_MINUTES * 60_000);
    expect(archiveSweepEveryMs(3 * 24 * 60, true)).toBe(3 * 24 * hour);
    expect(archiveSweepEveryMs(0, true)).toBe(0);
  });

  it('go on from a saved cursor whatever the clock says, and start when never checked or checked long enough ago', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    const justNow = new Date(now - 60_000).toISOString();
    expect(sweepDue({ deletionsCheckedAt: justNow, deletionsCursor: null }, hour, now)).toBe(false);
    expect(sweepDue({ deletionsCheckedAt: justNow, deletionsCursor: { position: 'x', startedAt: justNow } }, hour, now)).toBe(true);
    expect(sweepDue({ deletionsCheckedAt: null, deletionsCursor: null }, hour, now)).toBe(true);
    expect(sweepDue({ deletionsCheckedAt: new Date(now - hour).toISOString(), deletionsCursor: null }, hour, now)).toBe(true);
    expect(sweepDue({ deletionsCheckedAt: justNow, deletionsCursor: null }, 0, now)).toBe(true);
  });

  it('every module says what its deleted listing costs', () => {
    const stated = Object.fromEntries(Object.values(connectorModules).map((module) => [module!.platform, module!.deletedListing]));
    expect(stated).toEqual({ hubspot: 'whole_archive', salesforce: 'filtered', pipedrive: 'filtered', zoho: 'filtered' });
  });
});
