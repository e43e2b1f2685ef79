/**
 * One record's links to another object type as HubSpot reports them, the same from either side.
 * A contact or deal has at most one primary company; here that is its first company link (which
 * link HubSpot promotes when the primary one goes is not documented). The company reports the same link as
 * primary from its side: association type 2 (company→contact) / 6 (company→deal) next to the
 * unlabeled 280 / 342, mirroring 1 / 5 next to 279 / 341 on the contact / deal
 * (https://developers.hubspot.com/docs/api/crm/associations/v4, "Association type IDs").
 * Links to archived records are left out.
 */
import type { Dataset } from '../core/store.js';
import { ASSOCIATION_TYPES, type ObjectType } from './objects.js';

export interface Link {
  /** Slot of the linked record in its collection. */
  slot: number;
  id: number;
  primary: boolean;
}

/** Whether (type, slot)'s link to the company at companySlot is that record's primary company. */
function isPrimaryCompany(data: Dataset, type: ObjectType, slot: number, companySlot: number): boolean {
  return data.associations.get(type, slot, 'companies')[0] === companySlot;
}

export function linksOf(data: Dataset, from: ObjectType, slot: number, to: ObjectType): Link[] {
  const spec = ASSOCIATION_TYPES[`${from}>${to}`];
  const target = data.collections.get(to);
  if (!spec || !target) return [];
  return data.associations
    .get(from, slot, to)
    .filter((s) => target.isLive(s))
    .map((s) => ({
      slot: s,
      id: target.ids[s]!,
      primary:
        spec.primary !== undefined &&
        (to === 'companies' ? isPrimaryCompany(data, from, slot, s) : from === 'companies' && isPrimaryCompany(data, to, s, slot)),
    }));
}
