import { useEffect, useRef, useState } from 'react';
import type { IntegrationDto, PlatformDto } from '../../api/types';
import './IntegrationSetupWizard.css';
import { usePulseCrm, withPulseCrm } from './PulseCrmProvider';
import { usePlatforms } from './hooks/use-platforms';
import { useResource } from './hooks/use-resource';
import { Modal } from './ui/Modal';
import { ConnectionTest } from './wizard/ConnectionTest';
import { FieldsStep } from './wizard/FieldsStep';
import { OAuthConfiguration } from './wizard/OAuthConfiguration';
import { PlatformSelector } from './wizard/PlatformSelector';
import { SetupComplete } from './wizard/SetupComplete';
import { WizardSteps } from './wizard/WizardSteps';

export interface IntegrationSetupWizardProps {
  isOpen: boolean;
  onClose: () => void;
  onComplete?: (integration: IntegrationDto) => void;
  /** After a full-page OAuth redirect (popup blocked): continue with this integration's test. */
  resumeIntegrationId?: string;
  /** After a full-page OAuth redirect that failed: the reason to show on the first step. */
  resumeError?: string;
}

type Stage =
  | { step: 0; error?: string }
  | { step: 1; platform: PlatformDto; error?: string; integrationId?: string }
  | { step: 2; platform?: PlatformDto; integrationId: string }
  | { step: 3; platform?: PlatformDto; integrationId: string }
  | { step: 4; integrationId: string };

/** The guided setup: choose a CRM, authorize it, test the connection, optionally choose fields and filters, watch the first sync. */
export const IntegrationSetupWizard = withPulseCrm(function IntegrationSetupWizard(props: IntegrationSetupWizardProps) {
  return (
    <Modal isOpen={props.isOpen} onClose={props.onClose} labelledBy="pcrm-wizard-title" initialFocus="pcrm-step-title">
      <WizardBody {...props} />
    </Modal>
  );
});

function WizardBody({ onClose, onComplete, resumeIntegrationId, resumeError }: IntegrationSetupWizardProps) {
  const [stage, setStage] = useState<Stage>(() =>
    resumeIntegrationId ? { step: 2, integrationId: resumeIntegrationId } : { step: 0, error: resumeError });
  // Resumed after a full-page redirect, only the integration is known: its platform comes from the API.
  const { api } = usePulseCrm();
  const platforms = usePlatforms();
  const resumed = useResource(() => (resumeIntegrationId ? api.integration(resumeIntegrationId) : Promise.resolve(null)), [api, resumeIntegrationId]);
  const platform = ('platform' in stage && stage.platform) || (resumed.data ? platforms[resumed.data.platform] : undefined);
  const platformName = platform?.name ?? 'your CRM';
  // The button that moved on is gone with its step: put focus on the new step's heading instead.
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    document.getElementById('pcrm-step-title')?.focus();
  }, [stage.step]);

  return (
    <div className="pcrm-wizard">
      <header className="pcrm-wizard__header">
        <h1 id="pcrm-wizard-title" className="pcrm-wizard__title">Connect a CRM</h1>
        <button type="button" className="pcrm-icon-button" aria-label="Close" onClick={onClose}>×</button>
      </header>
      <WizardSteps current={stage.step} />
      <div className="pcrm-wizard__body">
        {stage.step === 0 && (
          <>
            {stage.error && <p className="pcrm-alert pcrm-alert--error" role="alert"><span><strong>Not connected.</strong> {stage.error}</span></p>}
            <PlatformSelector onSelect={(platform) => setStage({ step: 1, platform })} />
          </>
        )}
        {stage.step === 1 && (
          <OAuthConfiguration
            key={stage.error}
            platform={stage.platform}
            initialError={stage.error}
            integrationId={stage.integrationId}
            onBack={() => setStage({ step: 0 })}
            onConnected={(integrationId) => setStage({ step: 2, platform: stage.platform, integrationId })}
          />
        )}
        {stage.step === 2 && (
          <ConnectionTest
            integrationId={stage.integrationId}
            platformName={platformName}
            onContinue={() => setStage({ step: 3, platform, integrationId: stage.integrationId })}
            onReconnect={() => setStage(platform ? { step: 1, platform, integrationId: stage.integrationId } : { step: 0 })}
          />
        )}
        {stage.step === 3 && (
          <FieldsStep integrationId={stage.integrationId} platformName={platformName} onContinue={() => setStage({ step: 4, integrationId: stage.integrationId })} />
        )}
        {stage.step === 4 && (
          <SetupComplete
            integrationId={stage.integrationId}
            onDone={(integration) => {
              onComplete?.(integration);
              onClose();
            }}
          />
        )}
      </div>
    </div>
  );
}
