import type { ReactElement } from 'react';

/**
 * A CRM's mark, drawn for this project as simple SVG shapes that recall each brand (no third-party
 * logo files are shipped): HubSpot's sprocket, Salesforce's cloud, Pipedrive's "p", Zoho's four
 * tiles. A CRM without a drawing gets its initial on its brand colour.
 */
const drawings: Record<string, (color: string) => ReactElement> = {
  hubspot: (color) => (
    <>
      <rect width="40" height="40" rx="10" fill={color} />
      <circle cx="23" cy="23" r="6.5" fill="none" stroke="#fff" strokeWidth="3.5" />
      <path d="M23 16.5V9.5M23 9.5h0" stroke="#fff" strokeWidth="3.5" strokeLinecap="round" />
      <circle cx="23" cy="8.5" r="3" fill="#fff" />
      <path d="M18.2 18.2 11 11" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      <circle cx="10" cy="10" r="2.6" fill="#fff" />
      <path d="M18 28l-5 5" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
    </>
  ),
  salesforce: (color) => (
    <>
      <rect width="40" height="40" rx="10" fill={color} />
      <path d="M12 28a5 5 0 0 1-.8-9.9A6.5 6.5 0 0 1 23 14.6a5.5 5.5 0 0 1 8.4 3.8A4.8 4.8 0 0 1 30 28Z" fill="#fff" />
    </>
  ),
  pipedrive: (color) => (
    <>
      <rect width="40" height="40" rx="10" fill={color} />
      <path d="M15 33V14.5M15 20a6.5 6.5 0 1 0 13 0 6.5 6.5 0 1 0-13 0" fill="none" stroke="#fff" strokeWidth="3.6" strokeLinecap="round" />
    </>
  ),
  zoho: () => (
    <>
      <rect width="40" height="40" rx="10" fill="#fff" stroke="#d6d9de" />
      <rect x="7" y="7" width="12" height="12" rx="2" fill="#e42527" />
      <rect x="21" y="7" width="12" height="12" rx="2" fill="#089949" />
      <rect x="7" y="21" width="12" height="12" rx="2" fill="#226db4" />
      <rect x="21" y="21" width="12" height="12" rx="2" fill="#f9b21d" />
    </>
  ),
};

export function PlatformMark({ platform, name, color, size = 40 }: { platform?: string; name: string; color: string; size?: number }) {
  const draw = platform ? drawings[platform] : undefined;
  if (draw) {
    return <svg className="pcrm-mark pcrm-mark--drawn" width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" focusable="false">{draw(color)}</svg>;
  }
  return (
    <span className="pcrm-mark" aria-hidden="true" style={{ background: color, width: size, height: size, fontSize: size * 0.45 }}>
      {name.charAt(0)}
    </span>
  );
}
