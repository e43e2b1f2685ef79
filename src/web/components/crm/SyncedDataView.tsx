import { useState } from 'react';
import type { RecordKind } from '../../api/types';
import './IntegrationSetupWizard.css';
import { usePulseCrm, useSyncState, withPulseCrm } from './PulseCrmProvider';
import { useResource } from './hooks/use-resource';
import { RecordsTable } from './data/RecordsTable';
import { useIntegrations } from './hooks/use-integrations';
import { Tabs } from './ui/Tabs';

const kinds: { id: RecordKind; label: string }[] = [
  { id: 'contacts', label: 'Contacts' },
  { id: 'companies', label: 'Companies' },
  { id: 'deals', label: 'Deals' },
];

/** The synced contacts, companies and deals, one table per object (its total on its tab), filterable by integration. */
export const SyncedDataView = withPulseCrm(function SyncedDataView() {
  const [kind, setKind] = useState<RecordKind>('contacts');
  const [integrationId, setIntegrationId] = useState('');
  const integrations = useIntegrations();
  const { api } = usePulseCrm();
  const finishedSyncs = useSyncState((state) => Object.values(state.live).map((l) => l.finished?.logId).join());
  const counts = useResource(() => api.recordCounts(integrationId || undefined), [api, integrationId, finishedSyncs]);
  const tabs = kinds.map((k) => ({ ...k, badge: counts.data ? counts.data[k.id].toLocaleString() : undefined }));

  return (
    <section className="pcrm pcrm-data" aria-label="Synced data">
      <div className="pcrm-data__bar">
        <Tabs className="pcrm-segmented" label="Object" items={tabs} selected={kind} onSelect={setKind} idPrefix="pcrm-tab" panelId="pcrm-data-panel" />
        {(integrations.data?.length ?? 0) > 1 && (
          <label className="pcrm-data__filter">
            <span>CRM</span>
            <select value={integrationId} onChange={(event) => setIntegrationId(event.target.value)}>
              <option value="">All</option>
              {integrations.data!.map((i) => <option key={i.id} value={i.id}>{i.displayName ?? i.platform}</option>)}
            </select>
          </label>
        )}
      </div>
      <div id="pcrm-data-panel" role="tabpanel" aria-labelledby={`pcrm-tab-${kind}`}>
        <RecordsTable key={`${kind}:${integrationId}`} kind={kind} integrationId={integrationId || undefined} />
      </div>
    </section>
  );
});
