import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { createApiClient, type ApiClient, type ApiClientOptions } from '../../api/client';
import { createSyncStore, type SyncState, type SyncStore } from './state/sync-store';
import { SyncEventsEffect } from './SyncEventsEffect';

interface PulseCrm {
  api: ApiClient;
  store: SyncStore;
}

const PulseCrmContext = createContext<PulseCrm | null>(null);

export interface PulseCrmProviderProps extends ApiClientOptions {
  children: ReactNode;
}

/**
 * Gives the CRM components their API (base URL, optional bearer token) and the live sync state.
 * Host apps wrap their tree once; a component used without it makes its own (same origin).
 */
export function PulseCrmProvider({ baseUrl, getToken, children }: PulseCrmProviderProps) {
  const value = useMemo(() => ({ api: createApiClient({ baseUrl, getToken }), store: createSyncStore() }), [baseUrl, getToken]);
  return (
    <PulseCrmContext.Provider value={value}>
      <SyncEventsEffect api={value.api} store={value.store} />
      {children}
    </PulseCrmContext.Provider>
  );
}

/** Wraps a component in a default provider when the host app did not supply one. */
export function withPulseCrm<P extends object>(Component: (props: P) => ReactNode) {
  return function WithPulseCrm(props: P) {
    const existing = useContext(PulseCrmContext);
    if (existing) return <Component {...props} />;
    return <PulseCrmProvider><Component {...props} /></PulseCrmProvider>;
  };
}

export function usePulseCrm(): PulseCrm {
  const value = useContext(PulseCrmContext);
  if (!value) throw new Error('Pulse CRM components need <PulseCrmProvider> above them.');
  return value;
}

export function useSyncState<T>(select: (state: SyncState) => T): T {
  const { store } = usePulseCrm();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
