// A .tsx test for jsdom's sessionStorage (the launch page and the redirect page share it).
import { afterEach, describe, expect, it } from 'vitest';
import { launchServer, launchServerMetadata, rememberLaunchServer } from './launchServer';
import { capabilitiesFromText } from './capabilities';

afterEach(() => sessionStorage.clear());

describe('the launch server kept from the launch page to the redirect page', () => {
  it('keeps the server and its CapabilityStatement, and a new launch replaces both', () => {
    rememberLaunchServer('https://a.example/fhir', '{"resourceType":"CapabilityStatement"}');
    expect(launchServer()).toBe('https://a.example/fhir');
    expect(launchServerMetadata()).toContain('CapabilityStatement');
    rememberLaunchServer('https://b.example/fhir');
    expect(launchServer()).toBe('https://b.example/fhir');
    // Never another server's statement.
    expect(launchServerMetadata()).toBeUndefined();
  });

  it('does not keep a statement over 1 MB (the redirect page reads it instead)', () => {
    rememberLaunchServer('https://a.example/fhir', 'x'.repeat(1_000_001));
    expect(launchServerMetadata()).toBeUndefined();
  });
});

describe('capabilitiesFromText', () => {
  it('reads batch and includes from a statement, and nothing from text that is not one', () => {
    const caps = capabilitiesFromText(
      JSON.stringify({
        resourceType: 'CapabilityStatement',
        rest: [
          {
            mode: 'server',
            interaction: [{ code: 'batch' }],
            resource: [{ type: 'CarePlan', searchInclude: ['CarePlan:goal'] }],
          },
        ],
      }),
    );
    expect(caps?.batch).toBe(true);
    expect(caps?.includes.get('CarePlan')).toEqual(['CarePlan:goal']);
    expect(capabilitiesFromText('<html>')).toBeUndefined();
    expect(capabilitiesFromText('{"resourceType":"Patient"}')).toBeUndefined();
  });
});
