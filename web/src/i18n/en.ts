/** Every string of the web app in English; `pt.ts` has the same keys. */
export const en = {
  appName: 'MoSy',
  appTagline: 'Monitoring of trafficking in human beings',
  language: 'Language',
  skipToContent: 'Skip to content',
  signIn: {
    title: 'Sign in',
    intro:
      'Sign in with your MoSy API key. The key is exchanged for a session and is not kept in this browser.',
    keyLabel: 'API key',
    submit: 'Sign in',
    busy: 'Signing in…',
    invalid: 'That key was not accepted. Check it, or ask your administrator for a new one.',
    failed: 'Could not reach the server. Check your connection and try again.',
  },
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  roles: { provider: 'provider', analyst: 'analyst', coordinator: 'coordinator', admin: 'administrator' },
  nav: {
    label: 'Pages',
    dashboard: 'Dashboard',
    reports: 'Report builder',
    map: 'Map',
    projection: 'Projection',
    quality: 'Providers and data quality',
    entry: 'Data entry',
    exports: 'Exports',
    admin: 'Administration',
  },
  coming: 'coming',
  comingText: 'This page is coming in a later version.',
  loading: 'Loading…',
  sessionEnded: 'Your session has ended. Sign in again.',
  loadFailed: 'The data could not be loaded. Reload the page; if it persists, tell your administrator.',
  retry: 'Try again',
  notFound: 'There is no such page.',
  dashboard: {
    title: 'Dashboard',
    intro: 'Key indicators, latest quarter. Values are disclosure-controlled for analysts.',
    indicator: 'Indicator',
    quarter: 'Latest quarter',
    value: 'Value',
    unit: 'Unit',
    units: { persons: 'persons', cases: 'cases' },
    withheld: 'withheld',
    noData: 'no data',
  },
} as const;

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language file fills. */
export type Messages = Widen<typeof en>;
