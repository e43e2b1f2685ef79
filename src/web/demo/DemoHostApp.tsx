/** The demo host page: how Pulse embeds the CRM components. Filled in by the web UI work. */
export function DemoHostApp() {
  return (
    <main>
      <h1>Pulse</h1>
      <p>CRM Integrations</p>
    </main>
  );
}
