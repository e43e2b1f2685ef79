import type { ApiClient } from './client';
import type { PulseEvent } from './types';

export type StreamState = 'connecting' | 'live' | 'offline';

interface StreamHandlers {
  onEvent: (event: PulseEvent) => void;
  onState: (state: StreamState) => void;
}

/**
 * Reads `GET /api/events` (Server-Sent Events) with fetch rather than EventSource, because
 * EventSource cannot send the host app's bearer token. Reconnects with backoff until `signal` aborts.
 */
export async function readEventStream(api: ApiClient, signal: AbortSignal, handlers: StreamHandlers): Promise<void> {
  let delayMs = 1000;
  while (!signal.aborted) {
    handlers.onState('connecting');
    try {
      const response = await fetch(`${api.baseUrl}/api/events`, { headers: await api.headers({ accept: 'text/event-stream' }), signal });
      if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
      handlers.onState('live');
      delayMs = 1000;
      await readMessages(response.body, handlers.onEvent);
    } catch {
      if (signal.aborted) return;
    }
    handlers.onState('offline');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 15_000);
  }
}

async function readMessages(body: ReadableStream<Uint8Array>, onEvent: (event: PulseEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = block.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (!data) continue; // keep-alive comment or an event without data
      try {
        onEvent(JSON.parse(data) as PulseEvent);
      } catch {
        // A malformed message is skipped; the next one is independent.
      }
    }
  }
}
