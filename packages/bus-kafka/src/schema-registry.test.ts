import { describe, expect, it } from 'vitest';
import { MosyError } from '@mosy/core';
import { registryError, valueSubject } from './schema-registry.js';

const URL = 'http://127.0.0.1:8081/apis/ccompat/v7';
const responseError = (status: number, message: string): Error =>
  Object.assign(new Error(`Confluent_Schema_Registry - ${message}`), { name: 'ResponseError', status });

describe('schema registry errors', () => {
  it('names subjects by topic (TopicNameStrategy)', () => {
    expect(valueSubject('mosy.records.v1')).toBe('mosy.records.v1-value');
  });

  it('makes a 409 a conflict naming what was refused and the registry reason', () => {
    const error = registryError(
      responseError(409, 'RuleViolationException: Incompatible artifact: t-value [AVRO]'),
      'schema eu.mosy.SubmissionMessage under subject t-value',
      URL,
    );
    expect(error).toMatchObject({
      code: 'conflict',
      retriable: false,
      message:
        'schema registry refused schema eu.mosy.SubmissionMessage under subject t-value: not BACKWARD compatible with the ' +
        'versions registered there (HTTP 409: RuleViolationException: Incompatible artifact: t-value [AVRO])',
    });
  });

  it('makes an unreachable or failing registry unavailable and retriable', () => {
    // mappersmith reports a refused connection as status 400 with the socket error.
    const refused = registryError(
      responseError(400, 'Error, status 400: connect ECONNREFUSED 127.0.0.1:1'),
      'x',
      URL,
    );
    expect(refused).toMatchObject({ code: 'unavailable', retriable: true });
    expect(registryError(responseError(503, 'Service Unavailable'), 'x', URL)).toMatchObject({
      code: 'unavailable',
    });
    expect(registryError(new TypeError('fetch failed'), 'x', URL)).toMatchObject({ code: 'unavailable' });
  });

  it('makes any other refusal internal and passes a MosyError through', () => {
    expect(registryError(responseError(422, 'Invalid schema'), 'x', URL)).toMatchObject({
      code: 'internal',
      retriable: false,
    });
    expect(registryError(responseError(400, 'Bad request'), 'x', URL)).toMatchObject({ code: 'internal' });
    const mosy = new MosyError('undecodable-message', 'u');
    expect(registryError(mosy, 'x', URL)).toBe(mosy);
  });
});
