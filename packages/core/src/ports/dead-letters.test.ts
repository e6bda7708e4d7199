import { describe, expect, it } from 'vitest';
import { deadLetterOf, parseRecordKey, versionOf } from './dead-letters.js';
import type { TopicPayloads } from './event-bus.js';

describe('dead letters', () => {
  it('parses provider and record id from the bus key, the record id keeping later slashes', () => {
    expect(parseRecordKey('prov-a/r-1')).toEqual({ providerId: 'prov-a', recordId: 'r-1' });
    expect(parseRecordKey('prov-a/case/7')).toEqual({ providerId: 'prov-a', recordId: 'case/7' });
    expect(parseRecordKey('no-slash')).toEqual({ providerId: '', recordId: 'no-slash' });
    expect(parseRecordKey('')).toEqual({ providerId: '', recordId: '' });
  });

  it('takes version and receipt time from each kind of message', () => {
    // Only the fields versionOf reads: the rest of each message does not matter here.
    const submission = { receivedAt: 5, record: { version: 3 } } as TopicPayloads['submissions'];
    const record = { version: 4, receivedAt: 6 } as TopicPayloads['records'];
    const letter = { version: 7, receivedAt: 8 } as TopicPayloads['deadletter'];
    expect(versionOf('submissions', submission)).toEqual({ version: 3, receivedAt: 5 });
    expect(versionOf('records', record)).toEqual({ version: 4, receivedAt: 6 });
    expect(versionOf('deadletter', letter)).toEqual({ version: 7, receivedAt: 8 });
  });

  it('builds a dead letter keyed like the failed message, with no payload', () => {
    expect(
      deadLetterOf({
        stage: 'normalizer',
        key: 'prov-b/r9',
        version: 2,
        receivedAt: 100,
        code: 'unmapped-value',
        reason: 'fields.sex: "w" is not mapped',
        failedAt: 200,
      }),
    ).toStrictEqual({
      key: 'prov-b/r9',
      value: {
        stage: 'normalizer',
        providerId: 'prov-b',
        recordId: 'r9',
        version: 2,
        code: 'unmapped-value',
        reason: 'fields.sex: "w" is not mapped',
        receivedAt: 100,
        failedAt: 200,
      },
    });
  });
});
