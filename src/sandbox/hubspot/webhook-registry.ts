/** Per-app webhook settings and subscriptions, as the webhooks v3 management API shows them. */
export interface WebhookSettings {
  targetUrl: string;
  throttling: { maxConcurrentRequests: number; period: string };
  createdAt: string;
  updatedAt: string;
}

export interface Subscription {
  id: string;
  eventType: string;
  propertyName?: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export const EVENT_TYPES = ['contact', 'company', 'deal'].flatMap((o) =>
  ['creation', 'deletion', 'propertyChange', 'associationChange', 'restore'].map((k) => `${o}.${k}`),
);

export class WebhookRegistry {
  private readonly apps = new Map<number, { settings?: WebhookSettings; subscriptions: Subscription[] }>();
  private nextId = 1_000_001;

  private entry(appId: number) {
    let e = this.apps.get(appId);
    if (!e) this.apps.set(appId, (e = { subscriptions: [] }));
    return e;
  }

  settings(appId: number): WebhookSettings | undefined {
    return this.apps.get(appId)?.settings;
  }

  setSettings(appId: number, targetUrl: string, maxConcurrentRequests: number, now: string): WebhookSettings {
    const e = this.entry(appId);
    e.settings = { targetUrl, throttling: { maxConcurrentRequests, period: 'SECONDLY' }, createdAt: e.settings?.createdAt ?? now, updatedAt: now };
    return e.settings;
  }

  clearSettings(appId: number): void {
    const e = this.apps.get(appId);
    if (e) delete e.settings;
  }

  subscriptions(appId: number): Subscription[] {
    return this.apps.get(appId)?.subscriptions ?? [];
  }

  subscribe(appId: number, input: { eventType: string; propertyName?: string; active?: boolean }, now: string): Subscription {
    const sub: Subscription = { id: String(this.nextId++), eventType: input.eventType, ...(input.propertyName ? { propertyName: input.propertyName } : {}), active: input.active ?? true, createdAt: now, updatedAt: now };
    this.entry(appId).subscriptions.push(sub);
    return sub;
  }

  update(appId: number, id: string, active: boolean, now: string): Subscription | undefined {
    const sub = this.subscriptions(appId).find((s) => s.id === id);
    if (sub) Object.assign(sub, { active, updatedAt: now });
    return sub;
  }

  remove(appId: number, id: string): boolean {
    const e = this.apps.get(appId);
    const before = e?.subscriptions.length ?? 0;
    if (e) e.subscriptions = e.subscriptions.filter((s) => s.id !== id);
    return (e?.subscriptions.length ?? 0) < before;
  }

  appIds(): number[] {
    return [...this.apps.keys()];
  }
}
