/**
 * What a page holds of a request: still loading, its value, or its error. Loading is a state of its own, so that a
 * page never shows "none" (or an earlier answer) for "not here yet".
 */
export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly message: string }
  | { readonly state: 'ok'; readonly value: T };
