import { useState } from 'react';
import { ApiError } from '../../../api/client';
import type { PlatformDto } from '../../../api/types';
import { usePulseCrm } from '../PulseCrmProvider';
import { connectWithPopup } from '../hooks/oauth-popup';
import { CredentialsNotice } from './CredentialsNotice';
import { connectFailureMessage } from './connect-failure';
import { DeveloperSetup } from './DeveloperSetup';
import { defaultLoginHost, LoginHostChoice, type LoginHostValue } from './LoginHostChoice';
import { ScopeList } from './ScopeList';

interface Props {
  platform: PlatformDto;
  /** Why the last attempt did not connect (denied, window closed…). */
  initialError?: string;
  /** Reconnect this integration instead of creating a new one. */
  integrationId?: string;
  onConnected: (integrationId: string) => void;
  onBack: () => void;
}

/**
 * Step 2: what Pulse will be allowed to do, then Connect (in a popup), in the first screen even on a
 * phone. App registration is a developer's concern, shown only when the server still lacks it.
 */
export function OAuthConfiguration({ platform, initialError, integrationId, onConnected, onBack }: Props) {
  const { api } = usePulseCrm();
  const [chosen, setChosen] = useState<string[]>([]);
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState(initialError);
  const [hostError, setHostError] = useState<string>();
  // Reconnecting without a choice signs in where the integration did (the server remembers).
  const [loginHost, setLoginHost] = useState<LoginHostValue | null>(() => (platform.loginHosts && !integrationId ? defaultLoginHost(platform.loginHosts) : null));

  const connect = async () => {
    setWaiting(true);
    setError(undefined);
    setHostError(undefined);
    try {
      const host = loginHost && platform.loginHosts ? { option: loginHost.option, ...(loginHost.option === platform.loginHosts.custom?.id ? { url: loginHost.url } : {}) } : undefined;
      const outcome = await connectWithPopup(api, { platform: platform.id, scopes: chosen, integrationId, loginHost: host });
      if (outcome.ok === 'redirecting') return;
      if (outcome.ok) onConnected(outcome.integrationId);
      else setError(connectFailureMessage(outcome.reason, outcome.message, platform.name));
    } catch (failure) {
      const problem = loginHostProblem(failure);
      if (problem) setHostError(problem);
      else setError((failure as Error).message);
    }
    setWaiting(false);
  };
  const toggle = (name: string) => setChosen((list) => (list.includes(name) ? list.filter((n) => n !== name) : [...list, name]));

  return (
    <section aria-labelledby="pcrm-step-title" className="pcrm-stack">
      <h2 id="pcrm-step-title" className="pcrm-step-title" tabIndex={-1}>Authorize {platform.name}</h2>
      <p>{platform.name} opens in a new window: sign in there and choose <strong>Allow</strong>. You can disconnect at any time.</p>
      {platform.loginHosts && (
        <LoginHostChoice
          platformName={platform.name} hosts={platform.loginHosts} disabled={waiting}
          value={loginHost ?? (integrationId ? { option: '', url: '' } : defaultLoginHost(platform.loginHosts))} onChange={setLoginHost} error={hostError}
          hint={integrationId && !loginHost ? 'Choose none to sign in where this integration signed in before.' : undefined}
        />
      )}
      <ScopeList scopes={platform.scopes} chosen={chosen} onToggle={toggle} />
      <CredentialsNotice platform={platform} />
      {/* Next to the Connect button, where the person is looking when the popup comes back. */}
      {error && <p className="pcrm-alert pcrm-alert--error" role="alert"><span><strong>Not connected.</strong> {error}</span></p>}
      <div className="pcrm-actions">
        <button type="button" className="pcrm-button" onClick={onBack} disabled={waiting}>Back</button>
        <button type="button" className="pcrm-button pcrm-button--primary" onClick={connect} disabled={waiting || platform.credentials === 'missing'}>
          {waiting ? `Waiting for ${platform.name}…` : `Connect ${platform.name}`}
        </button>
      </div>
      {waiting && <p className="pcrm-muted" role="status">A {platform.name} window is open: sign in there and choose Allow.</p>}
      {platform.credentials === 'missing' && <DeveloperSetup platform={platform} />}
    </section>
  );
}

/** The server's words about the login host (a 400 naming body.loginHost…), shown next to the field. */
function loginHostProblem(failure: unknown): string | null {
  if (!(failure instanceof ApiError) || !Array.isArray(failure.details)) return null;
  const detail = failure.details.find((item: { where?: string }) => item?.where?.startsWith('body.loginHost')) as { problem?: string } | undefined;
  return detail?.problem ? `This address ${detail.problem}.` : null;
}
