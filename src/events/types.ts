/** Records written per object in a run (a sync log's counts). */
export interface SyncCounts {
  contacts: number;
  companies: number;
  deals: number;
}

/**
 * Live events a user's browser sees over SSE. Each names its user so the fan-out can deliver it to
 * that user's streams only.
 */
export type PulseEvent =
  | { type: 'integration.connected'; integrationId: string }
  | { type: 'integration.updated'; integrationId: string }
  | { type: 'integration.needs_reauth'; integrationId: string; message: string }
  | { type: 'integration.deleted'; integrationId: string }
  | { type: 'sync.started'; integrationId: string; logId: string; syncType: 'full' | 'incremental' | 'webhook'; expected: number | null }
  | { type: 'sync.progress'; integrationId: string; logId: string; counts: SyncCounts; object: string; expected: number | null }
  | { type: 'sync.finished'; integrationId: string; logId: string; status: 'success' | 'partial' | 'failed'; counts: SyncCounts; durationMs: number }
  | { type: 'sync.error'; integrationId: string; logId?: string; code: string; message: string };

/** An event as an SSE message carries it: the event plus when it happened. */
export type PulseEventMessage = PulseEvent & { at: string };

export interface Envelope {
  userId: string;
  event: PulseEvent;
  at: string;
}

export interface EventBus {
  publish(userId: string, event: PulseEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(userId: string, listener: (event: PulseEvent, at: string) => void): () => void;
  close(): Promise<void>;
}
