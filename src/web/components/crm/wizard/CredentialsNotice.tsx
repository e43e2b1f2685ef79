import type { PlatformDto } from '../../../api/types';

/** Says plainly which HubSpot the Connect button will reach; nothing when it is the person's real account. */
export function CredentialsNotice({ platform }: { platform: PlatformDto }) {
  if (platform.credentials === 'configured') return null;
  if (platform.credentials === 'sandbox') {
    return (
      <p className="pcrm-alert pcrm-alert--info">
        <span><strong>Sandbox mode.</strong> Connect opens a local {platform.name} sandbox with demo data; no real {platform.name} account is touched.</span>
      </p>
    );
  }
  return (
    <p className="pcrm-alert pcrm-alert--error" role="alert">
      <span><strong>{platform.name} is not set up on this server yet.</strong> Ask your administrator to register the {platform.name} app
      (the steps are under "For developers" below); then Connect will work.</span>
    </p>
  );
}
