/**
 * The hub's HTTP routes. On a hub (`hub` given): the admin registers nodes, node keys publish and withdraw their own
 * country's reports (another country's path is 403), analysts and coordinators read totals, comparisons and flows.
 * On a node that is not a hub these answer 404 saying so. The send route is the national side: with a sender
 * (`MOSY_HUB_URL` and `MOSY_HUB_NODE_KEY` set) a coordinator sends a published version to the hub.
 */
import express, { type Router } from 'express';
import { MosyError, type Registry } from '@mosy/core';
import {
  generateApiKey,
  jsonBody,
  jsonHandler,
  mountRoute,
  principalOf,
  requireRole,
  type Authenticator,
} from '@mosy/http';
import {
  HUB_COMPARISON,
  HUB_FLOWS,
  HUB_TOTALS,
  PUT_HUB_REPORT,
  REGISTER_NODE,
  SEND_EXPORT,
  WITHDRAW_HUB_REPORT,
} from '../api/hub.js';
import type { Hub } from './hub.js';
import type { HubSender } from './send.js';

export interface HubRoutesDeps {
  readonly authenticate: Authenticator;
  readonly registry: Registry;
  readonly hub?: Hub;
  readonly sender?: HubSender;
  readonly now: () => number;
}

/** The largest report a node may send: every observation of every table of a quarter fits well within. */
const MAX_REPORT_BYTES = '32mb';

export function createHubRoutes(deps: HubRoutesDeps): Router {
  const router = express.Router();
  const readers = requireRole(deps.authenticate, 'analyst', 'coordinator');
  const nodes = requireRole(deps.authenticate, 'node');
  const hubOf = (): Hub => {
    if (deps.hub === undefined)
      throw new MosyError('not-found', 'This node is not a hub: set MOSY_ROLE=hub and restart.');
    return deps.hub;
  };
  /** A node key publishes for its own country only. */
  const ownCountry = (req: express.Request, country: string): string => {
    const principal = principalOf(req);
    if (principal.country !== country)
      throw new MosyError(
        'forbidden',
        `This node key publishes for ${principal.country ?? 'no country'}, not ${country}.`,
      );
    return principal.keyId;
  };

  mountRoute(
    router,
    REGISTER_NODE,
    requireRole(deps.authenticate, 'admin'),
    jsonBody({ limit: '4kb' }),
    jsonHandler(REGISTER_NODE)(async ({ body }) => {
      hubOf();
      const { id, key, hash } = generateApiKey('node');
      await deps.registry.createKey({
        id,
        hash,
        role: 'node',
        country: body.country,
        createdAt: deps.now(),
        ...(body.label === undefined ? {} : { label: body.label }),
      });
      return { id, key, country: body.country };
    }),
  );
  mountRoute(
    router,
    PUT_HUB_REPORT,
    nodes,
    jsonBody({ limit: MAX_REPORT_BYTES }),
    jsonHandler(PUT_HUB_REPORT)(({ params, body, req }) => {
      const by = ownCountry(req, params.country);
      return hubOf().receive(params.country, params.period, body.revision, body.observations, by);
    }),
  );
  mountRoute(
    router,
    WITHDRAW_HUB_REPORT,
    nodes,
    jsonHandler(WITHDRAW_HUB_REPORT)(({ params, req }) => {
      const by = ownCountry(req, params.country);
      return hubOf().withdraw(params.country, params.period, by);
    }),
  );
  mountRoute(
    router,
    HUB_TOTALS,
    readers,
    jsonHandler(HUB_TOTALS)(({ query }) => hubOf().totals(query.period)),
  );
  mountRoute(
    router,
    HUB_COMPARISON,
    readers,
    jsonHandler(HUB_COMPARISON)(({ query }) => hubOf().comparison(query.period)),
  );
  mountRoute(
    router,
    HUB_FLOWS,
    readers,
    jsonHandler(HUB_FLOWS)(({ query }) => hubOf().flows(query.period)),
  );
  mountRoute(
    router,
    SEND_EXPORT,
    requireRole(deps.authenticate, 'coordinator'),
    jsonHandler(SEND_EXPORT)(({ params }) => {
      if (deps.sender === undefined)
        throw new MosyError(
          'not-found',
          'Sending to a hub needs MOSY_HUB_URL, MOSY_HUB_NODE_KEY and MOSY_REPORTING_COUNTRY; set them and restart.',
        );
      return deps.sender(params.period, Number(params.revision));
    }),
  );
  return router;
}
