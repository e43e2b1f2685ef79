import type { PlatformDto } from '../../../api/types';

/** The person's choice as the start request takes it (`option`, and `url` for the custom host). */
export interface LoginHostValue {
  option: string;
  url: string;
}

type LoginHosts = NonNullable<PlatformDto['loginHosts']>;

/** The first option: the CRM's default sign-in host. */
export const defaultLoginHost = (hosts: LoginHosts): LoginHostValue => ({ option: hosts.options[0]?.id ?? '', url: '' });

/**
 * Where to sign in, for CRMs with several sign-in hosts (the registry's loginHosts): one radio per
 * host, and the custom one reveals a text field for the address. The server checks the address
 * against the CRM's own domains; its answer names what is wrong.
 */
export function LoginHostChoice({ platformName, hosts, value, onChange, disabled, error, hint }: {
  platformName: string; hosts: LoginHosts; value: LoginHostValue; onChange: (value: LoginHostValue) => void; disabled?: boolean;
  /** Why the server refused the typed address. */
  error?: string;
  /** A line under the legend (reconnecting: what choosing none means). */
  hint?: string;
}) {
  const custom = hosts.custom;
  return (
    <fieldset className="pcrm-scopes pcrm-login-hosts" disabled={disabled}>
      <legend>Where do you sign in to {platformName}?</legend>
      {hint && <p className="pcrm-muted">{hint}</p>}
      {hosts.options.map((option) => (
        <label key={option.id} className="pcrm-scope">
          <input type="radio" name="pcrm-login-host" value={option.id} checked={value.option === option.id} onChange={() => onChange({ ...value, option: option.id })} />
          <span className="pcrm-scope__text">{option.label} <code>{option.host}</code></span>
        </label>
      ))}
      {custom && (
        <label className="pcrm-scope">
          <input type="radio" name="pcrm-login-host" value={custom.id} checked={value.option === custom.id} onChange={() => onChange({ ...value, option: custom.id })} />
          <span className="pcrm-scope__text">{custom.label}</span>
        </label>
      )}
      {custom && value.option === custom.id && (
        <div className="pcrm-field">
          <label htmlFor="pcrm-login-host-url">{custom.label} address</label>
          <input
            id="pcrm-login-host-url" className="pcrm-input" type="url" inputMode="url" autoComplete="url" required
            placeholder={custom.placeholder} value={value.url} onChange={(event) => onChange({ ...value, url: event.target.value })}
            aria-invalid={error ? true : undefined} aria-describedby={error ? 'pcrm-login-host-error' : undefined}
          />
          {error && <p id="pcrm-login-host-error" className="pcrm-field__error" role="alert">{error}</p>}
        </div>
      )}
    </fieldset>
  );
}
