/** Everything a HubSpot route needs: the core context plus HubSpot's own parts, passed to each route module. */
import type { CoreOptions, EmulatorContext } from '../core/context.js';
import type { ObjectType } from './objects.js';
import type { WebhookRegistry } from './webhook-registry.js';

export type { RequestState, RouteConfig } from '../core/context.js';

export interface HubspotOptions extends CoreOptions {
  /** The developer API key (`hapikey`) accepted by the webhooks management API. */
  developerApiKey: string;
  anchor: number;
}

/** A change to a record, reported to webhook subscriptions. */
export type RecordChange =
  | { kind: 'creation' | 'deletion' | 'restore'; type: ObjectType; id: number; source: string }
  | { kind: 'propertyChange'; type: ObjectType; id: number; source: string; properties: Record<string, string> }
  | { kind: 'associationChange'; type: ObjectType; id: number; source: string; toType: ObjectType; toId: number; removed: boolean };

export interface HubspotContext extends EmulatorContext {
  webhooks: WebhookRegistry;
  options: HubspotOptions;
  emit(accountId: number, change: RecordChange): void;
}

