/** What host apps import: the components, the provider that configures them, and the API client. */
export { IntegrationSetupWizard, type IntegrationSetupWizardProps } from './IntegrationSetupWizard';
export { SyncStatusPanel } from './SyncStatusPanel';
export { IntegrationList } from './IntegrationList';
export { SyncedDataView } from './SyncedDataView';
export { PulseCrmProvider, type PulseCrmProviderProps } from './PulseCrmProvider';
export { createApiClient, ApiError, type ApiClient } from '../../api/client';
export { takeOAuthReturn, type OAuthReturn } from './hooks/oauth-return';
