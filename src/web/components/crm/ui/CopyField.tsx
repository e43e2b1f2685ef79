import { useState } from 'react';

/** A value to paste elsewhere, exactly: read-only, selected on focus, with a copy button. */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure origin): the field is selectable by hand.
    }
  };
  return (
    <div className="pcrm-field">
      <label htmlFor={id}>{label}</label>
      <div className="pcrm-copy">
        <input id={id} readOnly value={value} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="pcrm-button" onClick={copy} aria-live="polite">{copied ? 'Copied' : 'Copy'}</button>
      </div>
    </div>
  );
}
