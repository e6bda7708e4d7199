/**
 * The HTTP server every MoSy process listens with: node's, with a request timeout, so that a client sending its
 * headers or body a byte at a time (slowloris) is cut off instead of holding a socket and a body parser for ever.
 * The whole request, headers and body, must arrive within `requestTimeoutMs`; node checks open connections every
 * second at most, and a request that ran out of time gets a 408 problem+json (`request-timeout`) and the connection
 * is closed. Other requests are served meanwhile: the event loop never waits on a slow client. A request that is
 * not HTTP at all gets a 400 problem+json, as node's own default answer would be 400 without a body.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { MosyError } from '@mosy/core';
import { toProblem } from './problem.js';
import { API_CONTENT_SECURITY_POLICY } from './security-headers.js';

export interface ServerSettings {
  /** The longest a request's headers and body may take to arrive. */
  readonly requestTimeoutMs: number;
}

/** A raw HTTP/1.1 answer written to a socket that has no response object (node's `clientError`). */
function rawProblem(error: MosyError): string {
  const problem = toProblem(error);
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${problem.status} ${problem.title}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    'X-Content-Type-Options: nosniff',
    'Cache-Control: no-store',
    `Content-Security-Policy: ${API_CONTENT_SECURITY_POLICY}`,
    '',
    body,
  ].join('\r\n');
}

/** Answers what node could not hand to express: a timed-out request, or bytes that are not HTTP. */
function answerClientError(requestTimeoutMs: number) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    // Like node's default: nothing to say to a socket that is gone or that already carries a response.
    const response = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent === true) {
      socket.destroy();
      return;
    }
    const problem =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new MosyError(
            'request-timeout',
            `The request did not arrive in full within ${Math.round(requestTimeoutMs / 1000)} s; send it again, faster.`,
          )
        : new MosyError('invalid-request', 'The request is not valid HTTP/1.1.');
    socket.end(rawProblem(problem));
  };
}

/** A server for `app` with the request timeout; call `listen` on it. */
export function createHttpServer(app: RequestListener, settings: ServerSettings): Server {
  const timeout = settings.requestTimeoutMs;
  const server = createServer(
    {
      requestTimeout: timeout,
      headersTimeout: timeout,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(timeout / 4))),
    },
    app,
  );
  // Longer than any client's or load balancer's idle keep-alive, so nobody reuses a socket being closed.
  server.keepAliveTimeout = 65_000;
  server.on('clientError', answerClientError(timeout));
  return server;
}

/** Starts `server` on the port and host; resolves once it listens. */
export function listenOn(server: Server, port: number, host: string): Promise<Server> {
  server.listen(port, host);
  return new Promise((resolve, reject) => {
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
