/**
 * The contract of one CRM emulator (`src/sandbox/<id>/`). Core runs the request pipeline (count,
 * resolve the account, inject faults, authenticate + check scopes, rate-limit, truncate) and the
 * generic admin API; an emulator supplies only what is its own: its routes, the bodies of each
 * refusal the pipeline makes, how a request carries its token, its limit tiers and headers, its token
 * formats, its data generator and its admin record routes (shape in ../README.md).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.js';
import type { LimitSettings, SandboxAccount, SandboxApp } from './store.js';
import type { AccessToken, TokenFormats } from './tokens.js';

/** A refusal's answer. `status` defaults to the one named on each refusal below. */
export interface Refusal {
  status?: number;
  /** Content type; default `application/json;charset=utf-8`. */
  type?: string;
  body: unknown;
}

/** Which limit refused the request; the emulator names it its own way (e.g. a policy name in the body). */
export type LimitPolicy = 'window' | 'daily' | 'secondly';

export interface Refusals {
  /** 401: no token, unknown or revoked token. */
  unauthenticated(req: FastifyRequest): Refusal;
  /** 401: the token expired `agoMs` ago. */
  expired(req: FastifyRequest, token: AccessToken, agoMs: number): Refusal;
  /** 403: the token has none of `scopes`. */
  missingScope(req: FastifyRequest, scopes: string[]): Refusal;
  /** 429 (or what the CRM sends when a limit is hit); also the `429` fault. */
  rateLimited(req: FastifyRequest, policy: LimitPolicy): Refusal;
  /** The `500 | 502 | 503 | 504` faults: the CRM's JSON error or a gateway's HTML page (see gatewayPage). */
  serverError(req: FastifyRequest, status: 500 | 502 | 503 | 504): Refusal;
  /** 400 (or the parser's status): a body the server could not parse. */
  invalidRequest(req: FastifyRequest, message: string): Refusal;
  /** 404: no route. */
  notFound(req: FastifyRequest): Refusal;
}

/** Remaining requests after a request was let through (or refused), for the CRM's limit headers. */
export interface LimitUsage {
  /** The burst window, when the tier has one. */
  window: { max: number; remaining: number; windowMs: number } | null;
  /** The daily quota, when the tier has one. */
  daily: { max: number; remaining: number } | null;
}

export interface EmulatorLimits {
  /** Tier name → settings; `PUT /_sandbox/accounts/:id/limits { tier }` picks one. */
  tiers: Record<string, LimitSettings>;
  /** The default account's tier unless `startSandbox({ limits })` says otherwise. */
  defaultTier: string;
  /** Whose burst window a request spends: per account and app, or per account. Default 'app'. */
  windowPer?: 'app' | 'account';
  /** Headers on a limited response (refusals included); `kind` is the route's limit class. */
  headers?(usage: LimitUsage, settings: LimitSettings, kind: 'api' | 'search'): Record<string, string>;
}

/** Record counts: a number is split 70% contacts / 10% companies / 20% deals. */
export type RecordCountsInput = number | { contacts?: number; companies?: number; deals?: number };

/** `POST /_sandbox/accounts`: a new account (portal, org, company) with its users and generated records. */
export interface NewAccount {
  id?: number;
  name?: string;
  domain?: string;
  /** Email of the first user (the one who installs apps). */
  userEmail?: string;
  records?: RecordCountsInput;
  limits: LimitSettings;
}

/** What `startSandbox` hands an emulator to build its context. */
export interface EmulatorStartOptions {
  seed: number;
  /** Records of the default account: a number is split 70% contacts / 10% companies / 20% deals. */
  records: RecordCountsInput;
  /** The default account's limits (already 'off'-like when rate limiting is disabled). */
  limits: LimitSettings;
  /** Search realism for CRMs whose search index trails writes (both off unless asked for). */
  search?: SearchRealism;
  latency?: ListLatency;
}

/**
 * How long a list answer takes per record it carries (real time): a page of records is not free, so
 * page size shows in wall time and a sync lasts long enough to be interrupted on purpose.
 */
export interface ListLatency {
  listMsPerRecord?: number;
}

/** A real search index lags writes by seconds and orders ties arbitrarily; tests switch both on. */
export interface SearchRealism {
  lagMs?: number;
  shuffleTies?: boolean;
}

export interface Emulator<Ctx extends EmulatorContext = EmulatorContext> {
  /** Product name for banners and logs (e.g. shown as "<name> sandbox"). */
  name: string;
  /** Fixed port of `pulse-crm sandbox` (tests use ephemeral ones). */
  port: number;
  /** The built-in OAuth app, registered in every started instance. */
  app: SandboxApp;
  tokenFormats: TokenFormats;
  limits: EmulatorLimits;
  refusals: Refusals;
  /** The access token a request carries (`Authorization: Bearer …`, a vendor-specific scheme, …). */
  accessToken(req: FastifyRequest): string | undefined;
  /** Headers every counted response carries (e.g. a correlation id). */
  responseHeaders?(req: FastifyRequest): Record<string, string>;
  /** Adds the emulator's own state to the core context and seeds the default account. */
  createContext(core: EmulatorContext, opts: EmulatorStartOptions): Ctx;
  /** New accounts and reseeding, with the emulator's own ids, users and generator. */
  accounts: {
    create(ctx: Ctx, input: NewAccount): SandboxAccount;
    /** Replaces the account's records with generated ones. */
    reseed(ctx: Ctx, account: SandboxAccount, seed: number, records: RecordCountsInput): void;
  };
  /** The CRM's API and OAuth routes, plus its admin record routes (shape in ../README.md). */
  registerRoutes(app: FastifyInstance, ctx: Ctx): void;
  /** The token endpoint's body for a pair minted by `POST /_sandbox/tokens`. */
  tokenResponse(ctx: Ctx, access: AccessToken, refreshToken: string): unknown;
  /** Extra fields of `GET /_sandbox` (e.g. a developer key). */
  describe?(ctx: Ctx): Record<string, unknown>;
  /** Lines `pulse-crm sandbox` prints under the URL and credentials. */
  banner?(ctx: Ctx, url: string): string[];
  /**
   * For CRMs whose change notifications a person sets up by hand in the CRM (no API for apps): the
   * admin call that stands for doing it, given the address Pulse shows them. Tests and the bench make it.
   */
  manualWebhookSetup?: { method: 'PUT'; path: string; body(endpointUrl: string): unknown };
  /** `npm start` ran this emulator in-process: wire it to the product (e.g. subscribe webhooks). */
  onLocalStart?(ctx: Ctx, wiring: { url: string; publicUrl: string }): Promise<void>;
}

/** The parts of an emulator the request pipeline uses (none depends on its context type). */
export type EmulatorPolicy = Pick<Emulator, 'accessToken' | 'refusals' | 'limits' | 'responseHeaders'>;

/** The HTML page an nginx-style gateway answers with, which is what a CRM's 502/503/504 look like. */
export function gatewayPage(status: 502 | 503 | 504): Refusal {
  const text = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' }[status];
  return { status, type: 'text/html', body: `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n` };
}

/** `Authorization: Bearer <token>`, the usual way. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
