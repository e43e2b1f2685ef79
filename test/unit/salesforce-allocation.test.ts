import { describe, expect, it } from 'vitest';
import { allocationStop, readApiUsage } from '../../src/crm/salesforce/allocation.js';

/** `Sforce-Limit-Info` as Salesforce sends it, and the point where a sync stops spending the org's allocation. */
describe('Salesforce API usage header', () => {
  it.each([
    ['api-usage=25/15000', { used: 25, max: 15000 }],
    ['api-usage=25/15000; api-bursts=1/750', { used: 25, max: 15000 }],
    ['per-app-api-usage=17/250(appName=x); api-usage=18/5000', { used: 18, max: 5000 }],
    ['api-usage=0/110000', { used: 0, max: 110000 }],
  ])('reads %s', (value, usage) => expect(readApiUsage(value)).toEqual(usage));

  it.each([null, '', 'per-app-api-usage=17/250(appName=x)', 'api-usage=abc/100', 'api-usage=5/0'])('reads nothing from %s', (value) => {
    expect(readApiUsage(value)).toBeNull();
  });

  it('lets a sync spend below 95 % and stops it from 95 %, saying how much is used', () => {
    expect(allocationStop(null)).toBeNull();
    expect(allocationStop({ used: 14_249, max: 15_000 })).toBeNull();
    expect(allocationStop({ used: 14_250, max: 15_000 })).toMatch(/^Salesforce's daily API allocation is 95% used \(14,250 of 15,000 requests in the last 24 hours\)\. Pulse stops syncing at 95%/);
    expect(allocationStop({ used: 15_000, max: 15_000 })).toMatch(/100% used/);
  });
});
