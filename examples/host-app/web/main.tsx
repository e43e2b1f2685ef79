import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { IntegrationSetupWizard, PulseCrmProvider, SyncStatusPanel, takeOAuthReturn, type OAuthReturn } from 'pulse-crm-integrations/react';
import 'pulse-crm-integrations/react/style.css';
import './host.css';

interface Session {
  user: string;
  token: string;
  pulseUrl: string;
}

/** The host's own session endpoint: who is signed in, and a short-lived token Pulse accepts. */
async function fetchSession(): Promise<Session | null> {
  const response = await fetch('/session', { cache: 'no-store' });
  return response.ok ? ((await response.json()) as Session) : null;
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>();
  useEffect(() => { void fetchSession().then(setSession); }, []);
  if (session === undefined) return <p className="host-muted">Loading…</p>;
  return session ? <Workspace session={session} /> : <SignIn />;
}

function SignIn() {
  return (
    <main className="host-card">
      <h1>Sign in to Acme Workspace</h1>
      <form method="post" action="/sign-in">
        <label htmlFor="name">User name</label>
        <input id="name" name="name" autoComplete="username" required pattern="[A-Za-z][A-Za-z0-9._\-]{0,39}" />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

function Workspace({ session }: { session: Session }) {
  // Pulse asks for a token before each call; the host hands out its current one and renews it when it lapses.
  const [current] = useState(() => ({ token: session.token, fetchedAt: Date.now() }));
  const getToken = async () => {
    if (Date.now() - current.fetchedAt > 5 * 60_000) {
      const renewed = await fetchSession();
      if (renewed) Object.assign(current, { token: renewed.token, fetchedAt: Date.now() });
    }
    return current.token;
  };
  // Back from the CRM's consent page in this tab (popup blocked): resume the wizard once.
  const [resume, setResume] = useState<OAuthReturn>(takeOAuthReturn);
  const [wizardOpen, setWizardOpen] = useState(Boolean(resume.integrationId || resume.error));

  return (
    <PulseCrmProvider baseUrl={session.pulseUrl} getToken={getToken}>
      <header className="host-header">
        <span className="host-brand">Acme Workspace</span>
        <span className="host-user">Signed in as {session.user}</span>
        <form method="post" action="/sign-out"><button type="submit" className="host-link">Sign out</button></form>
      </header>
      <main className="host-main">
        <div className="host-row">
          <h1>Your CRM</h1>
          <button type="button" className="host-primary" onClick={() => setWizardOpen(true)}>Connect CRM</button>
        </div>
        <SyncStatusPanel emptyHint="Use Connect CRM above to connect yours and see its sync here." />
      </main>
      <IntegrationSetupWizard
        isOpen={wizardOpen}
        onClose={() => { setWizardOpen(false); setResume({}); }}
        resumeIntegrationId={resume.integrationId}
        resumeError={resume.error}
      />
    </PulseCrmProvider>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
