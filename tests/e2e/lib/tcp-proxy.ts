/**
 * A TCP proxy that can be cut: a service pointed at it loses its dependency (refused connections, reset
 * sockets) without the shared dependency itself being stopped, then gets it back. For HTTP dependencies
 * (ClickHouse, the schema registry); Kafka clients connect to the brokers' advertised addresses, so not for Kafka.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Closes the port and resets every open connection. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const open = (port: number): Promise<Server> => {
    const server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done(server));
    });
  };
  let server: Server | undefined = await open(0);
  const { port } = server.address() as AddressInfo;
  const cut = async () => {
    const closing = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    if (closing) await new Promise<void>((done) => closing.close(() => done()));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    async restore() {
      server ??= await open(port);
    },
    close: cut,
  };
}
