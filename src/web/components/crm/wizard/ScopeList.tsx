import type { PlatformDto } from '../../../api/types';

/**
 * The permissions as a person reads them on the consent page: what Pulse may do, in words. Required
 * ones are a plain list; optional ones (if the CRM has any) are the person's choice. The scope ids
 * are for developers and live in the developer set-up.
 */
export function ScopeList({ scopes, chosen, onToggle }: { scopes: PlatformDto['scopes']; chosen: string[]; onToggle: (name: string) => void }) {
  const required = scopes.filter((scope) => scope.required);
  const optional = scopes.filter((scope) => !scope.required);
  return (
    <div className="pcrm-permissions">
      <p className="pcrm-permissions__title" id="pcrm-permissions-title">Pulse will be able to:</p>
      <ul className="pcrm-permissions__list" aria-labelledby="pcrm-permissions-title">
        {required.map((scope) => <li key={scope.name}>{scope.description}</li>)}
      </ul>
      {optional.length > 0 && (
        <fieldset className="pcrm-scopes">
          <legend>If you want</legend>
          {optional.map((scope) => (
            <label key={scope.name} className="pcrm-scope">
              <input type="checkbox" checked={chosen.includes(scope.name)} onChange={() => onToggle(scope.name)} />
              <span>{scope.description}</span>
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
