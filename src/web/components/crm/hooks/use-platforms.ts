import type { PlatformDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useResource } from './use-resource';

/** Platform names and colours by id, for marks next to integrations. */
export function usePlatforms(): Partial<Record<PlatformDto['id'], PlatformDto>> {
  const { api } = usePulseCrm();
  const platforms = useResource(() => api.platforms(), [api]);
  return Object.fromEntries((platforms.data ?? []).map((p) => [p.id, p]));
}
