import { describe, expect, it } from 'vitest';
import { objectTypes, platformIds, platforms } from '../../src/crm/platforms.js';

const redirectFieldName = {
  hubspot: /add the redirect URL shown here exactly/,
  salesforce: /add the callback URL shown here exactly/,
  pipedrive: /Add the callback URL shown here exactly/,
  zoho: /Add the authorized redirect URI shown here exactly/,
} as const;

/** The registry is data the code trusts: check it like code. */
describe('platform registry', () => {
  it.each(platformIds)('%s describes objects, tiers, scopes and setup steps', (id) => {
    const spec = platforms[id];
    expect(spec.id).toBe(id);
    expect(Object.keys(spec.objects).sort()).toEqual([...objectTypes].sort());
    expect(spec.tiers.length).toBeGreaterThan(0);
    expect(spec.setupSteps.length).toBeGreaterThan(2);
    // Each CRM's own name for the field, so the step matches the settings page the user is on.
    expect(spec.setupSteps.join(' ')).toMatch(redirectFieldName[id]);
    for (const url of [spec.oauth.authorizeUrl, spec.oauth.tokenUrl, spec.apiBaseUrl, spec.docsUrl]) expect(url).toMatch(/^https:\/\//);
  });

  it.each(platformIds)('%s has required scopes that let every object be read', (id) => {
    const spec = platforms[id];
    for (const object of objectTypes) {
      expect(spec.scopes.some((scope) => scope.required && scope.reads?.includes(object)), `${id} ${object}`).toBe(true);
    }
  });
});
