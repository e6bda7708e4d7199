/**
 * The life of a service process: start, log where it listens, and on SIGTERM/SIGINT stop consuming and close
 * connections before exiting, so that a rolling restart commits what it finished and redelivers nothing twice
 * more than at-least-once requires.
 */
import type { Server } from 'node:http';
import type { Logger } from '@mosy/http';

export function listen(
  app: { listen(port: number, host: string): Server },
  port: number,
  host: string,
): Promise<Server> {
  const server = app.listen(port, host);
  // Longer than any client's or load balancer's idle keep-alive, so nobody reuses a socket being closed.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

export function stopOnSignal(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
    });
  }
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
