import { useState } from 'react';
import type { MappingsSaved, RecordKind } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { useResource } from '../hooks/use-resource';
import { ErrorNotice, Loading } from '../ui/states';
import { Tabs } from '../ui/Tabs';
import { FiltersEditor } from './FiltersEditor';
import { MappingsEditor } from './MappingsEditor';

const objects: { id: RecordKind; label: string }[] = [{ id: 'contacts', label: 'Contacts' }, { id: 'companies', label: 'Companies' }, { id: 'deals', label: 'Deals' }];

/**
 * What syncs of one integration, per object: the filter (which records) and the field mappings (which
 * fields). The same editor serves the wizard's step and the integration's settings page.
 */
export function FieldsAndFilters({ integrationId, crmName, onSaved }: { integrationId: string; crmName: string; onSaved?: (saved: MappingsSaved) => void }) {
  const { api } = usePulseCrm();
  const [object, setObject] = useState<RecordKind>('contacts');
  const [refreshed, setRefreshed] = useState(0);
  const [refresh, setRefresh] = useState<{ state: 'idle' | 'running' } | { state: 'done'; at: string } | { state: 'error'; message: string }>({ state: 'idle' });
  const fields = useResource(() => api.crmFields(integrationId, object), [api, integrationId, object, refreshed]);
  const mappings = useResource(() => api.fieldMappings(integrationId), [api, integrationId]);
  const prefix = `pcrm-fields-${integrationId}`;
  const panelId = `${prefix}-panel`;
  const current = fields.data?.object === object ? fields.data.fields : null;

  const refreshFields = () => {
    setRefresh({ state: 'running' });
    api.refreshCrmFields(integrationId).then(
      (result) => { setRefresh({ state: 'done', at: result.fetchedAt }); setRefreshed((n) => n + 1); },
      (error: Error) => setRefresh({ state: 'error', message: error.message }),
    );
  };

  return (
    <div className="pcrm-stack">
      <Tabs className="pcrm-segmented" label="Object" items={objects} selected={object} onSelect={setObject} idPrefix={`${prefix}-tab`} panelId={panelId} />
      <div id={panelId} role="tabpanel" aria-labelledby={`${prefix}-tab-${object}`} className="pcrm-stack">
        <section aria-labelledby={`${prefix}-filters`} className="pcrm-stack">
          <h3 id={`${prefix}-filters`} className="pcrm-subtitle">Filters</h3>
          <FiltersEditor key={object} integrationId={integrationId} object={object} fields={current} />
        </section>
        <section aria-labelledby={`${prefix}-mappings`} className="pcrm-stack">
          <div className="pcrm-fields-head">
            <h3 id={`${prefix}-mappings`} className="pcrm-subtitle">Field mappings</h3>
            <button type="button" className="pcrm-button pcrm-button--small" onClick={refreshFields} disabled={refresh.state === 'running'}>
              {refresh.state === 'running' ? 'Refreshing…' : 'Refresh fields'}
            </button>
          </div>
          <p className="pcrm-muted" role="status">
            {refresh.state === 'error' ? '' : refresh.state === 'done' ? `Fields read again from ${crmName}.`
              : fields.data?.fetchedAt ? `${crmName}'s fields as read ${new Date(fields.data.fetchedAt).toLocaleString('en-US')}.` : ''}
          </p>
          {refresh.state === 'error' && <ErrorNotice title="Fields not refreshed" message={refresh.message} />}
          {fields.state === 'error' && <ErrorNotice title="Fields did not load" message={fields.error} onRetry={fields.reload} />}
          {mappings.state === 'error' && <ErrorNotice title="Mappings did not load" message={mappings.error} onRetry={mappings.reload} />}
          {!mappings.data || (!current && fields.state === 'loading') ? <Loading label="Loading the fields" lines={3} /> : (
            <MappingsEditor key={object} integrationId={integrationId} object={object} crmName={crmName} fields={current}
              mappings={mappings.data.objects.find((entry) => entry.object === object)}
              onSaved={(saved) => { onSaved?.(saved); mappings.reload(); }} />
          )}
        </section>
      </div>
    </div>
  );
}
