import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP relay to a real server, which a test can cut like a failed network or a downed database:
 * every open connection is dropped and new ones are refused until it is restored.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); socket.on('error', () => socket.destroy()); };
  const server = createServer((client) => {
    const upstream = createConnection(target);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
  });
  const listen = (port = 0) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  const port = await listen();
  return {
    port,
    async cut() {
      await new Promise<void>((resolve) => { server.close(() => resolve()); for (const socket of sockets) socket.destroy(); });
    },
    async restore() {
      await listen(port);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
