/**
 * Page state in the URL's hash query (`#/reports?indicator=victims&by=sex`), so a page can be bookmarked, shared
 * and reloaded as it was. Writing the state adds a history entry, so the browser's back button returns to the
 * previous state.
 */
import { useEffect, useState } from 'preact/hooks';

/** The query part of a hash (`#/reports?a=1` → `a=1`). */
export function hashParams(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/** The current page's state, updated when the hash changes. */
export function useHashParams(): URLSearchParams {
  const [params, setParams] = useState(() => hashParams(location.hash));
  useEffect(() => {
    const onChange = () => setParams(hashParams(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return params;
}

/** Replaces the current page's state (the page id stays). */
export function setHashParams(params: URLSearchParams): void {
  const page = location.hash.replace(/\?.*$/, '') || '#/';
  const query = params.toString();
  location.hash = query === '' ? page : `${page}?${query}`;
}

/**
 * Replaces the current page's state without a new history entry (a map redrawn at each step of its time slider
 * would otherwise fill the history); the page's `useHashParams` still sees the change.
 */
export function replaceHashParams(params: URLSearchParams): void {
  const page = location.hash.replace(/\?.*$/, '') || '#/';
  const query = params.toString();
  const hash = query === '' ? page : `${page}?${query}`;
  if (hash === location.hash) return;
  history.replaceState(history.state, '', hash);
  dispatchEvent(new HashChangeEvent('hashchange'));
}
