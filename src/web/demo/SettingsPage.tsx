import { useState } from 'react';
import { IntegrationList, IntegrationSetupWizard } from '../components/crm';
import { takeOAuthReturn, type OAuthReturn } from '../components/crm/hooks/oauth-return';

/** The host's Settings page with a "CRM Integrations" tab, as the embedding example shows. */
export function SettingsPage() {
  // A full-page OAuth return resumes the wizard once; closing it forgets the result (issue 11 #3).
  const [resume, setResume] = useState<OAuthReturn>(takeOAuthReturn);
  const [wizardOpen, setWizardOpen] = useState(Boolean(resume.integrationId || resume.error));
  const [notice, setNotice] = useState<string>();

  return (
    <>
      <h1 className="demo-title">Settings</h1>
      <div className="demo-tabs" role="tablist" aria-label="Settings sections">
        <button type="button" role="tab" aria-selected="false" disabled>Profile</button>
        <button type="button" role="tab" aria-selected="true" id="tab-crm" aria-controls="panel-crm">CRM Integrations</button>
        <button type="button" role="tab" aria-selected="false" disabled>Billing</button>
      </div>
      <section id="panel-crm" role="tabpanel" aria-labelledby="tab-crm" className="demo-section">
        <div className="demo-section__head">
          <div>
            <h2>CRM Integrations</h2>
            <p className="demo-muted">Keep your CRM's contacts, companies and deals in Pulse.</p>
          </div>
          <button type="button" className="demo-button demo-button--primary" onClick={() => setWizardOpen(true)}>Connect CRM</button>
        </div>
        {notice && <p className="demo-notice" role="status">{notice}</p>}
        <IntegrationList />
      </section>
      <IntegrationSetupWizard
        isOpen={wizardOpen}
        onClose={() => {
          setWizardOpen(false);
          setResume({});
        }}
        onComplete={(integration) => setNotice(`${integration.displayName ?? 'Your CRM'} is connected. Its first sync runs in the background.`)}
        resumeIntegrationId={resume.integrationId}
        resumeError={resume.error}
      />
    </>
  );
}
