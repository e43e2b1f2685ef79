import type { PlatformDto } from '../../../api/types';
import { PlatformMark } from '../ui/PlatformMark';

/**
 * One CRM: what it syncs, what it can do, and its plans' API limits. The button is the keyboard
 * target. A CRM Pulse cannot sync yet says only that: listing features it does not have would read
 * as a promise.
 */
export function PlatformCard({ platform, onChoose }: { platform: PlatformDto; onChoose: (platform: PlatformDto) => void }) {
  const headingId = `pcrm-platform-${platform.id}`;
  const choose = () => platform.available && onChoose(platform);
  return (
    <article
      className={`pcrm-card pcrm-platform${platform.available ? ' is-available' : ' is-unavailable'}`}
      aria-labelledby={headingId}
      onClick={choose}
    >
      <header className="pcrm-platform__head">
        <PlatformMark platform={platform.id} name={platform.name} color={platform.color} />
        <h3 id={headingId} className="pcrm-platform__name">{platform.name}</h3>
      </header>
      {platform.available ? (
        <>
          <p className="pcrm-platform__objects">Syncs {Object.values(platform.objects).join(', ')}</p>
          <ul className="pcrm-platform__features">
            {platform.features.map((feature) => <li key={feature}>{feature}</li>)}
          </ul>
          <details className="pcrm-platform__tiers" onClick={(event) => event.stopPropagation()}>
            <summary>Plans and API limits ({platform.tiers.length})</summary>
            <dl>
              {platform.tiers.map((tier) => (
                <div key={tier.name}>
                  <dt>{tier.name}</dt>
                  <dd>{tier.limits.join(' · ')}</dd>
                </div>
              ))}
            </dl>
          </details>
        </>
      ) : (
        <p className="pcrm-platform__unavailable">Pulse cannot sync {platform.name} yet.</p>
      )}
      <button
        type="button"
        className="pcrm-button pcrm-button--primary pcrm-platform__choose"
        disabled={!platform.available}
        aria-describedby={headingId}
        onClick={(event) => {
          event.stopPropagation();
          choose();
        }}
      >
        {platform.available ? `Connect ${platform.name}` : 'Not available yet'}
      </button>
    </article>
  );
}
