import type { PlatformDto } from '../../../api/types';
import { RedirectUrl } from './RedirectUrl';

/**
 * Registering the OAuth app is a developer's job, done once per server: the redirect URL, the steps
 * and the exact scope ids. End users never need it, so it is shown only while this server has no
 * credentials for the CRM (Connect cannot work until someone does it).
 */
export function DeveloperSetup({ platform }: { platform: PlatformDto }) {
  return (
    <details className="pcrm-setup-steps">
      <summary>For developers: register the {platform.name} app ({platform.setupSteps.length} steps)</summary>
      <ol className="pcrm-numbered">
        {platform.setupSteps.map((step) => <li key={step}>{step}</li>)}
      </ol>
      <RedirectUrl url={platform.redirectUrl} />
      <p className="pcrm-muted">Scopes: {platform.scopes.map((scope, index) => <span key={scope.name}>{index > 0 && ', '}<code>{scope.name}</code>{scope.required ? '' : ' (optional)'}</span>)}</p>
      <a className="pcrm-link" href={platform.docsUrl} target="_blank" rel="noreferrer">{platform.name} OAuth guide (opens in a new tab)</a>
    </details>
  );
}
