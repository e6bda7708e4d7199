/**
 * Operations endpoints of every service process: `/healthz` (the process is up), `/readyz` (its dependencies
 * answer, so a load balancer or Kubernetes may send it work) and `/metrics` (Prometheus text format). API services
 * mount them on their own app; consumers serve them on a small app of their own.
 */
import express, { type Express } from 'express';
import { z } from 'zod';
import { HEALTH_ROUTE, defineRoute, type RouteDefinition } from '@mosy/http';
import type { ServiceMetrics } from './metrics.js';

/** The operations routes as definitions, for the OpenAPI document of an API service process. */
export const OPS_ROUTES: readonly RouteDefinition[] = [
  HEALTH_ROUTE,
  defineRoute({
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    summary: 'Readiness: the process’s dependencies answer (distributed runtime).',
    tags: ['meta'],
    public: true,
    responses: {
      200: {
        description: 'Ready.',
        content: { 'application/json': z.strictObject({ status: z.literal('ready') }) },
      },
      503: {
        description: 'Not ready, with the reason.',
        content: {
          'application/json': z.strictObject({ status: z.literal('not ready'), reason: z.string() }),
        },
      },
    },
    problems: [],
  }),
  defineRoute({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics of the process (text exposition format; distributed runtime).',
    tags: ['meta'],
    public: true,
    responses: { 200: { description: 'Metrics.', content: { 'text/plain': z.string() } } },
    problems: [],
  }),
];

export function mountOps(app: Express, metrics: ServiceMetrics, ready: () => Promise<void>): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await ready();
      res.json({ status: 'ready' });
    } catch (error) {
      res
        .status(503)
        .json({ status: 'not ready', reason: error instanceof Error ? error.message : String(error) });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

export function createOpsApp(metrics: ServiceMetrics, ready: () => Promise<void>): Express {
  const app = express();
  app.disable('x-powered-by');
  mountOps(app, metrics, ready);
  return app;
}
