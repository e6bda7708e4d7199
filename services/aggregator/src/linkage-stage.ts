/**
 * The linker stage of fuzzy person linkage (docs/linkage.md): takes the normalizer's linkage messages in one order
 * (in process in the embedded runtime, the one-partition `linkage` topic in the distributed one), links them with
 * the pure record-level linker of `@mosy/core`, and writes each batch's outcome to the linkage store — the records'
 * encodings in linking order, their person keys, and the person keys a merge changed — before it resolves. Each
 * merge also writes an audit entry with counts only, so a person total that drops when a bridging record arrives is
 * explained.
 *
 * On start it rebuilds the linker from the store: every stored encoding linked again in its linking order, and each
 * rebuilt group given the person key most of its records were stored with (`Linker.adopt`), so keys survive a
 * restart even where a founder was unlinked since. Where records were unlinked the rebuilt grouping can differ (a
 * bridge gone splits a merged group): the person keys that then differ are rewritten and counted as a
 * re-grouping, never left disagreeing with the store.
 *
 * Before each batch it compares the store's position with the one its own last write or rebuild left: when another
 * process wrote since (the linker before a fail-over or a rebalance of the one-partition topic), or its own last
 * write failed, it rebuilds first, so it never links against a stale index. (Two linkers writing at the same moment
 * are not fenced: Kafka gives the partition to one member, and a member finishes its batch before it is revoked.)
 *
 * Replays are harmless: a message whose version is not higher than the record's stored one changes nothing (an
 * unlinked record keeps its version as a tombstone without its encoding). A record never linked that is unlinked
 * writes nothing.
 */
import {
  createLinker,
  type AuditLog,
  type LinkageChange,
  type LinkageMessage,
  type LinkageStore,
  type LinkageTotals,
  type LinkRef,
  type PersonRelink,
  type StoredLinkage,
} from '@mosy/core';
import type { Logger } from '@mosy/http';

export interface LinkageStageDeps {
  readonly store: LinkageStore;
  /** The deployment's pseudonym secret: group keys derive from it. */
  readonly secret: string;
  /** Where each re-grouping is recorded (counts only). */
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

export interface LinkageStage {
  /** Rebuilds the linker from the store; `apply` also rebuilds when the store moved on without it. */
  start(): Promise<void>;
  /** Links a batch of messages in their order; resolves once the outcome is durable in the store. */
  apply(messages: readonly LinkageMessage[]): Promise<void>;
  /** Re-groupings so far (from the store, so they survive restarts). */
  totals(): Promise<LinkageTotals>;
}

/** The audit entry's action for a re-grouping. */
export const REGROUPING_ACTION = 'linkage-regrouping';

const keyOf = (ref: LinkRef): string => `${ref.providerId}\u0000${ref.recordId}`;

export function createLinkageStage(deps: LinkageStageDeps): LinkageStage {
  const now = deps.now ?? Date.now;
  let linker = createLinker(deps.secret);
  /** Record → the version the store holds for it. */
  const versions = new Map<string, number>();
  /** The store's position after this stage's last write or rebuild; undefined: rebuild before linking. */
  let position: string | undefined;

  const audit = async (merges: readonly number[], reason: string): Promise<void> => {
    for (const revised of merges)
      await deps.audit.record({
        at: now(),
        keyId: 'linker',
        role: 'system',
        action: REGROUPING_ACTION,
        resource: 'person_links',
        query: `reason=${reason}&revisedRecords=${revised}`,
      });
  };

  const rebuild = async (): Promise<void> => {
    linker = createLinker(deps.secret);
    versions.clear();
    const stored = await deps.store.load();
    const relinks: PersonRelink[] = [];
    const linked = stored.filter((row) => row.encoding !== undefined);
    for (const row of stored) {
      versions.set(keyOf(row), row.version);
      if (row.encoding !== undefined)
        linker.link({ providerId: row.providerId, recordId: row.recordId }, row.encoding);
    }
    // Each rebuilt group takes the key most of its records were stored with, so keys survive a restart.
    const groups = new Map<string, StoredLinkage[]>();
    for (const row of linked) {
      const key = linker.personKeyOf(row)!;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const members of groups.values()) {
      const votes = new Map<string, number>();
      for (const { personKey } of members)
        if (personKey !== undefined) votes.set(personKey, (votes.get(personKey) ?? 0) + 1);
      const [winner] = [...votes].sort((a, b) => b[1] - a[1]);
      if (winner !== undefined) linker.adopt(members[0]!, winner[0]);
    }
    for (const row of linked) {
      const personKey = linker.personKeyOf(row)!;
      if (personKey !== row.personKey)
        relinks.push({ providerId: row.providerId, recordId: row.recordId, personKey });
    }
    if (relinks.length > 0) {
      await deps.store.write({ changes: [], relinks, merges: 1, revisedRecords: relinks.length });
      await audit([relinks.length], 'rebuild');
      deps.logger.info({ revisedRecords: relinks.length }, 'linkage re-grouped on rebuild');
    }
    deps.logger.info({ records: linker.records, persons: linker.persons }, 'linker rebuilt');
    position = await deps.store.position();
  };

  return {
    start: rebuild,

    async apply(messages) {
      if (position === undefined || position !== (await deps.store.position())) await rebuild();
      const changes = new Map<string, LinkageChange>();
      const relinks = new Map<string, PersonRelink>();
      const merges: number[] = [];
      for (const message of messages) {
        const key = keyOf(message);
        const known = versions.get(key);
        if (known !== undefined && message.version <= known) continue;
        const ref = { providerId: message.providerId, recordId: message.recordId };
        if (message.encoding === undefined) {
          // Nothing to delete for a record never linked.
          if (known === undefined) continue;
          linker.unlink(ref);
          relinks.delete(key);
          changes.delete(key);
          changes.set(key, { ...ref, version: message.version });
        } else {
          const { personKey, revisions } = linker.link(ref, message.encoding);
          changes.delete(key);
          relinks.delete(key);
          changes.set(key, { ...ref, version: message.version, encoding: message.encoding, personKey });
          for (const revision of revisions) {
            const revisedKey = keyOf(revision);
            const change = changes.get(revisedKey);
            if (change !== undefined) changes.set(revisedKey, { ...change, personKey: revision.to });
            else
              relinks.set(revisedKey, {
                providerId: revision.providerId,
                recordId: revision.recordId,
                personKey: revision.to,
              });
          }
          if (revisions.length > 0) merges.push(revisions.length);
        }
        versions.set(key, message.version);
      }
      if (changes.size === 0 && relinks.size === 0) return;
      try {
        await deps.store.write({
          changes: [...changes.values()],
          relinks: [...relinks.values()],
          merges: merges.length,
          revisedRecords: merges.reduce((sum, n) => sum + n, 0),
        });
      } catch (error) {
        // The linker in memory is ahead of the store: the next batch (this one again) rebuilds from the store first.
        position = undefined;
        throw error;
      }
      position = await deps.store.position();
      await audit(merges, 'merge');
      if (merges.length > 0) deps.logger.info({ merges: merges.length }, 'linkage re-grouped records');
    },

    totals: () => deps.store.totals(),
  };
}
