/** Mounts the spatial routes for analysts and coordinators. */
import express, { type Router } from 'express';
import { jsonHandler, mountRoute, requireRole, type Authenticator } from '@mosy/http';
import { SPATIAL_CONTEXT, SPATIAL_CORRIDORS, SPATIAL_HOTSPOTS } from '../api/spatial.js';
import { spatialContext } from './context.js';
import { corridors } from './corridors.js';
import type { SpatialContext } from './deps.js';
import { hotspots } from './hotspots.js';

export function createSpatialRoutes(ctx: SpatialContext, authenticate: Authenticator): Router {
  const router = express.Router();
  const readers = requireRole(authenticate, 'analyst', 'coordinator');
  mountRoute(
    router,
    SPATIAL_HOTSPOTS,
    readers,
    jsonHandler(SPATIAL_HOTSPOTS)(({ req }) => hotspots(ctx, req)),
  );
  mountRoute(
    router,
    SPATIAL_CONTEXT,
    readers,
    jsonHandler(SPATIAL_CONTEXT)(({ req }) => spatialContext(ctx, req)),
  );
  mountRoute(
    router,
    SPATIAL_CORRIDORS,
    readers,
    jsonHandler(SPATIAL_CORRIDORS)(({ req }) => corridors(ctx, req)),
  );
  return router;
}
