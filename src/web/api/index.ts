/**
 * What a host app imports to call Pulse without the components (`pulse-crm-integrations/client`):
 * the typed API client, the live-event stream reader and the types of what both return.
 */
export { createApiClient, ApiError, type ApiClient, type ApiClientOptions, type IntegrationPatch, type OAuthFlow, type OAuthStart } from './client';
export { readEventStream, type StreamState } from './event-stream';
export type * from './types';
