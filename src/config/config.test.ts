import { describe, expect, it } from 'vitest';
import { ConfigError, findEhr, parseConfig } from './config';

const valid = {
  ehrs: [
    { name: 'Sandbox', iss: ['http://localhost:8080/fhir'], clientId: 'fst' },
    {
      name: 'Hospital',
      iss: 'https://fhir.hospital.example/r4/',
      clientId: 'abc',
      timeZone: 'America/Chicago',
    },
  ],
};

describe('config.json', () => {
  it('parses entries with defaults', () => {
    const config = parseConfig(valid);
    expect(config.ehrs[0].timeZone).toBe('America/New_York');
    expect(config.ehrs[0].scopes).toContain('patient/Communication.crus');
    expect(config.ehrs[1].iss).toEqual(['https://fhir.hospital.example/r4/']);
  });

  it('matches iss exactly, ignoring a trailing slash', () => {
    const config = parseConfig(valid);
    expect(findEhr(config, 'https://fhir.hospital.example/r4')?.name).toBe('Hospital');
    expect(findEhr(config, 'http://localhost:8080/fhir/')?.name).toBe('Sandbox');
    expect(findEhr(config, 'https://fhir.hospital.example/r4/other')).toBeUndefined();
    expect(findEhr(config, 'http://localhost:8081/fhir')).toBeUndefined();
  });

  it('says where a broken config is wrong', () => {
    expect(() => parseConfig({ ehrs: [{ name: 'x', iss: 'not a url', clientId: 'a' }] })).toThrow(
      ConfigError,
    );
    expect(() => parseConfig({ ehrs: [{ name: 'x', iss: 'not a url', clientId: 'a' }] })).toThrow(
      /ehrs\.0\.iss/,
    );
    expect(() => parseConfig({ ehrs: [] })).toThrow(/lists no EHR/);
  });
});

describe('recordStore.inStore', () => {
  const withKinds = (inStore: string[]) => ({
    ehrs: [
      {
        name: 'EHR',
        iss: 'https://ehr.example/fhir',
        clientId: 'fst',
        recordStore: {
          name: 'Store',
          fhirBase: 'https://store.example/fhir',
          tokenEndpoint: 'https://store.example/token',
          inStore,
        },
      },
    ],
  });
  it('accepts the record kinds and refuses a misspelt one, listing the kinds', () => {
    expect(parseConfig(withKinds(['fst-contact', 'consent'])).ehrs[0].recordStore?.inStore).toEqual([
      'fst-contact',
      'consent',
    ]);
    expect(() => parseConfig(withKinds(['fst-contacts']))).toThrow(ConfigError);
    expect(() => parseConfig(withKinds(['fst-contacts']))).toThrow(
      /inStore\.0: "fst-contacts" is not a record kind; the kinds are fst-contact, team-meeting/,
    );
  });
});
