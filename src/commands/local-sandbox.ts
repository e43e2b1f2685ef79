import type { Config } from '../config.js';
import type { SandboxApp, SandboxUrls } from '../crm/endpoints.js';
import type { PlatformId } from '../crm/platforms.js';
import type { Logger } from '../logger.js';

/**
 * `npm start` with no CRM credentials: run the sandbox emulators in this process, on their fixed
 * ports, and register our callback URL with their built-in OAuth apps so the consent flow works.
 */
export async function startLocalSandbox(config: Config, logger: Logger): Promise<{
  urls: SandboxUrls; apps: Partial<Record<PlatformId, SandboxApp>>; close(): Promise<void>;
} | null> {
  if (config.PULSE_SANDBOX === 'off' || config.HUBSPOT_CLIENT_ID) return null;
  const { startSandbox, SANDBOX_APPS } = await import('../sandbox/index.js');
  const redirectUri = `${config.publicUrl}/crm/oauth/callback`;
  const app = SANDBOX_APPS.hubspot;
  const sandbox = await startSandbox({
    providers: ['hubspot'],
    // 0 picks a free port (tests run several instances side by side).
    port: config.PULSE_SANDBOX_PORT,
    host: config.PULSE_SANDBOX_HOST,
    seed: 1,
    records: 2_000,
    apps: [{ ...app, redirectUris: [redirectUri] }],
  });
  // Association changes reach us only as webhooks (HubSpot does not move modified times for them).
  const webhooks = await fetch(`${sandbox.urls.hubspot}/_sandbox/webhooks/${app.appId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      targetUrl: `${config.publicUrl}/crm/webhooks/hubspot`,
      subscriptions: ['contact', 'company', 'deal'].map((object) => ({ eventType: `${object}.associationChange`, active: true })),
    }),
  });
  if (!webhooks.ok) logger.warn({ status: webhooks.status }, 'could not subscribe to sandbox webhooks');
  logger.info({ hubspot: sandbox.urls.hubspot }, 'CRM sandbox running (no HUBSPOT_CLIENT_ID set)');
  return {
    urls: sandbox.urls,
    apps: { hubspot: { clientId: app.clientId, clientSecret: app.clientSecret } },
    close: () => sandbox.close(),
  };
}
