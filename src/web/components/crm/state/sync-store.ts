import type { PulseEvent, SyncCounts } from '../../../api/types';
import type { StreamState } from '../../../api/event-stream';

/** What the live event stream says about one integration, on top of what the API last returned. */
export interface LiveIntegration {
  running?: { logId: string; syncType: 'full' | 'incremental' | 'webhook'; counts: SyncCounts; object?: string; startedAt: number; expected: number | null };
  finished?: { logId: string; status: 'success' | 'partial' | 'failed'; counts: SyncCounts; durationMs: number; at: number };
  needsReauth?: string;
}

export interface Notice {
  id: number;
  integrationId: string;
  tone: 'error' | 'warning';
  message: string;
  /** One failure arrives as several events; the most telling one is kept. */
  weight: number;
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
  const others = state.notices.filter((n) => n.integrationId !== id);
  const mine = state.notices.find((n) => n.integrationId === id);
  // One notice per integration: a new failure replaces the last unless the last says more (error > failed).
  // None while it needs re-auth: its Reconnect notice already explains every failure that follows.
  const notice = (tone: Notice['tone'], message: string, weight: number) =>
    current.needsReauth || (mine && mine.weight > weight) ? state.notices : [...others, { id: nextNoticeId++, integrationId: id, tone, message, weight }];

  switch (event.type) {
    case 'sync.started':
      return put({ ...current, running: { logId: event.logId, syncType: event.syncType, counts: zero, startedAt: now, expected: event.expected } });
    case 'sync.progress':
      return put({ ...current, running: { logId: event.logId, syncType: current.running?.syncType ?? 'incremental', startedAt: current.running?.startedAt ?? now, counts: event.counts, object: event.object, expected: event.expected ?? current.running?.expected ?? null } });
    case 'sync.finished':
      return put({ ...current, running: undefined, finished: { logId: event.logId, status: event.status, counts: event.counts, durationMs: event.durationMs, at: now } },
        { notices: event.status === 'success' ? others : event.status === 'failed' ? notice('error', 'A sync failed. Open its history for the reason.', 1) : state.notices });
    case 'sync.error':
      // An outage Pulse retries by itself is a warning: the card says when; nobody has to act.
      return put({ ...current, running: undefined }, { notices: notice(event.code === 'unreachable' ? 'warning' : 'error', event.message, 2) });
    case 'integration.needs_reauth':
      // No notice: the integration's own Reconnect notice says it, once (two had said the same thing).
      return put({ ...current, running: undefined, needsReauth: event.message }, { notices: others });
    case 'integration.connected':
      return put({ ...current, needsReauth: undefined }, { notices: others });
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
