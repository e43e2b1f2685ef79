/** Everything a Pipedrive route needs: the core context plus Pipedrive's own parts. */
import type { CoreOptions, EmulatorContext } from '../core/context.js';
import type { ObjectType } from './objects.js';
import type { WebhookRegistry } from './webhooks.js';

export interface PipedriveOptions extends CoreOptions {
  anchor: number;
  /** How far listings filtered by `updated_since` trail writes (emulator ms); 0 = not at all. */
  listingLagMs: number;
  /** Real time a list answer takes per record it carries (ms): big pages are not free on the real API. */
  listLatencyMsPerRecord: number;
}

/** A change to a record, for webhooks v2 (`meta.action`, the record now and the fields that changed). */
export interface RecordChange {
  action: 'create' | 'change' | 'delete';
  type: ObjectType;
  accountId: number;
  current: Record<string, unknown>;
  previous: Record<string, unknown> | null;
  source: 'app' | 'api';
  /** A delete that is half of a merge: the record it was merged into (`meta.merged_to_id`). */
  mergedInto?: number;
}

export interface PipedriveContext extends EmulatorContext {
  options: PipedriveOptions;
  /** This emulator's origin as clients reach it (learnt from requests): the token response's `api_domain`. */
  origin: string;
  webhooks: WebhookRegistry;
  emit(change: RecordChange): void;
}
