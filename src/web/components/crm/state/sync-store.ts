import type { PulseEvent, SyncCounts } from '../../../api/types';
import type { StreamState } from '../../../api/event-stream';

/** What the live event stream says about one integration, on top of what the API last returned. */
export interface LiveIntegration {
  running?: { logId: string; syncType: 'full' | 'incremental'; counts: SyncCounts; object?: string; startedAt: number };
  finished?: { logId: string; status: 'success' | 'partial' | 'failed'; counts: SyncCounts; durationMs: number; at: number };
  needsReauth?: string;
}

export interface Notice {
  id: number;
  integrationId: string;
  tone: 'error' | 'warning';
  message: string;
}

export interface SyncState {
  stream: StreamState;
  live: Record<string, LiveIntegration>;
  notices: Notice[];
  /** Bumped whenever stored data changed, so lists know to fetch again. */
  revision: number;
}

const zero: SyncCounts = { contacts: 0, companies: 0, deals: 0 };
let nextNoticeId = 1;

/** Folds one live event into the state; pure, so the store and tests share it. */
export function applyEvent(state: SyncState, event: PulseEvent, now = Date.now()): SyncState {
  const id = event.integrationId;
  const current = state.live[id] ?? {};
  const put = (live: LiveIntegration, extra: Partial<SyncState> = {}): SyncState =>
    ({ ...state, ...extra, live: { ...state.live, [id]: live }, revision: state.revision + 1 });
  const notice = (tone: Notice['tone'], message: string) => [...state.notices.slice(-4), { id: nextNoticeId++, integrationId: id, tone, message }];

  switch (event.type) {
    case 'sync.started':
      return put({ ...current, running: { logId: event.logId, syncType: event.syncType, counts: zero, startedAt: now } });
    case 'sync.progress':
      return put({ ...current, running: { logId: event.logId, syncType: current.running?.syncType ?? 'incremental', startedAt: current.running?.startedAt ?? now, counts: event.counts, object: event.object } });
    case 'sync.finished':
      return put({ ...current, running: undefined, finished: { logId: event.logId, status: event.status, counts: event.counts, durationMs: event.durationMs, at: now } },
        event.status === 'failed' ? { notices: notice('error', 'A sync failed. Open its history for the reason.') } : {});
    case 'sync.error':
      return put({ ...current, running: undefined }, { notices: notice('error', event.message) });
    case 'integration.needs_reauth':
      return put({ ...current, running: undefined, needsReauth: event.message }, { notices: notice('warning', event.message) });
    case 'integration.connected':
      return put({ ...current, needsReauth: undefined });
    case 'integration.deleted': {
      const { [id]: _gone, ...live } = state.live;
      return { ...state, live, revision: state.revision + 1 };
    }
    default:
      return { ...state, revision: state.revision + 1 };
  }
}

export type SyncStore = ReturnType<typeof createSyncStore>;

/** A tiny external store (for useSyncExternalStore) fed by SyncEventsEffect. */
export function createSyncStore() {
  let state: SyncState = { stream: 'connecting', live: {}, notices: [], revision: 0 };
  const listeners = new Set<() => void>();
  const set = (next: SyncState) => {
    state = next;
    listeners.forEach((listener) => listener());
  };
  return {
    getState: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    apply: (event: PulseEvent) => set(applyEvent(state, event)),
    setStream: (stream: StreamState) => state.stream !== stream && set({ ...state, stream }),
    /** After a local change (PATCH, Sync now) so lists refresh without waiting for an event. */
    touch: () => set({ ...state, revision: state.revision + 1 }),
    dismiss: (noticeId: number) => set({ ...state, notices: state.notices.filter((n) => n.id !== noticeId) }),
  };
}
