import { useEffect, useRef } from 'react';
import type { IntegrationDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useResource } from '../hooks/use-resource';

const objects = ['contacts', 'companies', 'deals'] as const;

/**
 * Disconnect removes every record synced from this CRM (they belong to the integration and go with
 * it), so the confirmation says how many of each, before anything happens. Nothing changes in the
 * CRM itself.
 */
export function DisconnectConfirm({ integration, name, platformName, onConfirm, onCancel }: { integration: IntegrationDto; name: string; platformName: string; onConfirm: () => void; onCancel: () => void }) {
  const { api } = usePulseCrm();
  const counts = useResource(() => api.recordCounts(integration.id), [api, integration.id]);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  const parts = counts.data
    ? objects.map((object) => `${counts.data![object].toLocaleString()} ${counts.data![object] === 1 ? object.replace(/ies$/, 'y').replace(/s$/, '') : object}`)
    : null;
  const removed = parts && `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

  return (
    <div className="pcrm-alert pcrm-alert--error pcrm-integration__notice pcrm-attention" role="alertdialog" aria-labelledby={`pcrm-disconnect-${integration.id}`} aria-describedby={`pcrm-disconnect-text-${integration.id}`}>
      <div className="pcrm-attention__text">
        <p id={`pcrm-disconnect-${integration.id}`}><strong>Disconnect {name}?</strong></p>
        <p id={`pcrm-disconnect-text-${integration.id}`}>
          {removed ? <>Pulse will delete the {removed} it synced from this account, and its sync history.</>
            : counts.state === 'error' ? <>Pulse will delete every record it synced from this account, and its sync history.</>
            : <>Counting the records synced from this account…</>}{' '}
          Nothing changes in {platformName} itself; you can connect it again later and sync everything anew.
        </p>
      </div>
      <div className="pcrm-attention__actions">
        <button type="button" className="pcrm-button pcrm-button--small pcrm-button--danger" onClick={onConfirm}>Disconnect and delete</button>
        <button type="button" ref={keep} className="pcrm-button pcrm-button--small" onClick={onCancel}>Keep connected</button>
      </div>
    </div>
  );
}
