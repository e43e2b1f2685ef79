import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { Envelope, EventBus, PulseEvent } from './types.js';

/**
 * Event fan-out across processes through PostgreSQL NOTIFY, so a sync running in a worker on another
 * machine reaches the browser connected to this server. PGlite cannot deliver NOTIFY to another
 * connection, and the embedded mode is one process anyway, so there it is an in-process emitter.
 */
const CHANNEL = 'pulse_events';

export function createLocalBus(): EventBus & { deliver(envelope: Envelope): void } {
  const emitter = new EventEmitter().setMaxListeners(0);
  const deliver = (envelope: Envelope) => emitter.emit(envelope.userId, envelope.event, envelope.at);
  return {
    deliver,
    async publish(userId, event) {
      deliver({ userId, event, at: new Date().toISOString() });
    },
    subscribe(userId, listener) {
      emitter.on(userId, listener);
      return () => emitter.off(userId, listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

export async function createPostgresBus(pool: pg.Pool, connection: pg.ClientConfig, logger: Logger): Promise<EventBus> {
  const local = createLocalBus();
  let listener: pg.Client | undefined;
  let closed = false;

  const connect = async (): Promise<void> => {
    const client = new pg.Client(connection);
    client.on('notification', (message) => {
      try {
        local.deliver(JSON.parse(message.payload ?? '') as Envelope);
      } catch (error) {
        logger.warn({ err: error }, 'ignored a malformed event notification');
      }
    });
    client.on('error', (error) => {
      logger.warn({ err: error }, 'event listener connection lost; reconnecting');
      client.end().catch(() => {});
      reconnect(1000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
  };
  // Keeps trying, with growing pauses, until the database answers again or the bus is closed.
  const reconnect = (delayMs: number) => {
    if (closed) return;
    setTimeout(() => void connect().catch((error) => {
      logger.error({ err: error }, 'event listener reconnect failed; retrying');
      reconnect(Math.min(delayMs * 2, 30_000));
    }), delayMs);
  };
  await connect();

  return {
    async publish(userId: string, event: PulseEvent) {
      const envelope: Envelope = { userId, event, at: new Date().toISOString() };
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(envelope)]);
    },
    subscribe: local.subscribe,
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await local.close();
    },
  };
}
