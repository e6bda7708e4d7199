/**
 * Invented identities for the synthetic persons: names combined from small built-in lists of common first names
 * and surnames (no list entry and no combination refers to anyone real), a date of birth and a document number
 * in a format no real document uses (`SYN` + digits). Each true person gets one identity, unique after the
 * normalisation a pseudonym applies (case, accents, token order), and each provider writes it in its own style:
 * upper case, another date format, accents dropped, given and family tokens in another order.
 */
import { dateOf } from './calendar.js';
import type { Rng } from './prng.js';

const GIVEN =
  'Ana|Beatriz|Inês|Joana|Mariana|Conceição|Lúcia|Fátima|Sofia|Leonor|Raquel|Helena|Márcia|Adriana|Thaís|Letícia|Ioana|Mihaela|Andreea|Elena|Chiamaka|Ngozi|Adaeze|Olena|Tetiana|Oksana|Sita|Priya|Anjali|Aïcha|João|Tiago|André|Rui|Nuno|Sérgio|Vítor|Luís|Gonçalo|Fábio|Ionuț|Mihai|Chinedu|Emeka|Oleksandr|Dmytro|Rajesh|Arjun|Youssef|Karim'.split(
    '|',
  );

const FAMILY =
  'Silva|Santos|Ferreira|Pereira|Oliveira|Costa|Rodrigues|Martins|Jesus|Sousa|Fernandes|Gonçalves|Gomes|Lopes|Marques|Alves|Almeida|Ribeiro|Pinto|Carvalho|Teixeira|Moreira|Correia|Mendes|Nunes|Soares|Vieira|Monteiro|Cardoso|Rocha|Popescu|Ionescu|Constantinescu|Okafor|Adeyemi|Nwosu|Kovalenko|Shevchenko|Bondarenko|Sharma|Thapa|Gurung|Benali|El Idrissi|Araújo|Magalhães|Simões|Guimarães|Brandão|Valente'.split(
    '|',
  );

/** One invented person's identity in its reference form. */
export interface PersonIdentity {
  readonly givenName: string;
  readonly familyName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  /** Invented, `SYN` + 7 digits. */
  readonly documentNumber: string;
}

/** How a provider writes identities. */
export type IdentityStyle = 'plain' | 'upper-dmy' | 'lower-unaccented' | 'reordered-dmy';

/** Lower case, no accents, tokens deduplicated and sorted: identities equal here are one person to a pseudonym. */
export const identityKey = (id: Pick<PersonIdentity, 'givenName' | 'familyName' | 'dateOfBirth'>): string =>
  [...new Set(`${id.givenName} ${id.familyName}`.split(/\s+/).map((t) => unaccent(t).toLowerCase()))]
    .sort()
    .join(' ') + `|${id.dateOfBirth}`;

export const unaccent = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '');

/** Draws identities that stay distinct after normalisation. */
export function createIdentityFactory(rng: Rng): (birthDay: number) => PersonIdentity {
  const taken = new Set<string>();
  const documents = new Set<string>();
  return (birthDay) => {
    const d = dateOf(birthDay);
    const dateOfBirth = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
    for (;;) {
      const [g1, g2] = rng.shuffle(GIVEN);
      const [f1, f2] = rng.shuffle(FAMILY);
      const identity = {
        givenName: `${g1!} ${g2!}`,
        familyName: `${f1!} ${f2!}`,
        dateOfBirth,
        documentNumber: `SYN${String(rng.int(0, 9_999_999)).padStart(7, '0')}`,
      };
      const key = identityKey(identity);
      if (taken.has(key) || documents.has(identity.documentNumber)) continue;
      taken.add(key);
      documents.add(identity.documentNumber);
      return identity;
    }
  };
}

/** The identity as a provider with the given style writes it; `withDocument` adds the document number. */
export function styleIdentity(
  identity: PersonIdentity,
  style: IdentityStyle,
  withDocument: boolean,
): Record<string, string> {
  const [y, m, d] = identity.dateOfBirth.split('-');
  const dmy = `${d!}/${m!}/${y!}`;
  const out: Record<string, string> = (() => {
    switch (style) {
      case 'plain':
        return {
          givenName: identity.givenName,
          familyName: identity.familyName,
          dateOfBirth: identity.dateOfBirth,
        };
      case 'upper-dmy':
        return {
          givenName: identity.givenName.toUpperCase(),
          familyName: identity.familyName.toUpperCase(),
          dateOfBirth: dmy,
        };
      case 'lower-unaccented':
        return {
          givenName: unaccent(identity.givenName).toLowerCase(),
          familyName: unaccent(identity.familyName).toLowerCase(),
          dateOfBirth: identity.dateOfBirth,
        };
      case 'reordered-dmy': {
        const tokens = `${identity.givenName} ${identity.familyName}`.split(' ').reverse();
        const half = Math.ceil(tokens.length / 2);
        return {
          givenName: tokens.slice(0, half).join(' '),
          familyName: tokens.slice(half).join(' '),
          dateOfBirth: dmy,
        };
      }
    }
  })();
  if (withDocument) out.documentNumber = identity.documentNumber;
  return out;
}
