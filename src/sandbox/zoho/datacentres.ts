/**
 * Zoho's data centres as data: each has its own accounts server and API domain, and an org lives in
 * exactly one (crm-api-facts §4A; SDK `routes/dc/*_data_center.ts`). The emulator serves every DC
 * from its one origin: US at the root (the registry's real paths), the others under `/{location}`
 * (`/eu/oauth/v2/token`, `/eu/crm/v8/Contacts`), so the redirect's `accounts-server` and the token's
 * `api_domain` are real URLs a client must follow.
 */
export interface DataCentre {
  /** The `location` the authorize redirect carries. */
  location: string;
  name: string;
  accountsServer: string;
  apiDomain: string;
}

export const DATA_CENTRES: DataCentre[] = [
  { location: 'us', name: 'United States', accountsServer: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' },
  { location: 'eu', name: 'Europe', accountsServer: 'https://accounts.zoho.eu', apiDomain: 'https://www.zohoapis.eu' },
  { location: 'in', name: 'India', accountsServer: 'https://accounts.zoho.in', apiDomain: 'https://www.zohoapis.in' },
  { location: 'au', name: 'Australia', accountsServer: 'https://accounts.zoho.com.au', apiDomain: 'https://www.zohoapis.com.au' },
  { location: 'jp', name: 'Japan', accountsServer: 'https://accounts.zoho.jp', apiDomain: 'https://www.zohoapis.jp' },
  { location: 'ca', name: 'Canada', accountsServer: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca' },
  { location: 'sa', name: 'Saudi Arabia', accountsServer: 'https://accounts.zoho.sa', apiDomain: 'https://www.zohoapis.sa' },
  { location: 'cn', name: 'China', accountsServer: 'https://accounts.zoho.com.cn', apiDomain: 'https://www.zohoapis.com.cn' },
];

export const DEFAULT_LOCATION = 'us';

export const dataCentre = (location: string | undefined): DataCentre | undefined => DATA_CENTRES.find((dc) => dc.location === (location ?? DEFAULT_LOCATION));

/** The path prefix a DC is served under on the emulator's origin ('' for US). */
export const prefixOf = (location: string): string => (location === DEFAULT_LOCATION ? '' : `/${location}`);

/** The DC a request addressed: the `:dc` path parameter, or US at the root. */
export function locationOf(req: { params: unknown }): string | undefined {
  const dc = (req.params as { dc?: string } | undefined)?.dc;
  if (dc === undefined) return DEFAULT_LOCATION;
  return DATA_CENTRES.some((d) => d.location === dc && d.location !== DEFAULT_LOCATION) ? dc : undefined;
}

/** Registers a route at the root (US) and under every other DC's prefix. */
export const dcPaths = (path: string): string[] => [path, `/:dc${path}`];
