/**
 * The synthetic data generator: a deterministic, clearly labelled synthetic dataset for tests and the demo. It draws
 * a world of invented victims and traffickers, lets each of six invented providers report some of them in its own
 * vocabulary — the same person seen by the police and an NGO, written differently; records without identity;
 * corrections, withdrawals, re-sent duplicates, unmapped values, dates at day, month or year precision — and keeps
 * the truth: the canonical current state of every record, decided before encoding. `referenceQuery` counts from
 * the truth, so what MoSy reports can be compared with an independent answer.
 */
import type { RecordKind, SubmittedRecord } from '@mosy/core';
import { ageOn, dateOf, formatReferenceDate, yearBounds } from './calendar.js';
import { completeFields, type Draft, type Precision } from './draft.js';
import { createIdentityFactory, styleIdentity, type PersonIdentity } from './identities.js';
import { createRng, type Rng } from './prng.js';
import type { ProviderProfile } from './providers/profile.js';
import { PROFILES, type ProfileName } from './providers/profiles.js';
import type { GenerateOptions, ProviderSubmissions, SyntheticDataset, TruthRecord } from './types.js';
import { MEANS, RECRUITERS, drawTrafficker, drawVictim, pickPtNuts3, type TruePerson } from './world.js';

/** The seed of the demo dataset. */
export const DEMO_SEED = 20_240_601;

/** One version of a planned record, with the day it is sent (which orders the provider's submissions). */
interface PlannedVersion {
  readonly version: number;
  readonly sendDay: number;
  /** Undefined for a withdrawal. */
  readonly draft?: Draft;
  /** A re-send of the version before it: the same record and version, which must change nothing. */
  readonly resend?: boolean;
}

interface PlannedRecord {
  readonly profile: ProfileName;
  readonly recordId: string;
  readonly kind: RecordKind;
  readonly person?: TruePerson;
  readonly identity?: PersonIdentity;
  readonly versions: PlannedVersion[];
}

interface Context {
  readonly rng: Rng;
  readonly first: number;
  readonly last: number;
  readonly records: PlannedRecord[];
  readonly identities: Map<number, PersonIdentity>;
  readonly identityOf: (person: TruePerson) => PersonIdentity;
  readonly nextId: (prefix: string) => number;
}

/** Generates a synthetic dataset; the same options always give the same dataset. */
export function generateDataset(options: GenerateOptions): SyntheticDataset {
  const years = [...(options.years ?? [2023, 2024, 2025])].sort((a, b) => a - b);
  const persons = options.persons ?? 3000;
  if (years.length === 0) throw new Error('generateDataset: years must not be empty');
  const rng = createRng(options.seed);
  const newIdentity = createIdentityFactory(rng.fork('identities'));
  const identities = new Map<number, PersonIdentity>();
  const counters = new Map<string, number>();
  const ctx: Context = {
    rng,
    first: yearBounds(years[0]!)[0],
    last: yearBounds(years[years.length - 1]!)[1],
    records: [],
    identities,
    identityOf: (person) => {
      let identity = identities.get(person.id);
      if (identity === undefined) {
        identity = newIdentity(person.birthDay);
        identities.set(person.id, identity);
      }
      return identity;
    },
    nextId: (prefix) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return n;
    },
  };

  const victimRng = rng.fork('victims');
  for (let i = 0; i < persons; i++) {
    const baseDay = victimRng.int(ctx.first, ctx.last);
    planVictim(ctx, victimRng, drawVictim(victimRng, i + 1, baseDay), baseDay);
  }
  const traffickerRng = rng.fork('traffickers');
  const traffickers: TruePerson[] = [];
  for (let i = 0; i < Math.round(persons * 0.3); i++) {
    const baseDay = traffickerRng.int(ctx.first, ctx.last);
    const trafficker = drawTrafficker(traffickerRng, 1_000_000 + i + 1, baseDay);
    traffickers.push(trafficker);
    planSuspect(ctx, traffickerRng, trafficker, baseDay);
  }
  planProsecutions(ctx, rng.fork('prosecutions'), traffickers);
  const changeRng = rng.fork('changes');
  for (const record of ctx.records) planChanges(ctx, changeRng, record);

  return assemble(options.seed, years, ctx, rng.fork('encode'));
}

/** The demo dataset: a fixed seed, about five thousand records over 2023–2025. */
export const demoDataset = (): SyntheticDataset =>
  generateDataset({ seed: DEMO_SEED, persons: 2500, years: [2023, 2024, 2025] });

// --- Planning: who reports whom, when, knowing what -------------------------------------------------------------

const VICTIM_STATUS_WEIGHTS: Readonly<Partial<Record<ProfileName, Readonly<Record<string, number>>>>> = {
  police: { IDENTIFIED: 45, PRESUMED: 20, FLAGGED: 10, PENDING: 15, NOT_CONFIRMED: 10 },
  ngo: { PRESUMED: 40, IDENTIFIED: 20, FLAGGED: 15, PENDING: 15, NOT_CONFIRMED: 10 },
  shelter: { IDENTIFIED: 50, PRESUMED: 45, PENDING: 5 },
  labour: { PRESUMED: 50, IDENTIFIED: 20, FLAGGED: 30 },
};

function planVictim(ctx: Context, rng: Rng, person: TruePerson, baseDay: number): void {
  const reporters: ProfileName[] = [];
  if (rng.chance(0.45)) reporters.push('police');
  if (rng.chance(0.35)) reporters.push('ngo');
  if (rng.chance(0.18)) reporters.push('shelter');
  if (rng.chance(person.exploitation.includes('LAB') ? 0.3 : 0.02)) reporters.push('labour');
  if (rng.chance(0.1)) reporters.push('hotline');
  if (reporters.length === 0) reporters.push(rng.pick(['police', 'ngo'] as const));
  for (const profile of reporters) {
    const day = clampDay(ctx, baseDay + rng.int(-20, 60), baseDay);
    addRecord(ctx, rng, profile, 'victim', person, victimDraft(ctx, rng, profile, person, day));
    // Now and then the same provider meets the same person again, a year or so later, under a new record.
    if ((profile === 'police' || profile === 'ngo') && rng.chance(0.04)) {
      const later = day + rng.int(200, 420);
      if (later <= ctx.last)
        addRecord(ctx, rng, profile, 'victim', person, victimDraft(ctx, rng, profile, person, later));
    }
  }
}

function victimDraft(ctx: Context, rng: Rng, profile: ProfileName, person: TruePerson, day: number): Draft {
  const knows = (p: number): boolean => rng.chance(p);
  const statuses = VICTIM_STATUS_WEIGHTS[profile];
  let region = knows(0.75) ? person.regionOfIdentification : pickPtNuts3(rng);
  if ((profile === 'hotline' || (profile === 'ngo' && knows(0.25))) && /^PT\d\w\w$/.test(region))
    region = region.slice(0, 4);
  const yesNo = (y: number, n: number): string | undefined => {
    const answer = rng.weighted({ Y: y, N: n, unknown: 100 - y - n });
    return answer === 'unknown' ? undefined : answer;
  };
  const usesExtras = profile === 'ngo' || profile === 'shelter';
  return {
    kind: 'victim',
    day,
    precision: pickPrecision(rng, PROFILES[profile]),
    ...ageKnowledge(rng, person, day, profile === 'hotline' ? 0.5 : 0.82),
    ...(knows(0.95) ? { sex: person.sex } : {}),
    ...(knows(0.92) ? { citizenship: person.citizenship } : {}),
    ...(knows(0.95) ? { exploitation: knows(0.8) ? person.exploitation : [person.exploitation[0]!] } : {}),
    ...(statuses === undefined ? {} : { status: rng.weighted(statuses) }),
    ...(knows(0.93) ? { regionOfIdentification: region } : {}),
    ...(person.regionOfExploitation !== undefined && knows(0.85)
      ? { regionOfExploitation: person.regionOfExploitation }
      : {}),
    ...(person.countryOfRecruitment !== undefined && knows(0.85)
      ? { countryOfRecruitment: person.countryOfRecruitment }
      : {}),
    ...optional('assistance', yesNo(55, 25)),
    ...optional('reflectionPeriod', yesNo(30, 50)),
    ...optional('residencePermit', yesNo(15, 60)),
    ...(usesExtras && knows(0.6) ? { meansOfControl: rng.shuffle(MEANS).slice(0, rng.int(1, 3)) } : {}),
    ...(usesExtras && knows(0.5) ? { recruiterRelationship: [rng.pick(RECRUITERS)] } : {}),
    ...(person.labourSector !== undefined && knows(0.9) ? { labourSector: person.labourSector } : {}),
    ...(profile === 'police' && knows(0.3) ? { notes: noteFor(ctx, person, 'police') } : {}),
    ...(profile === 'ngo' && knows(0.3) ? { notes: noteFor(ctx, person, 'ngo') } : {}),
    ...(profile === 'hotline' && knows(0.5)
      ? { notes: 'Chamada anónima; situação descrita por terceiros.' }
      : {}),
  };
}

const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };

/** Free text as case workers write it, naming the person: it must be dropped, never stored. */
function noteFor(ctx: Context, person: TruePerson, profile: 'police' | 'ngo'): string {
  const { givenName, familyName } = ctx.identityOf(person);
  return profile === 'police'
    ? `Vítima ${givenName} ${familyName} encaminhada para acolhimento.`
    : `First meeting with ${givenName}; follow-up planned.`;
}

function ageKnowledge(
  rng: Rng,
  person: TruePerson,
  day: number,
  rate: number,
): Pick<Draft, 'age' | 'birthYear'> {
  if (!rng.chance(rate)) return {};
  return { age: ageOn(person.birthDay, day), birthYear: dateOf(person.birthDay).year };
}

function pickPrecision(rng: Rng, profile: ProviderProfile): Precision {
  return rng.weighted(profile.precision);
}

function clampDay(ctx: Context, day: number, fallback: number): number {
  return day < ctx.first || day > ctx.last ? fallback : day;
}

function planSuspect(ctx: Context, rng: Rng, person: TruePerson, baseDay: number): void {
  if (!rng.chance(0.85)) return;
  addRecord(
    ctx,
    rng,
    'police',
    'suspect',
    person,
    traffickerDraft(rng, 'suspect', person, baseDay, 'police'),
  );
  const later = baseDay + rng.int(150, 500);
  if (rng.chance(0.08) && later <= ctx.last)
    addRecord(
      ctx,
      rng,
      'police',
      'suspect',
      person,
      traffickerDraft(rng, 'suspect', person, later, 'police'),
    );
}

function traffickerDraft(
  rng: Rng,
  kind: RecordKind,
  person: TruePerson,
  day: number,
  profile: ProfileName,
): Draft {
  const knows = (p: number): boolean => rng.chance(p);
  return {
    kind,
    day,
    precision: pickPrecision(rng, PROFILES[profile]),
    ...ageKnowledge(rng, person, day, profile === 'prosecution' ? 0.97 : 0.8),
    ...(knows(0.96) ? { sex: person.sex } : {}),
    ...(knows(0.93) ? { citizenship: person.citizenship } : {}),
    ...(knows(0.9) ? { exploitation: person.exploitation } : {}),
    ...(knows(0.9) ? { regionOfIdentification: person.regionOfIdentification } : {}),
    ...(person.regionOfExploitation !== undefined && knows(0.8)
      ? { regionOfExploitation: person.regionOfExploitation }
      : {}),
    ...(person.organisedCrime !== undefined && knows(0.85) ? { organisedCrime: person.organisedCrime } : {}),
    ...(person.labourSector !== undefined && knows(0.7) ? { labourSector: person.labourSector } : {}),
  };
}

function planProsecutions(ctx: Context, rng: Rng, traffickers: readonly TruePerson[]): void {
  const accused = rng.shuffle(traffickers).slice(0, Math.round(traffickers.length * 0.55));
  // A few people are charged in two cases.
  const pool = [...accused, ...accused.filter(() => rng.chance(0.1))];
  const span = ctx.last - ctx.first;
  for (let i = 0; i < pool.length;) {
    const size = Math.min(Number(rng.weighted({ '1': 50, '2': 35, '3': 15 })), pool.length - i);
    const defendants = [...new Map(pool.slice(i, i + size).map((p) => [p.id, p])).values()];
    i += size;
    const openDay = ctx.first + rng.int(0, Math.floor(span * 0.85));
    const finalDay = openDay + rng.int(60, 420);
    const fate = rng.weighted({ ongoing: 30, later: 50, direct: 20 });
    const finalised = fate !== 'ongoing' && finalDay <= ctx.last;
    const outcome = finalised
      ? rng.weighted({ FINALISED_CONVICTION: 55, FINALISED_ACQUITTAL: 30, FINALISED_OTHER: 15 })
      : 'ONGOING';
    const year = dateOf(openDay).year;
    const caseId = `PROC-${year}-${String(ctx.nextId(`proc-${year}`)).padStart(4, '0')}`;
    const court = pickPtNuts3(rng);
    const caseDraft = (day: number, caseOutcome: string): Draft => ({
      kind: 'prosecution',
      day,
      precision: 'day',
      outcome: caseOutcome,
      regionOfIdentification: court,
      ...(defendants[0]?.regionOfExploitation === undefined
        ? {}
        : { regionOfExploitation: defendants[0].regionOfExploitation }),
    });
    const caseRecord: PlannedRecord = {
      profile: 'prosecution',
      recordId: caseId,
      kind: 'prosecution',
      versions: [],
    };
    if (fate === 'direct' && finalised) {
      caseRecord.versions.push({
        version: 1,
        sendDay: finalDay + rng.int(1, 20),
        draft: caseDraft(finalDay, outcome),
      });
    } else {
      caseRecord.versions.push({
        version: 1,
        sendDay: openDay + rng.int(1, 20),
        draft: caseDraft(openDay, 'ONGOING'),
      });
      if (finalised)
        caseRecord.versions.push({
          version: 2,
          sendDay: finalDay + rng.int(1, 20),
          draft: caseDraft(finalDay, outcome),
        });
    }
    ctx.records.push(caseRecord);
    defendants.forEach((person, n) => {
      const prosecuted = traffickerDraft(rng, 'prosecuted', person, openDay, 'prosecution');
      addRecord(ctx, rng, 'prosecution', 'prosecuted', person, prosecuted, `${caseId}-A${n + 1}`);
      if (outcome === 'FINALISED_CONVICTION' && rng.chance(0.85)) {
        const convicted = traffickerDraft(rng, 'convicted', person, finalDay, 'prosecution');
        addRecord(
          ctx,
          rng,
          'prosecution',
          'convicted',
          person,
          convicted,
          `${caseId}-C${n + 1}`,
          finalDay + 25,
        );
      }
    });
  }
}

/** Providers whose record ids carry no year number their records across years. */
const GLOBAL_COUNTER: ReadonlySet<ProfileName> = new Set(['ngo', 'hotline']);

const RECORD_PREFIX: Readonly<Record<ProfileName, (year: number, n: number, kind: RecordKind) => string>> = {
  police: (year, n, kind) => `${kind === 'suspect' ? 'SUS' : 'OCR'}-${year}-${String(n).padStart(5, '0')}`,
  ngo: (_year, n) => `apoio-${String(n).padStart(6, '0')}`,
  shelter: (year, n) => `CA/${year}/${String(n).padStart(4, '0')}`,
  labour: (year, n) => `ACT-${year}-${String(n).padStart(5, '0')}`,
  prosecution: (year, n) => `PROC-X-${year}-${n}`,
  hotline: (_year, n) => `SOS${String(n).padStart(6, '0')}`,
};

function addRecord(
  ctx: Context,
  rng: Rng,
  profile: ProfileName,
  kind: RecordKind,
  person: TruePerson,
  draft: Draft,
  recordId?: string,
  sendAfter?: number,
): void {
  const year = dateOf(draft.day).year;
  const id =
    recordId ??
    RECORD_PREFIX[profile](
      year,
      ctx.nextId(`${profile}-${kind}-${GLOBAL_COUNTER.has(profile) ? '' : year}`),
      kind,
    );
  const withIdentity = rng.chance(PROFILES[profile].identityRate);
  ctx.records.push({
    profile,
    recordId: id,
    kind,
    person,
    ...(withIdentity ? { identity: ctx.identityOf(person) } : {}),
    versions: [{ version: 1, sendDay: Math.max(sendAfter ?? 0, draft.day + rng.int(0, 30)), draft }],
  });
}

/** Corrections (new versions), withdrawals and re-sent duplicates, after the first version. */
function planChanges(ctx: Context, rng: Rng, record: PlannedRecord): void {
  const last = (): PlannedVersion => record.versions[record.versions.length - 1]!;
  const corrections = rng.chance(0.09) ? (rng.chance(0.25) ? 2 : 1) : 0;
  for (let i = 0; i < corrections; i++) {
    const previous = last();
    if (previous.draft === undefined) break;
    const draft = correct(ctx, rng, record, previous.draft);
    record.versions.push({
      version: previous.version + (rng.chance(0.1) ? 2 : 1),
      sendDay: previous.sendDay + rng.int(5, 200),
      draft,
    });
  }
  if (rng.chance(0.03))
    record.versions.push({ version: last().version + 1, sendDay: last().sendDay + rng.int(5, 200) });
  if (rng.chance(0.01))
    record.versions.push({ ...last(), sendDay: last().sendDay + rng.int(1, 60), resend: true });
}

function correct(ctx: Context, rng: Rng, record: PlannedRecord, draft: Draft): Draft {
  const person = record.person;
  const kind = record.kind;
  const options: string[] = ['date', 'region'];
  if (kind === 'victim' && draft.status !== undefined && record.profile !== 'hotline')
    options.push('status', 'status');
  if (person !== undefined) options.push('age', 'sex', 'exploitation');
  if (kind === 'suspect' || kind === 'prosecuted' || kind === 'convicted') options.push('organisedCrime');
  let next: Draft = draft;
  for (const change of rng.shuffle(options).slice(0, rng.int(1, 2))) {
    switch (change) {
      case 'date': {
        const day = clampDay(ctx, next.day + rng.int(-90, 90), next.day);
        const precision: Precision =
          next.precision === 'day' ? next.precision : rng.pick(['day', 'month'] as const);
        const age =
          person !== undefined && next.age !== undefined ? { age: ageOn(person.birthDay, day) } : {};
        next = { ...next, day, precision, ...age };
        break;
      }
      case 'region':
        next = { ...next, regionOfIdentification: pickPtNuts3(rng) };
        break;
      case 'status': {
        const from = next.status;
        const to =
          from === 'FLAGGED' || from === 'PENDING'
            ? rng.pick(['IDENTIFIED', 'PRESUMED', 'NOT_CONFIRMED'])
            : from === 'PRESUMED'
              ? 'IDENTIFIED'
              : rng.pick(['PRESUMED', 'NOT_CONFIRMED']);
        // The labour inspectorate's vocabulary has three statuses only.
        next = { ...next, status: record.profile === 'labour' && to === 'NOT_CONFIRMED' ? 'FLAGGED' : to };
        break;
      }
      case 'age':
        if (person !== undefined)
          next =
            next.age === undefined
              ? { ...next, age: ageOn(person.birthDay, next.day), birthYear: dateOf(person.birthDay).year }
              : { ...withoutKeys(next, ['age', 'birthYear']) };
        break;
      case 'sex':
        if (person !== undefined)
          next = next.sex === undefined ? { ...next, sex: person.sex } : withoutKeys(next, ['sex']);
        break;
      case 'exploitation':
        next = {
          ...next,
          exploitation: rng.pick([['SEX'], ['LAB'], ['SEX', 'LAB'], ['BEG'], ['CRIM', 'LAB']]),
        };
        break;
      case 'organisedCrime':
        next = { ...next, organisedCrime: next.organisedCrime === 'Y' ? 'N' : 'Y' };
        break;
    }
  }
  return next;
}

const withoutKeys = (draft: Draft, keys: readonly (keyof Draft)[]): Draft =>
  Object.fromEntries(
    Object.entries(draft).filter(([k]) => !keys.includes(k as keyof Draft)),
  ) as unknown as Draft;

// --- Encoding into each provider's vocabulary, and the truth ------------------------------------------------------

function assemble(seed: number, years: readonly number[], ctx: Context, rng: Rng): SyntheticDataset {
  const sends = new Map<ProfileName, { sendDay: number; order: number; record: SubmittedRecord }[]>();
  const truth: TruthRecord[] = [];
  let order = 0;
  for (const planned of ctx.records) {
    const profile = PROFILES[planned.profile];
    const provider = profile.provider;
    let lastUpsert: { record: SubmittedRecord; canonical: TruthRecord['fields'] } | undefined;
    let lastVersion = 0;
    let withdrawn = false;
    const list = sends.get(planned.profile) ?? [];
    sends.set(planned.profile, list);
    for (const version of planned.versions) {
      let record: SubmittedRecord;
      if (version.resend === true) {
        record = list.findLast((s) => s.record.recordId === planned.recordId)!.record;
      } else if (version.draft === undefined) {
        record = {
          recordId: planned.recordId,
          version: version.version,
          action: 'withdraw',
          kind: planned.kind,
          referenceDate: lastUpsert!.record.referenceDate,
          fields: {},
        };
        withdrawn = true;
      } else {
        const encoded = profile.encode(version.draft, rng);
        const identity =
          planned.identity === undefined
            ? undefined
            : styleIdentity(
                planned.identity,
                rng.pick(profile.identityStyles),
                rng.chance(profile.documentRate),
              );
        record = {
          recordId: planned.recordId,
          version: version.version,
          action: 'upsert',
          kind: planned.kind,
          referenceDate: formatReferenceDate(version.draft.day, version.draft.precision),
          fields: encoded.fields,
          ...(identity === undefined ? {} : { identity }),
        };
        lastUpsert = { record, canonical: completeFields(planned.kind, encoded.canonical) };
        withdrawn = false;
      }
      lastVersion = record.version;
      list.push({ sendDay: version.sendDay, order: order++, record });
    }
    truth.push({
      providerId: provider.id,
      providerType: provider.type,
      recordId: planned.recordId,
      kind: planned.kind,
      withdrawn,
      personKey:
        planned.identity !== undefined && planned.person !== undefined
          ? `P${planned.person.id}`
          : `R${provider.id}/${planned.recordId}`,
      referenceDate: lastUpsert!.record.referenceDate,
      fields: lastUpsert!.canonical,
      version: lastVersion,
    });
  }
  const names = Object.keys(PROFILES) as ProfileName[];
  const submissions: ProviderSubmissions[] = names.map((name) => ({
    providerId: PROFILES[name].provider.id,
    records: (sends.get(name) ?? [])
      .sort((a, b) => a.sendDay - b.sendDay || a.order - b.order)
      .map((s) => s.record),
  }));
  return {
    synthetic: true,
    seed,
    years,
    providers: names.map((name) => PROFILES[name].provider),
    submissions,
    truth,
  };
}
