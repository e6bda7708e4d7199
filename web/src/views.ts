/**
 * Which component draws each page: one line per page, and the type makes sure every page of pages.ts has one.
 */
import type { FunctionComponent } from 'preact';
import type { PageProps } from './page-props.js';
import type { PageId } from './pages.js';
import { Dashboard } from './pages/Dashboard.js';
import { Admin } from './pages/Admin.js';
import { Entry } from './pages/Entry.js';
import { Exports } from './pages/Exports.js';
import { MapPage } from './pages/Map.js';
import { ProjectionPage } from './pages/Projection.js';
import { Quality } from './pages/Quality.js';
import { Reports } from './pages/Reports.js';

export const VIEWS: Record<PageId, FunctionComponent<PageProps>> = {
  dashboard: Dashboard,
  reports: Reports,
  map: MapPage,
  projection: ProjectionPage,
  quality: Quality,
  admin: Admin,
  entry: Entry,
  exports: Exports,
};
