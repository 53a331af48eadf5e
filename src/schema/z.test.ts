import { describe, expect, it } from 'vitest';
import { z } from './z';
import { parseResource } from '../fhir/mappers/parse';

const schema = z.looseObject({
  resourceType: z.literal('Communication'),
  id: z.string({ error: 'has no id' }),
  status: z.enum(['completed', 'not-done']),
  payload: z.optional(z.array(z.looseObject({ contentString: z.optional(z.string()) }))),
  sent: z.string(),
});
const read = (resource: object) => {
  const parsed = parseResource(schema, resource as { resourceType: string; id?: string }, (c) => c.id);
  return parsed.ok ? 'ok' : parsed.problem.message;
};

describe('messages for issues a schema does not word itself', () => {
  const valid = { resourceType: 'Communication', id: 'c1', status: 'completed', sent: '2026-01-05' };

  it('names the element, never its value', () => {
    expect(read(valid)).toBe('ok');
    const secret = 'Maria told me about the eviction';
    const message = read({ ...valid, payload: [{ contentString: { text: secret } }] });
    expect(message).toBe('Communication/c1 has payload.0.contentString of the wrong type (string expected)');
    expect(read({ ...valid, status: secret })).toBe(
      'Communication/c1 has status that is not one of the allowed values',
    );
  });

  it('says what is missing, and keeps a schema’s own words', () => {
    expect(read({ ...valid, sent: undefined })).toBe('Communication/c1 has no sent');
    expect(read({ ...valid, id: undefined })).toBe('Communication/(no id) has no id');
  });

  it('words lengths and formats', () => {
    expect(z.string().check(z.minLength(1)).safeParse('').error?.issues[0].message).toBe(
      'has a value that is too short or too small',
    );
    expect(z.url().safeParse('not a url').error?.issues[0].message).toBe(
      'has a value that is not a valid url',
    );
  });
});
