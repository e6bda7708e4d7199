/**
 * Structured logs (pino). Request logs carry method, route path, status and duration only: never a body, a query
 * string or a header, because bodies carry identity before the normalizer and keys are secrets.
 */
import type { RequestHandler } from 'express';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export function createLogger(options: {
  name: string;
  level?: string;
  destination?: NodeJS.WritableStream;
}): Logger {
  const opts: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    // Defence in depth: if an error object ever carries these, they are not printed.
    redact: {
      paths: ['identity', '*.identity', 'req.headers.authorization', 'fields', '*.fields'],
      remove: true,
    },
  };
  return options.destination === undefined ? pino(opts) : pino(opts, options.destination);
}

export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    });
    next();
  };
}
