/**
 * What the linkage end-to-end tests share: the seeded linkage corpus and its providers, the deployment secret, the
 * three spellings of one person whose third joins the first two (found for this secret with the linker), and a
 * corpus record as an HTCDS JSON submission.
 */
import { generateLinkageCorpus } from '@mosy/testkit';

export const SECRET = 'linkage-e2e-pseudonym-secret-of-32-bytes-or-more';
export const CORPUS = generateLinkageCorpus({ seed: 2026, records: 3000 });
export const PROVIDERS = [...new Set(CORPUS.records.map((r) => r.providerId))].sort();
export const BATCH = 500;
/** Two spellings of one person that the linker keeps apart under SECRET, and the spelling that joins both. */
export const BRIDGE = {
  first: { givenName: 'Txodora', familyName: 'Vrranceanu', dateOfBirth: '1991-04-23' },
  second: { givenName: 'Teodora', familyName: 'Vranceaxu', dateOfBirth: '1991-04-23' },
  bridge: { givenName: 'Teodora', familyName: 'Vranceanu', dateOfBirth: '1991-04-23' },
};

export interface LinkageStatus {
  idle: boolean;
  linkage: { mode: string; merges: number; revisedRecords: number; backlog: number };
}

/** A corpus record as an HTCDS JSON submission: a registered victim with the identity in its own block. */
export const submissionOf = (
  recordId: string,
  identity: Readonly<Record<string, string>>,
  version = 1,
  action: 'upsert' | 'withdraw' = 'upsert',
): Record<string, unknown> =>
  action === 'withdraw'
    ? { recordId, version, action, kind: 'victim', referenceDate: '2025-06-01', fields: {} }
    : {
        recordId,
        version,
        action,
        kind: 'victim',
        referenceDate: '2025-06-01',
        fields: { vic_TraffickingStatus: 'ActualVictimOfTrafficking' },
        identity,
      };
