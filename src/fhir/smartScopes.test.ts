import { describe, expect, it } from 'vitest';
import { parseClinicalScope, parseScopes, toV1Scopes } from './smartScopes';

describe('parseClinicalScope', () => {
  it.each([
    ['patient/Task.crus', 'patient', 'Task', 'crus'],
    ['user/Practitioner.rs', 'user', 'Practitioner', 'rs'],
    ['patient/*.cruds', 'patient', '*', 'cruds'],
    ['patient/Observation.rs?category=laboratory', 'patient', 'Observation', 'rs'],
    ['patient/Task.read', 'patient', 'Task', 'rs'],
    ['patient/Task.write', 'patient', 'Task', 'cu'],
    ['user/*.*', 'user', '*', 'crus'],
  ])('%s', (scope, context, type, perms) => {
    const parsed = parseClinicalScope(scope);
    expect(parsed?.context).toBe(context);
    expect(parsed?.resourceType).toBe(type);
    expect([...(parsed?.permissions ?? [])].sort().join('')).toBe([...perms].sort().join(''));
  });

  it.each([
    'openid',
    'launch/patient',
    'patient/Task.rc',
    'patient/Task.cc',
    'patient/Task.x',
    'doctor/Task.r',
    'patient/Task.',
  ])('rejects %s', (scope) => {
    expect(parseClinicalScope(scope)).toBeUndefined();
  });
});

describe('GrantedScopes.allows', () => {
  const granted = parseScopes('openid fhirUser patient/Communication.crs user/Practitioner.rs patient/*.r');
  it('allows what is granted', () => {
    expect(granted.allows('Communication', 'c')).toBe(true);
    expect(granted.allows('Practitioner', 's', 'user')).toBe(true);
    expect(granted.allows('Goal', 'r')).toBe(true);
  });
  it('refuses what is not', () => {
    expect(granted.allows('Communication', 'u')).toBe(false);
    expect(granted.allows('Goal', 's')).toBe(false);
    expect(granted.allows('Practitioner', 's', 'patient')).toBe(false);
    expect(granted.allows('Practitioner', 'r', 'patient')).toBe(true); // through patient/*.r
  });
  it('keeps non-clinical scopes', () => {
    expect(granted.has('openid')).toBe(true);
    expect(granted.has('launch')).toBe(false);
  });
});

describe('toV1Scopes', () => {
  it('maps v2 permissions to v1 read / write', () => {
    expect(toV1Scopes('patient/Task.crus')).toEqual(['patient/Task.read', 'patient/Task.write']);
    expect(toV1Scopes('user/Practitioner.rs')).toEqual(['user/Practitioner.read']);
    expect(toV1Scopes('patient/Communication.c')).toEqual(['patient/Communication.write']);
    expect(toV1Scopes('openid')).toEqual(['openid']);
  });
});
