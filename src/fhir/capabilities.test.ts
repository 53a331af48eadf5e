import { describe, expect, it } from 'vitest';
import { ASSUMED_CAPABILITIES, parseCapabilities, supports, supportsInclude } from './capabilities';
import { capabilityStatement } from '../../test/fixtures/fhir';

describe('server capabilities', () => {
  it('reads batch, interactions, conditional create and includes', () => {
    const caps = parseCapabilities(
      capabilityStatement({ batch: true, include: true, conditionalCreate: false }),
    );
    expect(caps.batch).toBe(true);
    expect(supports(caps, 'Communication', 'create')).toBe(true);
    expect(supports(caps, 'Goal', 'create')).toBe(false);
    expect(supports(caps, 'Consent', 'read')).toBe(false);
    expect(caps.conditionalCreate.has('Communication')).toBe(false);
    expect(supportsInclude(caps, 'CarePlan', 'goal')).toBe(true);
  });

  it('knows a server without batch or _include', () => {
    const caps = parseCapabilities(capabilityStatement({ batch: false, include: false }));
    expect(caps.batch).toBe(false);
    expect(supportsInclude(caps, 'CarePlan', 'goal')).toBe(false);
  });

  it('assumes a plain R4 server when the statement is unreadable', () => {
    expect(parseCapabilities({ resourceType: 'Patient' })).toBe(ASSUMED_CAPABILITIES);
    expect(supports(ASSUMED_CAPABILITIES, 'Task', 'update')).toBe(true);
  });
});
