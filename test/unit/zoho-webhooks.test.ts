import { describe, expect, it } from 'vitest';
import { channelId, channelToken, zohoWebhooks } from '../../src/crm/zoho/webhooks.js';

/** The Zoho notification receiver: the channel token is the check; what each operation becomes for the engine, under which key. */
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

  it('turns inserts and edits into changes to read, deletions into deletion events, and nothing else', () => {
    const kinds = (over: Record<string, unknown>) => {
      const parsed = zohoWebhooks.parse(body(over));
      if (!parsed.ok) throw new Error(parsed.problem);
      return parsed.events.map((e) => [e.kind, e.object, e.remoteId, e.accountId]);
    };
    expect(kinds({ operation: 'insert', module: 'Contacts', ids: ['1', '2'] })).toEqual([['change', 'contacts', '1', org], ['change', 'contacts', '2', org]]);
    // Every module's edits, lookups or none (Accounts hold none): the record is read by id, lookups with it.
    expect(kinds({ operation: 'update', module: 'Accounts', ids: ['3'] })).toEqual([['change', 'companies', '3', org]]);
    expect(kinds({ operation: 'update' })).toEqual([['change', 'deals', '4150868000070000001', org]]);
    expect(kinds({ operation: 'delete', module: 'Contacts', ids: ['1', '2'] })).toEqual([['deletion', 'contacts', '1', org], ['deletion', 'contacts', '2', org]]);
    // Modules we do not sync, operations we do not know (not even an inherited property's name).
    expect(kinds({ module: 'Leads', operation: 'delete' })).toEqual([]);
    expect(kinds({ operation: 'approve' })).toEqual([]);
    expect(kinds({ operation: 'constructor' })).toEqual([]);
    expect(zohoWebhooks.parse(body({ ids: 'nope' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/^ids/) });
  });

  it('gives a redelivered callback the keys it had, and another change of the same record new ones', () => {
    const keys = (over: Record<string, unknown>) => {
      const parsed = zohoWebhooks.parse(body(over));
      return parsed.ok ? parsed.events.map((e) => e.key) : [];
    };
    const first = keys({ server_time: 1_764_000_000_000 });
    expect(keys({ server_time: 1_764_000_000_000 })).toEqual(first);
    expect(keys({ server_time: 1_764_000_005_000 })).not.toEqual(first);
    expect(keys({ server_time: 1_764_000_000_000, operation: 'insert' })).not.toEqual(first);
  });
});
