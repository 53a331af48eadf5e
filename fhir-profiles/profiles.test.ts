import '../sandbox/env';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { PROFILES_OUTPUT_DIR } from '../sandbox/fhir/definitions';
import { validateForWrite } from '../sandbox/fhir/validation';

const examples = readdirSync(PROFILES_OUTPUT_DIR)
  .filter((n) => !/^(StructureDefinition|ValueSet|CodeSystem)-/.test(n))
  .map((n) => JSON.parse(readFileSync(join(PROFILES_OUTPUT_DIR, n), 'utf8')) as Resource);

const example = (id: string) => structuredClone(examples.find((e) => e.id === id)) as any;

function issues(resource: Resource): string[] {
  try {
    validateForWrite(resource);
    return [];
  } catch (err) {
    return (
      (err as { outcome?: { issue?: { details?: { text?: string }; diagnostics?: string }[] } }).outcome
        ?.issue ?? []
    ).map((i) => i.details?.text ?? i.diagnostics ?? '');
  }
}

describe('FST profiles (SUSHI output, with snapshots)', () => {
  it('every profile was generated with a snapshot', () => {
    const profiles = readdirSync(PROFILES_OUTPUT_DIR).filter((n) => n.startsWith('StructureDefinition-'));
    expect(profiles.length).toBeGreaterThanOrEqual(9);
    for (const name of profiles) {
      const sd = JSON.parse(readFileSync(join(PROFILES_OUTPUT_DIR, name), 'utf8'));
      expect(sd.snapshot?.element?.length, name).toBeGreaterThan(0);
    }
  });

  it.each(examples.map((e) => [`${e.resourceType}/${e.id}`, e] as const))(
    'example %s is valid',
    (_name, resource) => {
      expect(resource.meta?.profile?.length).toBe(1);
      expect(issues(resource)).toEqual([]);
    },
  );
});

describe('FST contact profiles reject what the spec forbids', () => {
  it('a contact without a sent date', () => {
    const c = example('example-caregiver-contact');
    delete c.sent;
    expect(issues(c).length).toBeGreaterThan(0);
  });

  it('an attempt without a reason', () => {
    const c = example('example-caregiver-attempt');
    delete c.statusReason;
    expect(issues(c).join()).toMatch(/fst-contact-1|attempt/i);
  });

  it('a completed contact without its duration', () => {
    const c = example('example-collateral-contact');
    c.extension = [];
    expect(issues(c).join()).toMatch(/fst-contact-2|duration/i);
  });

  it('a purpose outside the FST purposes', () => {
    const c = example('example-caregiver-contact');
    c.reasonCode = [
      {
        coding: [
          {
            system: 'https://fst-companion.example.org/fhir/CodeSystem/fst-contact-purpose',
            code: 'babysitting',
          },
        ],
      },
    ];
    expect(issues(c).join()).toMatch(/babysitting/);
  });

  it('a caregiver contact filed under the collateral category', () => {
    const c = example('example-caregiver-contact');
    c.category[0].coding[0].code = 'collateral-contact';
    expect(issues(c).length).toBeGreaterThan(0);
  });

  it('a method outside phone / face-to-face / video / written', () => {
    const c = example('example-caregiver-contact');
    c.medium = [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'DICTATE' }] },
    ];
    expect(issues(c).join()).toMatch(/DICTATE/);
  });
});

describe('FST referral Task and discharge plan profiles', () => {
  it('a waitlisted Task must say why', () => {
    const t = example('example-referral-task');
    delete t.statusReason;
    expect(issues(t).join()).toMatch(/fst-task-1|says why/i);
  });

  it('an unknown business status is refused', () => {
    const t = example('example-referral-task');
    t.businessStatus = {
      coding: [
        { system: 'https://fst-companion.example.org/fhir/CodeSystem/fst-referral-status', code: 'lost' },
      ],
    };
    expect(issues(t).join()).toMatch(/lost/);
  });

  it('a discharge plan needs content', () => {
    const d = example('example-discharge-plan');
    delete d.content[0].attachment.data;
    // Our fst-doc-1, or US Core's us-core-6 (the profile's base since issue 36): the same rule, url or data.
    expect(issues(d).join()).toMatch(/fst-doc-1|us-core-6|inline or by URL/i);
  });

  it('a signature needs its format', () => {
    const p = example('example-caregiver-signature');
    delete p.signature[0].sigFormat;
    expect(issues(p).length).toBeGreaterThan(0);
  });
});
