import { describe, expect, it } from 'vitest';
import { launchScopes } from './launchScopes';

const configured = [
  'openid',
  'fhirUser',
  'online_access',
  'patient/Task.crus',
  'patient/Communication.crs',
  'user/Practitioner.rs',
];

describe('launchScopes', () => {
  it('asks a SMART 2 server for v2 scopes, with launch for an EHR launch', () => {
    expect(launchScopes(configured, 'ehr', ['launch-ehr', 'permission-v2'])).toBe(
      'launch openid fhirUser online_access patient/Task.crus patient/Communication.crs user/Practitioner.rs',
    );
  });

  it('asks a SMART 1 server for the v1 equivalents', () => {
    expect(launchScopes(configured, 'standalone', ['launch-standalone', 'permission-v1'])).toBe(
      'launch/patient openid fhirUser online_access patient/Task.read patient/Task.write patient/Communication.read patient/Communication.write user/Practitioner.read',
    );
  });

  it('treats a server without smart-configuration as SMART 1', () => {
    expect(launchScopes(['patient/Goal.rs'], 'ehr', undefined)).toBe('launch patient/Goal.read');
  });

  it('asks for no patient context in a caseload launch', () => {
    expect(launchScopes(['openid', 'user/Task.rs'], 'caseload', ['permission-v2'])).toBe(
      'openid user/Task.rs',
    );
  });
});
