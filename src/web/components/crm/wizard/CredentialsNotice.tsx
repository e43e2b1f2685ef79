import type { PlatformDto } from '../../../api/types';

/** Says plainly which HubSpot the Connect button will reach. */
export function CredentialsNotice({ platform }: { platform: PlatformDto }) {
  if (platform.credentials === 'configured') {
    return <p className="pcrm-alert pcrm-alert--ok">This server has {platform.name} app credentials: Connect signs in to your real {platform.name} account.</p>;
  }
  if (platform.credentials === 'sandbox') {
    return (
      <p className="pcrm-alert pcrm-alert--info">
        <strong>Sandbox mode.</strong> This server has no {platform.name} app credentials, so Connect uses a local {platform.name} sandbox
        with demo data. Nothing in a real {platform.name} account is touched. The steps below are only needed for a real account.
      </p>
    );
  }
  return (
    <p className="pcrm-alert pcrm-alert--error" role="alert">
      <strong>Not ready.</strong> This server has no {platform.name} app credentials yet. Follow the steps below, then restart the server.
    </p>
  );
}
