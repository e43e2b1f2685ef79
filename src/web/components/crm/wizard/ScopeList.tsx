import type { PlatformDto } from '../../../api/types';

/** Required scopes are shown ticked and fixed; optional ones are the person's choice. */
export function ScopeList({ scopes, chosen, onToggle }: { scopes: PlatformDto['scopes']; chosen: string[]; onToggle: (name: string) => void }) {
  return (
    <fieldset className="pcrm-scopes">
      <legend>Permissions Pulse asks for</legend>
      {scopes.map((scope) => (
        <label key={scope.name} className="pcrm-scope">
          <input
            type="checkbox"
            checked={scope.required || chosen.includes(scope.name)}
            disabled={scope.required}
            onChange={() => onToggle(scope.name)}
          />
          <span className="pcrm-scope__text">
            <span>
              {scope.description}{' '}
              <span className={`pcrm-tag${scope.required ? '' : ' pcrm-tag--optional'}`}>{scope.required ? 'Required' : 'Optional'}</span>
            </span>
            <code>{scope.name}</code>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
