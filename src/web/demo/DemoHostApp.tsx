import { useEffect, type MouseEvent } from 'react';
import { PulseCrmProvider } from '../components/crm';
import { DashboardPage } from './DashboardPage';
import { DataPage } from './DataPage';
import './demo.css';
import { SettingsPage } from './SettingsPage';
import { useRoute } from './use-route';

const pages = [
  { path: '/', label: 'Dashboard' },
  { path: '/data', label: 'Synced data' },
  { path: '/settings', label: 'Settings' },
] as const;

/** The demo host page: how a Pulse app embeds the CRM components (Dashboard widget, Settings tab). */
export function DemoHostApp() {
  const [path, navigate] = useRoute();
  const title = pages.find((page) => page.path === path)?.label ?? pages[0].label;
  // Each page names itself in the tab and the history list, as a multi-page site would.
  useEffect(() => { document.title = `${title} — Pulse`; }, [title]);
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(event.currentTarget.getAttribute('href')!);
  };
  return (
    <PulseCrmProvider>
      <div className="demo">
        <header className="demo-header">
          <a className="demo-brand" href="/" onClick={follow}>Pulse</a>
          <nav aria-label="Main">
            <ul className="demo-nav">
              {pages.map((page) => (
                <li key={page.path}>
                  <a href={page.path} onClick={follow} aria-current={path === page.path ? 'page' : undefined}>{page.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main className="demo-main">
          {path === '/settings' ? <SettingsPage /> : path === '/data' ? <DataPage /> : <DashboardPage onOpenSettings={() => navigate('/settings')} />}
        </main>
      </div>
    </PulseCrmProvider>
  );
}
