/**
 * Express 5 forwards rejected promises from handlers to the error handler; this wrapper only gives handlers a
 * typed shape that returns a JSON value or writes the response itself.
 */
import type { Request, RequestHandler, Response } from 'express';

export function jsonRoute(
  handler: (req: Request, res: Response) => Promise<unknown>,
  status = 200,
): RequestHandler {
  return async (req, res) => {
    const body = await handler(req, res);
    if (!res.headersSent) res.status(status).json(body);
  };
}
