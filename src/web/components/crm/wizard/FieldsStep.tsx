import { useState } from 'react';
import { FieldsAndFilters } from '../fields/FieldsAndFilters';

/**
 * Step 4, optional: review the default mappings, add custom ones and a filter. "Use the defaults" keeps
 * the one-click path; "Continue" appears once something was saved (everything here is saved as it goes).
 */
export function FieldsStep({ integrationId, platformName, onContinue }: { integrationId: string; platformName: string; onContinue: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    // A plain container, not a region like the other steps: a region named "Fields & filters" would also
    // answer to the name "Filters" and "Field…" lookups of the regions inside it.
    <div className="pcrm-stack">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Fields &amp; filters</h2>
      <p className="pcrm-muted">
        Pulse syncs every contact, company and deal with the default fields. Optional: bring more {platformName} fields, or sync only some records. You can change this later from the integration&apos;s card.
      </p>
      <FieldsAndFilters integrationId={integrationId} crmName={platformName} onSaved={() => setSaved(true)} />
      {/* One bar, kept in view at the dialog's foot: the one-click path is there however long the editor grows. */}
      <div className="pcrm-actions pcrm-actions--sticky">
        <button type="button" className="pcrm-button pcrm-button--primary" onClick={onContinue}>{saved ? 'Continue' : 'Use the defaults'}</button>
      </div>
    </div>
  );
}
