import { SyncStatusPanel } from '../components/crm';

/** The host's dashboard with the sync status panel as one widget among its own. */
export function DashboardPage({ onOpenSettings }: { onOpenSettings: () => void }) {
  return (
    <>
      <h1 className="demo-title">Dashboard</h1>
      <div className="demo-grid">
        {/* Not a landmark of its own: the panel inside is the "CRM sync" region (one name, one landmark). */}
        <div className="demo-widget demo-widget--wide">
          <SyncStatusPanel />
        </div>
        <section className="demo-widget" aria-labelledby="demo-help">
          <h2 id="demo-help">Add another CRM</h2>
          <p className="demo-muted">Connections are managed in Settings → CRM Integrations.</p>
          <button type="button" className="demo-button" onClick={onOpenSettings}>Open Settings</button>
        </section>
      </div>
    </>
  );
}
