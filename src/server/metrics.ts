import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from '../lib/errors.js';
import { authMode } from './auth.js';
import { integrationsRepository } from '../db/integrations-repository.js';
import { syncLogsRepository } from '../db/sync-logs-repository.js';
import { asSystem } from '../db/tenant.js';
import type { AppContext } from '../app-context.js';

/**
 * Prometheus metrics at /metrics: HTTP by route, the pg pool, and whatever gauges later parts
 * (the queue) register on the same registry. One registry per app so tests can build several.
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pulse_' });

  const requests = new Counter({
    name: 'pulse_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry],
  });
  const duration = new Histogram({
    name: 'pulse_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  const pool = ctx.db.pool;
  new Gauge({
    name: 'pulse_db_pool_connections', help: 'Database pool connections by state', labelNames: ['state'], registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });

  new Gauge({
    name: 'pulse_sync_runs',
    help: 'Sync runs by state: queued (jobs waiting in the queue), running, waiting_rate_limit (running, but mostly waiting for its CRM account\'s rate limit), retry_scheduled (cut short by a CRM outage, retried by itself)',
    labelNames: ['state'], registers: [registry],
    async collect() {
      if (ctx.sync?.queued) this.set({ state: 'queued' }, await ctx.sync.queued().catch(() => 0));
      const running = await asSystem(pool, (tx) => syncLogsRepository(tx).countRunningByWait()).catch(() => ({ running: 0, waitingRateLimit: 0 }));
      this.set({ state: 'running' }, running.running);
      this.set({ state: 'waiting_rate_limit' }, running.waitingRateLimit);
      this.set({ state: 'retry_scheduled' }, await pendingOutageRetries());
    },
  });

  const pendingOutageRetries = () => asSystem(pool, (tx) => integrationsRepository(tx, ctx.keys).countPendingOutageRetries()).catch(() => 0);
  new Gauge({
    name: 'pulse_sync_outage_retries_pending', help: 'Integrations whose last run a CRM outage cut short, waiting for their automatic retry', registers: [registry],
    async collect() {
      this.set(await pendingOutageRetries());
    },
  });

  // Resumes happen in whichever process reconciles, not in this one: both metrics are read back from
  // the runs' rows at each scrape (and fall back, as counters do, if runs are deleted).
  const recoveryTimes = () => asSystem(pool, (tx) => syncLogsRepository(tx).recoveryTimes()).catch(() => [] as number[]);
  new Counter({
    name: 'pulse_sync_run_resumes_total', help: 'Times a sync run was resumed by another worker after its worker died', registers: [registry],
    async collect() {
      this.reset();
      this.inc((await recoveryTimes()).length);
    },
  });
  new Histogram({
    name: 'pulse_sync_recovery_seconds', help: 'How long a run whose worker died went without a heartbeat until another worker was handed it',
    buckets: [5, 10, 20, 30, 45, 60, 90, 120, 300, 600], registers: [registry],
    async collect() {
      // Zeroed, not just emptied: an empty histogram would vanish from the scrape instead of reading 0.
      this.reset();
      this.zero({});
      for (const ms of await recoveryTimes()) this.observe(ms / 1000);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true }, onRequest: metricsGuard(ctx) }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}

/**
 * Who may read /metrics: with PULSE_METRICS_TOKEN, a scraper sending it as a bearer token; else,
 * when the API authenticates, the same JWTs the API takes; the local demo (loopback only) is open.
 * Metrics name routes, queue depth and pool sizes: not for the public.
 */
function metricsGuard(ctx: AppContext): onRequestAsyncHookHandler {
  const token = ctx.config.PULSE_METRICS_TOKEN;
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  return async (request) => {
    const authorization = request.headers.authorization ?? '';
    if (expected) {
      const given = Buffer.from(authorization);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('unauthorized', 'Send PULSE_METRICS_TOKEN as "Authorization: Bearer <token>" to read the metrics.');
      }
      return;
    }
    if (authMode(ctx.config) !== 'local-demo') await ctx.authenticate(authorization || undefined);
  };
}
