import { CopyField } from '../ui/CopyField';

/** The redirect URL to register, exactly, with a copy button. */
export function RedirectUrl({ url }: { url: string }) {
  return <CopyField id="pcrm-redirect-url" label="Redirect URL to register" value={url} />;
}
