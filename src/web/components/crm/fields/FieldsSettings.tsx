import { useState } from 'react';
import type { IntegrationDto } from '../../../api/types';
import { Modal } from '../ui/Modal';
import { FieldsAndFilters } from './FieldsAndFilters';

/** The integration's "Fields & filters" settings: a button on its card that opens the editor in a dialog. */
export function FieldsSettingsButton({ integration, crmName }: { integration: IntegrationDto; crmName: string }) {
  const [open, setOpen] = useState(false);
  const titleId = `pcrm-fields-title-${integration.id}`;
  return (
    <>
      <button type="button" className="pcrm-button pcrm-button--small" aria-haspopup="dialog" onClick={() => setOpen(true)}>Fields &amp; filters</button>
      <Modal isOpen={open} onClose={() => setOpen(false)} labelledBy={titleId} initialFocus={titleId}>
        <div className="pcrm-wizard">
          <header className="pcrm-wizard__header">
            <h2 id={titleId} className="pcrm-wizard__title" tabIndex={-1}>Fields &amp; filters · {integration.displayName ?? crmName}</h2>
            <button type="button" className="pcrm-icon-button" aria-label="Close" onClick={() => setOpen(false)}>×</button>
          </header>
          <div className="pcrm-wizard__body">
            <p className="pcrm-muted">Which {crmName} records sync, and which of their fields Pulse keeps beside the unified columns.</p>
            <FieldsAndFilters integrationId={integration.id} crmName={crmName} />
          </div>
        </div>
      </Modal>
    </>
  );
}
