/**
 * Disclosure control done once per store result. A store that keeps its results until the next write (the
 * `ResultCache` of DuckDB and of ClickHouse) hands every read of unchanged data the same result object; protecting
 * it again would repeat the same work to the same end (suppression and the cell key method are deterministic), which
 * was the larger part of a catalogue read's time (a table of hundreds of cells). A store that returns a new object
 * per read simply finds nothing here; an entry goes when its result is no longer held.
 */
import { protectResult, type DisclosureMode, type KeyedResult, type ProtectedResult } from '@mosy/core';

const published = new WeakMap<KeyedResult, Map<string, ProtectedResult>>();

/** `protectResult(result, mode, { threshold })`, computed once per result object, mode and threshold. */
export function protectOnce(result: KeyedResult, mode: DisclosureMode, threshold: number): ProtectedResult {
  let byMethod = published.get(result);
  if (byMethod === undefined) published.set(result, (byMethod = new Map<string, ProtectedResult>()));
  const method = `${mode}/${threshold}`;
  let protectedResult = byMethod.get(method);
  if (protectedResult === undefined)
    byMethod.set(method, (protectedResult = protectResult(result, mode, { threshold })));
  return protectedResult;
}
