import type {
  FilterPreview, FiltersBody, FiltersReport, FiltersSaved,
  CrmField, FieldMappingsDto, MappingInput, MappingsPreview, MappingsSaved,
} from './types';
import type {
  BrowsePage, ConnectionCheck, IntegrationDto, Page, PlatformDto, RealtimeSetupDto, RecordKind, RecordsByKind, SyncLogDto,
} from './types';

/** An API answer that was not 2xx: `message` is written for the person on screen. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Where the Pulse API lives; default: this page's origin. */
  baseUrl?: string;
  /** The host app's bearer token, if it authenticates users. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
}

export type IntegrationPatch = Partial<Pick<IntegrationDto, 'displayName' | 'syncEnabled' | 'isActive'>> & {
  settings?: { sync_interval_minutes?: number };
};

export interface OAuthStart {
  platform: PlatformDto['id'];
  scopes?: string[];
  integrationId?: string;
  returnTo?: string;
  /** The origin of the page running the flow, where the result comes back (README § Connecting from a host app). */
  appOrigin?: string;
  /** Where the person signs in, for platforms that list loginHosts: an option id, and the address for the custom one. */
  loginHost?: { option: string; url?: string };
}

/** A started flow: the browser hands `ticket` to Pulse's begin page (popup) or posts it there (full page). */
export interface OAuthFlow {
  beginUrl: string;
  ticket: string;
  expiresAt: string;
}

const query = (params: Record<string, string | number | boolean | undefined | null>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** The one typed client of the Pulse API the components use. */
export function createApiClient({ baseUrl = '', getToken }: ApiClientOptions = {}) {
  const base = baseUrl.replace(/\/+$/, '');

  async function headers(extra: Record<string, string> = {}): Promise<Record<string, string>> {
    const token = await getToken?.();
    return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: await headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', 'Pulse could not be reached. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
      const error = payload?.error;
      throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `The server answered ${response.status}.`, error?.details);
    }
    return payload as T;
  }

  return {
    baseUrl: base,
    headers,
    platforms: () => request<{ platforms: PlatformDto[] }>('GET', '/api/platforms').then((r) => r.platforms),
    integrations: () => request<{ integrations: IntegrationDto[] }>('GET', '/api/integrations').then((r) => r.integrations),
    integration: (id: string) => request<IntegrationDto>('GET', `/api/integrations/${id}`),
    updateIntegration: (id: string, patch: IntegrationPatch) => request<IntegrationDto>('PATCH', `/api/integrations/${id}`, patch),
    deleteIntegration: (id: string) => request<void>('DELETE', `/api/integrations/${id}`),
    syncLogs: (id: string, page: { limit?: number; cursor?: string | null } = {}) =>
      request<Page<SyncLogDto>>('GET', `/api/integrations/${id}/sync-logs${query(page)}`),
    startOAuth: (body: OAuthStart) => request<OAuthFlow>('POST', '/api/integrations/oauth/start', body),
    /** What to set up in the CRM for it to push changes, with the address to paste (it holds a secret: show it, never log it). */
    realtimeSetup: (id: string) => request<RealtimeSetupDto>('GET', `/api/integrations/${id}/realtime-setup`),
    testConnection: (id: string) => request<{ ok: boolean; checks: ConnectionCheck[]; problem: { kind: 'reconnect' | 'retry'; message: string } | null }>('POST', `/api/integrations/${id}/test`),
    startSync: (id: string, options: { full?: boolean } = {}) =>
      request<{ logId: string; joined: boolean }>('POST', `/api/integrations/${id}/sync`, options),
    browse: <K extends RecordKind>(kind: K, params: { integrationId?: string; q?: string; sort?: string; order?: 'asc' | 'desc'; page?: number; pageSize?: number }) =>
      request<BrowsePage<K>>('GET', `/api/${kind}/browse${query(params)}`),
    recordCounts: (integrationId?: string) => request<Record<RecordKind, number>>('GET', `/api/record-counts${query({ integrationId })}`),
    records: <K extends RecordKind>(kind: K, params: { integrationId?: string; includeDeleted?: boolean; limit?: number; cursor?: string | null }) =>
      request<Page<RecordsByKind[K]>>('GET', `/api/${kind}${query(params)}`),
    // --- Custom field mappings (#16)
    /** The CRM's fields of one object (cached by Pulse; read from the CRM the first time). */
    crmFields: (id: string, object: RecordKind) =>
      request<{ object: RecordKind; fetchedAt: string | null; fields: CrmField[] }>('GET', `/api/integrations/${id}/fields${query({ object })}`),
    refreshCrmFields: (id: string) => request<{ fetchedAt: string; fields: Record<RecordKind, number> }>('POST', `/api/integrations/${id}/fields/refresh`),
    fieldMappings: (id: string) => request<FieldMappingsDto>('GET', `/api/integrations/${id}/mappings`),
    saveFieldMappings: (id: string, object: RecordKind, mappings: MappingInput[]) =>
      request<MappingsSaved>('PUT', `/api/integrations/${id}/mappings`, { object, mappings }),
    previewFieldMappings: (id: string, object: RecordKind, mappings: MappingInput[]) =>
      request<MappingsPreview>('POST', `/api/integrations/${id}/mappings/preview`, { object, mappings }),

    // Selective sync (#16)
    filters: (id: string) => request<FiltersReport>('GET', `/api/integrations/${id}/filters`),
    /** What the proposed filters would sync and cost; nothing is saved. */
    previewFilters: (id: string, body: FiltersBody) => request<FilterPreview>('POST', `/api/integrations/${id}/filters/preview`, body),
    /** Saves; a changed filter lists its object in full at once (the answer's `fullSync`). */
    saveFilters: (id: string, body: FiltersBody) => request<FiltersSaved>('PUT', `/api/integrations/${id}/filters`, body),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
