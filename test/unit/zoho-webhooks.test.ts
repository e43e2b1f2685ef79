import { describe, expect, it } from 'vitest';
import { channelId, channelToken, zohoWebhooks } from '../../src/crm/zoho/webhooks.js';

/** The Zoho notification receiver: the channel token is the check; what each operation becomes for the engine. */
describe('Zoho notification callbacks', () => {
  const secret = 'client-secret';
  const org = '4150868000060000002';
  const body = (over: Record<string, unknown> = {}) => JSON.stringify({ server_time: 1, module: 'Deals', resource_uri: 'x', ids: ['4150868000070000001'], operation: 'update', channel_id: channelId(org), token: channelToken(secret, org), ...over });
  const verify = (text: string, key = secret) => zohoWebhooks.verify({ secret: key, method: 'POST', url: 'http://x/crm/webhooks/zoho', body: text, headers: {} });

  it('takes only a token made with our secret for the org it names, within Zoho\'s 50 characters', () => {
    expect(channelToken(secret, org).length).toBeLessThanOrEqual(50);
    expect(channelId(org)).toMatch(/^\d{1,19}$/);
    expect(verify(body())).toBe(true);
    expect(verify(body(), 'another-secret')).toBe(false);
    expect(verify(body({ token: channelToken(secret, org).replace(org, '4150868000060000003') }))).toBe(false);
    expect(verify(body({ token: undefined }))).toBe(false);
    expect(verify('not json')).toBe(false);
  });

  it('turns a deletion into deletion events, an edit of a record holding lookups into association changes, and nothing else', () => {
    const deleted = zohoWebhooks.parse(body({ operation: 'delete', module: 'Contacts', ids: ['1', '2'] }));
    expect(deleted.ok && deleted.events.map((e) => [e.kind, e.object, e.remoteId, e.accountId])).toEqual([['deletion', 'contacts', '1', org], ['deletion', 'contacts', '2', org]]);
    const edited = zohoWebhooks.parse(body());
    expect(edited.ok && edited.events.map((e) => [e.kind, e.object])).toEqual([['association_change', 'deals']]);
    // Accounts hold no lookups: an edit shows in the next Modified_Time window, nothing to push.
    expect(zohoWebhooks.parse(body({ module: 'Accounts' }))).toEqual({ ok: true, events: [] });
    expect(zohoWebhooks.parse(body({ module: 'Leads', operation: 'delete' }))).toEqual({ ok: true, events: [] });
    expect(zohoWebhooks.parse(body({ ids: 'nope' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^ids/) });
  });
});
