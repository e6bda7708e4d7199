/**
 * Forwards ingest's routes to the ingest service (distributed runtime), so that the web app served by report-api
 * reaches the admin and submission routes on its own origin: its session cookie (SameSite=Strict, in the store that
 * both services share) goes with the request, and ingest authenticates and authorizes it as usual. Bodies stream
 * both ways without being parsed here, bounded by `maxBodyBytes` (413 before ingest sees more); an ingest that does
 * not answer within `timeoutMs`, or is not there, is a 503 problem with Retry-After. Only the routes given (ingest's
 * documented ones) are forwarded, so report-api's document stays exactly what its origin serves.
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { MosyError } from '@mosy/core';
import { expressPath, type RouteDefinition } from '@mosy/http';

export interface IngestForwardOptions {
  /** Ingest's base URL, e.g. `http://ingest:8180`. */
  readonly target: URL;
  readonly routes: readonly RouteDefinition[];
  /** The largest body forwarded; ingest's own limit should not be larger. */
  readonly maxBodyBytes: number;
  /** How long ingest may take to start answering (and between chunks of its answer). */
  readonly timeoutMs: number;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the request forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  // Answered here, not passed on: ingest would answer a 100-continue the client's Node stream already took care of.
  'expect',
]);

/** The headers without the hop-by-hop ones, those the `Connection` header names included (RFC 9110 §7.6.1). */
function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) out[name] = value;
  return out;
}

/** A path segment that a URL parser would resolve (`.`, `..`, also percent-encoded) and so leave the route. */
const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

export function createIngestForward(options: IngestForwardOptions): Router {
  const { target, maxBodyBytes, timeoutMs } = options;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const tooLarge = (): MosyError =>
    new MosyError('payload-too-large', `The request body is larger than ${maxBodyBytes} bytes.`);

  const forward = (req: Request, res: Response, next: NextFunction): void => {
    const [path = '', query] = req.originalUrl.split(/\?(.*)/s, 2);
    if (DOT_SEGMENT.test(path)) {
      next(new MosyError('invalid-request', 'A path segment may not be `.` or `..`.'));
      return;
    }
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > maxBodyBytes) {
      next(tooLarge());
      return;
    }
    let failed = false;
    const fail = (error: MosyError): void => {
      if (failed) return;
      failed = true;
      upstream.destroy();
      req.unpipe(upstream);
      if (res.headersSent) res.destroy();
      else {
        // The client may still be sending a body nobody will read: end the connection after the answer.
        res.setHeader('Connection', 'close');
        next(error);
      }
    };
    const headers = endToEnd(req.headers);
    const forwardedFor = req.get('x-forwarded-for');
    const client = req.socket.remoteAddress ?? 'unknown';
    headers['x-forwarded-for'] = forwardedFor === undefined ? client : `${forwardedFor}, ${client}`;
    headers['x-forwarded-proto'] = req.protocol;
    // The path as received, under the target's own path, never resolved against it.
    const url = new URL(target);
    url.pathname = target.pathname.replace(/\/$/, '') + path;
    url.search = query === undefined ? '' : `?${query}`;
    const upstream = send(url, { method: req.method, headers, timeout: timeoutMs }, (reply) => {
      res.status(reply.statusCode ?? 502);
      for (const [name, value] of Object.entries(endToEnd(reply.headers)))
        if (value !== undefined) res.setHeader(name, value);
      reply.pipe(res);
      reply.on('error', () => res.destroy());
    });
    upstream.on('timeout', () =>
      fail(new MosyError('unavailable', `The ingest service did not answer within ${timeoutMs} ms.`)),
    );
    upstream.on('error', (error) =>
      fail(new MosyError('unavailable', `The ingest service cannot be reached (${error.message}).`)),
    );
    // A client that goes away takes its forwarded request with it.
    res.on('close', () => {
      if (!res.writableFinished) {
        failed = true;
        upstream.destroy();
      }
    });
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBodyBytes) fail(tooLarge());
    });
    req.pipe(upstream);
  };

  const router = express.Router();
  for (const route of options.routes) router[route.method](expressPath(route.path), forward);
  return router;
}
