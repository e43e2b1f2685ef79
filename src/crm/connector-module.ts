import type { ConnectionConfig } from './connection-config.js';
import type { Connector, ListingSelection, RecordFilter } from './connector.js';
import type { DeveloperApp, ProviderEndpoints } from './endpoints.js';
import type { FieldTables } from './field-codec.js';
import type { HttpClient } from './http.js';
import type { ObjectType, PlatformId } from './platforms.js';
import type { ProviderError } from './provider-error.js';
import type { Rate } from './rate-limiter.js';
import type { FilterValueReader } from './record-filter.js';

/**
 * What a CRM plugs into the engine, beside its registry entry (platforms.ts, data): everything here
 * is code because data cannot say it. A CRM is one folder `src/crm/<id>/` exporting one of these,
 * listed in modules.ts; shared code never names a CRM.
 */
export interface ConnectorModule {
  platform: PlatformId;
  /**
   * How deleted records are found: `listing`, the CRM lists them (Connector.listDeleted); `in_page`,
   * listing pages carry them (RecordPage.deleted); `reconcile`, neither, so every run lists every
   * record and what was not seen is gone; `notified`, webhook deletion events, and a full listing
   * (what was not seen is gone) once `reconcileEveryMs` has passed since the last. One mode for
   * every object, or one per object when the CRM differs between them.
   */
  deletions: DeletionMode | Record<ObjectType, DeletionMode>;
  /** For `notified` deletions: how old the last full listing may get before the next run lists in full. */
  reconcileEveryMs?: number;
  /**
   * What reading the deletions since a time costs, for objects whose deletions are `listing`:
   * `filtered`, the CRM filters its deleted listing by time, so a run reads only what was deleted
   * since the last check (a page or so); `whole_archive`, it cannot, so every read pages through
   * every deleted record the CRM keeps. Then an incremental run reads it only when a sweep is due
   * (PULSE_ARCHIVE_SWEEP_MINUTES, sync/archive-sweep.ts), not at every run. Stated by every module,
   * whatever its modes, so that none is left to a default.
   */
  deletedListing: DeletedListingCost;
  /**
   * Our canonical fields ↔ the CRM's properties, both ways (field-codec.ts): the connector maps with
   * it, and field mapping and two-way sync read it to know what each canonical field is in this CRM.
   */
  fields: FieldTables;
  /** Selective sync (#16): how this CRM's field names look and how far its full listing can apply a filter. */
  filters: FilterSupport;
  /**
   * Where a CRM field's value sits in a record's stored `properties` (the raw JSON), as a JSON path,
   * when it is not at the top under its own name (Pipedrive's custom fields under `custom_fields`).
   * Custom field mappings read values there, at sync time and when re-deriving from stored data.
   */
  fieldPath?(field: string): string[];
  /** The CRM's error responses → our codes. Pure: status, body and headers in. */
  parseError(status: number, body: unknown, headers: Headers): ProviderError;
  rateLimits: RateLimits;
  /** How a request carries the access token (default `Bearer <token>`). */
  authorization?(token: string): string;
  connector(deps: ConnectorDeps): Connector;
  /**
   * A token endpoint's error body in the CRM's own words, as an RFC 6749 `error` (invalid_grant,
   * invalid_client, invalid_request); null when the body is not an error this reads.
   */
  tokenError?(body: Record<string, unknown>): { error: string; description?: string } | null;
  /**
   * When to plan a refresh for a token response without `expires_in` (e.g. from its issue time and
   * the CRM's default session length); a shorter session still ends in a 401, which refreshes.
   */
  tokenExpiry?(body: Record<string, unknown>): Date | null;
  /** Pushed change notifications, for CRMs whose changes are not all visible by polling. */
  webhooks?: WebhookReceiver;
  /**
   * For CRMs whose webhooks are registered per connection through their API: done after connect and
   * undone on disconnect by shared code (webhook-subscriptions.ts), deliveries checked against the
   * secret generated for them.
   */
  subscriptions?: WebhookSubscriptions;
  /**
   * For CRMs whose notifications an integration subscribes itself (with its own token) and that
   * expire: called at connect and at every sync run (renewing before expiry), idempotent. A failure
   * is logged, never fails the connect or the run: polling still sees every change.
   */
  subscribe?(deps: ConnectorDeps, notify: NotifyTarget): Promise<void>;
  /** At disconnect, best effort (the grant is revoked next anyway). */
  unsubscribe?(deps: ConnectorDeps, notify: NotifyTarget): Promise<void>;
  /**
   * For CRMs whose webhooks belong to the app, not to a connection (one target URL and one set of
   * subscriptions for every account that installed it): kept in place with the app's developer
   * credentials at start and at every connect (app-webhooks.ts). Idempotent: creates or re-enables
   * what is missing, points the target at us, and says what it changed.
   */
  appWebhooks?: AppWebhooks;
}

/**
 * What a CRM offers selective sync. The engine evaluates every filter on every listed record itself
 * (record-filter.ts); a push-down only narrows what a FULL listing fetches, so it must select at
 * least what local evaluation keeps. Incremental listings are never filtered at the CRM: a record
 * that stopped matching would never be listed again, and so never removed.
 */
export interface FilterSupport {
  /** The CRM's API-name rule, checked when a filter is saved (its field metadata is not read for this yet). */
  fieldName: { pattern: RegExp; rule: string };
  /** A field's raw value in a record's properties, where the CRM nests some (default: `properties[field]`). */
  readValue?: FilterValueReader;
  /** Whether a full listing of the object would apply this filter at the CRM, and if not, why. */
  pushDown(object: ObjectType, filter: RecordFilter): FilterPushDown;
  /** Records per listing request: the full listing as it is, and the listing a pushed-down filter uses. */
  pageSize: { full: number; filtered: number };
}

export type FilterPushDown = { pushed: true } | { pushed: false; reason: string };

export interface AppWebhooks {
  /** `http` sends no token: the developer key travels as the CRM wants it (the hook adds it). */
  ensure(http: HttpClient, app: DeveloperApp, targetUrl: string): Promise<{ changed: string[] }>;
}

/** The HTTP Basic user name of every subscription we register (the password is the secret). */
export const WEBHOOK_USER = 'pulse';

/** Where a connection's deliveries go, and the HTTP Basic credentials the CRM is to send with each. */
export interface WebhookTarget {
  url: string;
  user: string;
  password: string;
}

export interface WebhookSubscriptions {
  /** The scope registering needs; a grant without it syncs anyway, and the connection test warns. */
  scope: string;
  /** What a user gets without it, said by the connection test. */
  withoutIt: string;
  /**
   * How deliveries carry the secret: `basic`, HTTP Basic credentials the registration gives the CRM
   * (the default); `path`, a last segment of the URL itself, for CRMs that send nothing but the body
   * to the address they were given (the address is then the secret: shown only to its owner).
   */
  credentials?: 'basic' | 'path';
  /**
   * For CRMs an app cannot register with through their API: the person does it in the CRM's own
   * set-up pages, and the integration panel shows this step with the address to paste. `subscribe`
   * then only prepares (no CRM call) and returns no ids.
   */
  manual?: ManualWebhookSetup;
  /** Registers the connection's webhooks; returns the CRM's ids for them. */
  subscribe(deps: ConnectorDeps, target: WebhookTarget): Promise<string[]>;
  /** Removes them (ids the CRM no longer knows are not an error). */
  unsubscribe(deps: ConnectorDeps, remoteIds: string[]): Promise<void>;
}

/** What a person does in the CRM to have changes pushed, when no app can set it up (data, shown as is). */
export interface ManualWebhookSetup {
  /** The CRM's own name for what is set up (e.g. "Outbound Message"). */
  name: string;
  /** The CRM's objects to set it up for, as the CRM names them. */
  objects: string[];
  /** The steps in the CRM's set-up pages, in order; the address is shown beside them. */
  steps: string[];
}

/** Where and how a subscription's deliveries reach us. */
export interface NotifyTarget {
  /** Our public inbound URL for this CRM (`/crm/webhooks/<id>`). */
  url: string;
  /** The app's client secret, which the receiver verifies deliveries with. */
  secret: string;
  /** The CRM account the integration is connected to. */
  accountId: string;
  /** What the grant allows: a hook whose scope was not granted does nothing (a refused call would cost a token refresh). */
  grantedScopes: string[];
}

export type DeletionMode = 'listing' | 'in_page' | 'reconcile' | 'notified';

export type DeletedListingCost = 'filtered' | 'whole_archive';

/** One object's deletion mode. */
export function deletionModeOf(module: Pick<ConnectorModule, 'deletions'>, object: ObjectType): DeletionMode {
  return typeof module.deletions === 'string' ? module.deletions : module.deletions[object];
}

/** A CRM's announced request window, as its response headers state it. */
export interface RateWindow {
  max: number;
  remaining: number;
  intervalMs: number;
}

export interface RateLimits {
  /** Request buckets with a rate of their own, known in advance (HubSpot search: 5 per second). */
  fixed?: Record<string, Rate>;
  /** The account's window, when the CRM announces it on responses: learned rather than assumed. */
  readWindow?(headers: Headers): RateWindow | null;
  /** The account's rate when the CRM does not announce one. */
  declared?: Rate;
  /**
   * For CRMs that charge calls in credits per rolling 24 h and do not report them: what a call costs
   * (their documented costs). The engine counts them per account (credit-meter.ts).
   */
  credits?: { cost(method: string, path: string): number };
}

/**
 * Limits the connector learns about its account (from its edition, say) and tells the engine, which
 * applies them to every request across processes: concurrent calls, and credits per rolling 24 h.
 */
export interface AccountLimits {
  learn(limits: { concurrency?: number | null; creditsPer24h?: number | null }): void;
  /** Whether learn() was called for this connector. */
  known(): boolean;
  /** Credits charged in the last 24 h by our count (null for a CRM whose module declares no costs). */
  creditsUsed(): Promise<number | null>;
}

/** What a connector is built from: an HTTP client already carrying auth, limits and retries. */
export interface ConnectorDeps {
  http: HttpClient;
  /** The API origin for this connection (real, per-connection, or sandbox). */
  baseUrl: string;
  endpoints: ProviderEndpoints;
  /** Where this account lives (see connection-config.ts); {} for CRMs with one API origin. */
  connection: ConnectionConfig;
  /** The current access token, for the few endpoints that take it other than in the header. */
  currentToken(): Promise<string>;
  /** The newest window figures the CRM announced, if it announces any. */
  lastWindow(): RateWindow | null;
  /** The integration's field mappings and filters, as a listing needs them; absent: defaults, every record. */
  selection?: ListingSelection;
  /** Absent where a connector is built by hand (unit tests): nothing is capped or counted then. */
  limits?: AccountLimits;
}

/** One change a webhook delivery reports, reduced to what the engine acts on. */
export interface WebhookEvent {
  /** The CRM account it is about: every integration of that account gets it. */
  accountId: string;
  /**
   * What the engine acts on: a record created or changed (fetched at once where the connector reads
   * records by id), association changes (they move no modification time in some CRMs) and
   * deletions (the only word of them for CRMs that list no deleted records: deletion mode `notified`).
   */
  kind: 'change' | 'association_change' | 'deletion';
  /** The record that changed, whose stored associations changed (the side the connector reads them from), or that was deleted. */
  object: ObjectType;
  remoteId: string;
  /** The event's identity across the CRM's retries, so a redelivery is stored once. */
  key: string;
  payload: unknown;
}

export interface WebhookDelivery {
  /** The app's client secret (what CRMs sign deliveries with). */
  secret: string;
  /** The secret generated for the subscription the delivery's URL names, for CRMs registered per connection. */
  subscriptionSecret?: string;
  /** The URL's segment after the subscription's, for CRMs whose deliveries carry the secret there (credentials `path`). */
  pathSecret?: string;
  method: string;
  /** The full public URL the CRM posted to. */
  url: string;
  /** The body exactly as received: signatures cover the bytes. */
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface WebhookReceiver {
  /** The kinds of change the CRM pushes (default: every kind); the others arrive with the listing only. */
  pushes?: WebhookEvent['kind'][];
  /** The media types deliveries come as (default `application/json`); the route reads these bodies as text. */
  contentTypes?: string[];
  /**
   * The answer to an accepted delivery, for CRMs that retry anything but their own acknowledgement
   * (default: 204 without a body).
   */
  acknowledgement?: { contentType: string; body: string };
  /** Whether the delivery really comes from the CRM (signature, timestamp); false is answered 401. */
  verify(delivery: WebhookDelivery): boolean;
  /** A verified body's events, or what is wrong with it (answered 400, naming the path). */
  parse(body: string): { ok: true; events: WebhookEvent[] } | { ok: false; problem: string };
}
