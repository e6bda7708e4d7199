/**
 * Data quality per provider, `GET /v1/reports/quality`: completeness (for each record kind and field, how many
 * current records say `UNK` — for list fields, contain it — and the share), timeliness (days from the end of a
 * record's reference period to its arrival: mean, and how many within 30, 90 and 365 days; when the store offers
 * it), volume (current records per kind and quarter of their reference date, `YYYY-unspecified` for records dated
 * only to the year), and the intake's quality events from
 * the ledger: rejected records and dead letters with their reasons, unmapped and defaulted provider values.
 * A provider key sees its own provider only (contract §5), unprotected: these are its own records. Analysts and
 * coordinators see any providers (`providers=`), with counts below the threshold withheld unless a coordinator
 * asks for `protection=none` (audited). A kind's quarters add up to its records, so they are protected as one line
 * with that total (secondary suppression), and the total is published alike wherever it appears. An unmapped value is whatever a provider typed, possibly a name or an
 * address: only the provider and coordinators see it; analysts get the count per field, without the values.
 */
import type { Request } from 'express';
import {
  CANONICAL_FIELDS,
  RECORD_KINDS,
  fieldAppliesTo,
  primarySuppress,
  protectResult,
  type CanonicalField,
  type QualityCount,
  type RecordKind,
} from '@mosy/core';
import { principalOf } from '@mosy/http';
import { resolveProtection, type Protection } from '../audit.js';
import { invalidParam, listParam, type ReportContext } from './context.js';

/** A count as published (`null` when withheld, with the flag `c`). */
export interface QualityValue {
  readonly value: number | null;
  readonly flag?: 'c';
}

export interface FieldCompleteness {
  readonly kind: RecordKind;
  readonly field: CanonicalField;
  /** Current records of the kind. */
  readonly records: QualityValue;
  /** Of which unknown (`UNK`, or a list containing `UNK`). */
  readonly unknown: QualityValue;
  /** unknown / records, rounded to 4 decimals; `null` when either is withheld or there are no records. */
  readonly unknownShare: number | null;
}

export interface KindTimeliness {
  readonly kind: RecordKind;
  readonly records: QualityValue;
  /** Mean days from the end of the reference period to arrival, to 0.1; `null` when the count is withheld. */
  readonly meanLagDays: number | null;
  readonly within30: QualityValue;
  readonly within90: QualityValue;
  readonly within365: QualityValue;
}

/** Current records of one kind whose reference date falls in one quarter. */
export interface QuarterVolume {
  readonly kind: RecordKind;
  /** `2024-Q3`, or `2024-unspecified` for records dated only to the year. */
  readonly period: string;
  readonly records: QualityValue;
}

export interface ProviderQuality {
  readonly providerId: string;
  readonly completeness: readonly FieldCompleteness[];
  readonly volume: readonly QuarterVolume[];
  /** Absent when the store does not compute timeliness. */
  readonly timeliness?: readonly KindTimeliness[];
  /** Ledger events: rejects and dead letters (field = reason code), unmapped and defaulted values. */
  readonly events: readonly (Omit<QualityCount, 'count' | 'value'> & {
    /** Absent for unmapped values read by an analyst. */
    readonly value?: string;
    readonly count: number | null;
    readonly flag?: 'c';
  })[];
}

export interface QualityReport {
  readonly report: 'quality';
  readonly protection: Protection;
  readonly threshold?: number;
  readonly providers: readonly ProviderQuality[];
}

/** Answers a data-quality request. */
export async function qualityReport(ctx: ReportContext, req: Request): Promise<QualityReport> {
  const principal = principalOf(req);
  const known = (await ctx.registry.listProviders()).map((p) => p.id);
  let ids: string[];
  let protection: Protection;
  if (principal.role === 'provider') {
    if (principal.providerId === undefined) throw invalidParam('providers', 'the key has no provider');
    const asked = listParam(req, 'providers');
    if (asked.some((id) => id !== principal.providerId))
      throw invalidParam('providers', 'a provider key reads its own provider only');
    ids = [principal.providerId];
    protection = 'none';
  } else {
    const asked = listParam(req, 'providers');
    const unknown = asked.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw invalidParam('providers', `not registered: ${unknown.join(', ')}`);
    ids = asked.length === 0 ? [...known].sort() : [...new Set(asked)].sort();
    protection = await resolveProtection(req, ctx.audit, ctx.now);
  }
  const threshold = ctx.disclosure.threshold;
  const publish = (n: number): QualityValue =>
    protection === 'none' ? { value: n } : primarySuppress(n, threshold);

  const completeness = new Map<string, FieldCompleteness[]>(ids.map((id) => [id, []]));
  // The published records total of each provider and kind, the same in completeness, volume and timeliness.
  const totalOf = new Map<string, { readonly records: number; readonly published: QualityValue }>();
  const volume = new Map<string, QuarterVolume[]>(ids.map((id) => [id, []]));
  if (ids.length > 0)
    for (const kind of Object.keys(RECORD_KINDS) as RecordKind[]) {
      const fields = CANONICAL_FIELDS.filter((field) => fieldAppliesTo(field, kind));
      const totals = await ctx.store.query({
        kind,
        unit: 'records',
        by: ['providerId'],
        filters: { providerId: ids },
      });
      const recordsOf = new Map(totals.cells.map((c) => [c.key.providerId ?? '', c.value]));
      if (recordsOf.size === 0) continue;
      const quarters = await ctx.store.query({
        kind,
        unit: 'records',
        by: ['providerId'],
        interval: 'quarter',
        filters: { providerId: ids },
      });
      const sorted = [...quarters.cells].sort((a, b) => (a.period ?? '').localeCompare(b.period ?? ''));
      for (const [providerId, records] of recordsOf) {
        // Quarters (and `YYYY-unspecified`) partition the records: one line, or a withheld quarter is a difference.
        const line = protectResult(
          {
            cells: sorted
              .filter((cell) => (cell.key.providerId ?? '') === providerId)
              .map((cell) => ({ key: {}, period: cell.period ?? '', value: cell.value })),
            total: records,
          },
          protection === 'none' ? 'none' : 'suppress',
          { threshold },
        );
        totalOf.set(`${providerId}|${kind}`, { records, published: line.total });
        for (const cell of line.cells)
          volume.get(providerId)?.push({
            kind,
            period: cell.period ?? '',
            records: { value: cell.value, ...(cell.flag === undefined ? {} : { flag: cell.flag }) },
          });
      }
      const unknowns = await Promise.all(
        fields.map((field) =>
          ctx.store.query({
            kind,
            unit: 'records',
            by: ['providerId'],
            filters: { providerId: ids, [field]: ['UNK'] },
          }),
        ),
      );
      fields.forEach((field, i) => {
        const unknownOf = new Map(unknowns[i]!.cells.map((c) => [c.key.providerId ?? '', c.value]));
        for (const [providerId, records] of recordsOf) {
          const unknown = unknownOf.get(providerId) ?? 0;
          const r = totalOf.get(`${providerId}|${kind}`)?.published ?? publish(records);
          const u = publish(unknown);
          completeness.get(providerId)?.push({
            kind,
            field,
            records: r,
            unknown: u,
            unknownShare:
              r.value === null || u.value === null || r.value === 0
                ? null
                : Math.round((u.value / r.value) * 10_000) / 10_000,
          });
        }
      });
    }

  const timeliness =
    ctx.store.timeliness === undefined || ids.length === 0 ? undefined : await ctx.store.timeliness(ids);

  const providers: ProviderQuality[] = [];
  for (const providerId of ids) {
    const stored = ctx.ledger === undefined ? [] : await ctx.ledger.quality(providerId);
    const events = principal.role === 'analyst' ? withoutUnmappedValues(stored) : stored;
    providers.push({
      providerId,
      completeness: completeness.get(providerId) ?? [],
      volume: volume.get(providerId) ?? [],
      ...(timeliness === undefined
        ? {}
        : {
            timeliness: timeliness
              .filter((t) => t.providerId === providerId)
              .map((t) => {
                const total = totalOf.get(`${providerId}|${t.kind}`);
                const records = total?.records === t.records ? total.published : publish(t.records);
                return {
                  kind: t.kind,
                  records,
                  meanLagDays:
                    records.value === null || t.records === 0
                      ? null
                      : Math.round((t.lagDaysSum / t.records) * 10) / 10,
                  within30: publish(t.within30),
                  within90: publish(t.within90),
                  within365: publish(t.within365),
                };
              }),
          }),
      events: events.map(({ count, ...event }) => {
        const published = publish(count);
        return {
          ...event,
          count: published.value,
          ...(published.flag === undefined ? {} : { flag: published.flag }),
        };
      }),
    });
  }
  return { report: 'quality', protection, ...(protection === 'none' ? {} : { threshold }), providers };
}

/** Unmapped events merged per field where first listed, their provider values dropped (counts summed). */
function withoutUnmappedValues(
  events: readonly QualityCount[],
): (Omit<QualityCount, 'value'> & { readonly value?: string })[] {
  const out: (Omit<QualityCount, 'value'> & { readonly value?: string })[] = [];
  const at = new Map<string, number>();
  for (const event of events) {
    if (event.kind !== 'unmapped') {
      out.push(event);
      continue;
    }
    const { value: _value, ...rest } = event;
    const index = at.get(event.field);
    const seen = index === undefined ? undefined : out[index];
    if (index === undefined || seen === undefined) {
      at.set(event.field, out.length);
      out.push(rest);
    } else
      out[index] = {
        ...seen,
        count: seen.count + rest.count,
        lastSeen: Math.max(seen.lastSeen, rest.lastSeen),
      };
  }
  return out;
}
