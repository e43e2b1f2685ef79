import { useState } from 'react';

/** The redirect URL to register, exactly, with a copy button. */
export function RedirectUrl({ url }: { url: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure origin): the field is selectable by hand.
    }
  };
  return (
    <div className="pcrm-field">
      <label htmlFor="pcrm-redirect-url">Redirect URL to register</label>
      <div className="pcrm-copy">
        <input id="pcrm-redirect-url" readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="pcrm-button" onClick={copy} aria-live="polite">{copied ? 'Copied' : 'Copy'}</button>
      </div>
    </div>
  );
}
