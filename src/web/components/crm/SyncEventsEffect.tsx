import { useEffect } from 'react';
import type { ApiClient } from '../../api/client';
import { readEventStream } from '../../api/event-stream';
import type { SyncStore } from './state/sync-store';

/** Renders nothing: owns the one live-event subscription and feeds the sync store. */
export function SyncEventsEffect({ api, store }: { api: ApiClient; store: SyncStore }) {
  useEffect(() => {
    const controller = new AbortController();
    void readEventStream(api, controller.signal, { onEvent: store.apply, onState: store.setStream });
    return () => controller.abort();
  }, [api, store]);
  return null;
}
