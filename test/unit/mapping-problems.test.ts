/**
 * The mappings editor puts each of the API's problems beside the row it names. The problems here are
 * the server's own wording (checkMappings), so a change of wording that loses the row shows up here.
 */
import { describe, expect, it } from 'vitest';
import type { CrmField } from '../../src/crm/connector.js';
import { checkMappings } from '../../src/sync/custom-fields.js';
import { problemsByRow, suggestedName } from '../../src/web/components/crm/fields/mapping-problems.js';

const fields: CrmField[] = [
  { name: 'engagement_score', label: 'Engagement Score', type: 'number', readOnly: false, required: false, custom: true },
  { name: 'loyalty_tier', label: 'Loyalty Tier', type: 'enumeration', options: [{ value: 'GOLD', label: 'Gold' }], readOnly: false, required: false, custom: true },
];

describe('problemsByRow', () => {
  it('puts each server problem beside its row, the Pulse name first when two rows map one CRM field', () => {
    const rows = [
      { pulseField: 'score', crmField: 'engagement_score', pulseType: 'number' as const },
      { pulseField: 'when', crmField: 'engagement_score', pulseType: 'date' as const },
      { pulseField: 'email', crmField: 'loyalty_tier', pulseType: 'enumeration' as const },
      { pulseField: 'x', crmField: 'no_such_field', pulseType: 'text' as const },
      { pulseField: 'tier', crmField: 'loyalty_tier', pulseType: 'enumeration' as const, options: { SILVER: 'Silver' } },
    ];
    const { problems } = checkMappings('contacts', rows, fields, new Set(['email']), 'TestCRM');
    expect(problems).toHaveLength(4);
    const placed = problemsByRow(problems, rows);
    expect(placed.general).toEqual([]);
    expect(placed.rows.map((list) => list.length)).toEqual([0, 1, 1, 1, 1]);
    expect(placed.rows[1]![0]).toContain('cannot be mapped to a Pulse date field "when"');
    expect(placed.rows[3]![0]).toContain('"no_such_field" is not a field');
  });

  it('keeps a problem naming no row above the rows', () => {
    expect(problemsByRow(['Something about the object.'], [{ pulseField: 'a', crmField: 'b' }])).toEqual({ rows: [[]], general: ['Something about the object.'] });
  });
});

describe('suggestedName', () => {
  it('makes a usable Pulse name from a CRM label', () => {
    expect(suggestedName('Loyalty Tier')).toBe('loyaltyTier');
    expect(suggestedName('Qualified to buy?')).toBe('qualifiedToBuy');
    expect(suggestedName('2024 Revenue (€)')).toBe('field2024Revenue');
  });
});
