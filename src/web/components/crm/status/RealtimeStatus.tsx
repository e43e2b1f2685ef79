import type { IntegrationDto } from '../../../api/types';
import { RelativeTime } from '../ui/RelativeTime';

/**
 * Whether the CRM's pushed changes arrive. On: changes land within seconds and the scheduled sync is
 * only the safety net. Degraded: a scheduled sync found changes the CRM did not push, so it runs at the
 * normal interval (nothing is lost, changes only come later) until pushes arrive again. Off: changes
 * come with the scheduled sync.
 */
export function RealtimeStatus({ integration, crmName }: { integration: IntegrationDto; crmName: string }) {
  const { state, lastPushAt } = integration.realtime;
  const every = Number(integration.settings.sync_interval_minutes) || 15;
  if (state === 'degraded') {
    return (
      <div className="pcrm-alert pcrm-alert--warning pcrm-attention" role="status">
        <div className="pcrm-attention__text">
          <p>
            <strong>Real-time updates degraded.</strong> The last scheduled sync found changes {crmName} did not send.
            {' '}Pulse syncs every {every} minutes until they arrive again; nothing is lost. If this lasts, the
            {' '}{crmName} app's webhooks need a look: deliveries stopped, or fail their signature check.
          </p>
        </div>
      </div>
    );
  }
  return (
    <p className="pcrm-muted pcrm-realtime">
      {state === 'on'
        ? <>Real-time updates on · last change received <RelativeTime iso={lastPushAt} /></>
        : <>Real-time updates off · changes arrive with the scheduled sync</>}
    </p>
  );
}
