import { describe, expect, it } from 'vitest';
import { hubspotWebhooks } from '../../src/crm/hubspot/webhooks.js';

/** What each HubSpot event asks of the engine (https://developers.hubspot.com/docs/api/webhooks#webhook-subscriptions). */
describe('HubSpot webhook events', () => {
  const event = (subscriptionType: string, extra: Record<string, unknown> = {}) => ({
    eventId: 1, subscriptionId: 7, portalId: 123, occurredAt: 1_700_000_000_000, subscriptionType, objectId: 55, ...extra,
  });
  const parse = (events: unknown[]) => {
    const parsed = hubspotWebhooks.parse(JSON.stringify(events));
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.events.map(({ kind, object, remoteId, accountId }) => ({ kind, object, remoteId, accountId }));
  };

  it('reads creations, property changes and restores as changes to read, deletions as deletions', () => {
    expect(parse([
      event('contact.creation'), event('company.propertyChange', { propertyName: 'name' }), event('deal.restore'),
      event('contact.deletion'), event('contact.privacyDeletion'),
    ])).toEqual([
      { kind: 'change', object: 'contacts', remoteId: '55', accountId: '123' },
      { kind: 'change', object: 'companies', remoteId: '55', accountId: '123' },
      { kind: 'change', object: 'deals', remoteId: '55', accountId: '123' },
      { kind: 'deletion', object: 'contacts', remoteId: '55', accountId: '123' },
      { kind: 'deletion', object: 'contacts', remoteId: '55', accountId: '123' },
    ]);
  });

  it('keeps association changes on the side that stores them, and leaves out what the engine does not act on', () => {
    expect(parse([
      event('contact.associationChange', { associationType: 'CONTACT_TO_COMPANY', fromObjectId: 1, toObjectId: 2, objectId: undefined }),
      event('contact.merge'), event('ticket.creation'),
    ])).toEqual([{ kind: 'association_change', object: 'contacts', remoteId: '1', accountId: '123' }]);
  });
});
