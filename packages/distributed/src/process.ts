/**
 * The life of a service process: start, log where it listens, and on SIGTERM/SIGINT stop consuming and close
 * connections before exiting, so that a rolling restart commits what it finished and redelivers nothing twice
 * more than at-least-once requires.
 */
import type { RequestListener, Server } from 'node:http';
import { DEFAULT_HARDENING, createHttpServer, listenOn, type Logger } from '@mosy/http';

/** Listens with MoSy's HTTP server (request timeout, keep-alive longer than a load balancer's). */
export function listen(
  app: RequestListener,
  port: number,
  host: string,
  requestTimeoutMs = DEFAULT_HARDENING.requestTimeoutMs,
): Promise<Server> {
  return listenOn(createHttpServer(app, { requestTimeoutMs }), port, host);
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
