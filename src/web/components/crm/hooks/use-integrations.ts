import { usePulseCrm, useSyncState } from '../PulseCrmProvider';
import { useResource } from './use-resource';

/** The caller's integrations, fetched again whenever the live stream says something changed. */
export function useIntegrations() {
  const { api } = usePulseCrm();
  const revision = useSyncState((state) => state.revision);
  return useResource(() => api.integrations(), [api, revision]);
}
