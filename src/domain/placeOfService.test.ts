import { describe, expect, it } from 'vitest';
import {
  claimPlaceOfService,
  CMS_PLACE_OF_SERVICE,
  placeFromCmsCode,
  placeProblem,
  PLACES_OF_SERVICE,
} from './placeOfService';

// Seed 000 service component 5: "delivers services in the parent's/caregiver's home and community"; 6: "via a
// HIPAA-compliant telehealth platform at the family's request".
describe('place of service', () => {
  it('an in-person contact says where, and is not telehealth; phone and video are telehealth', () => {
    expect(placeProblem('face-to-face', undefined)).toMatch(/^Say where the contact took place/);
    expect(placeProblem('face-to-face', 'telehealth')).toMatch(/not telehealth/);
    for (const p of ['home', 'community', 'office', 'school'] as const)
      expect(placeProblem('face-to-face', p)).toBeUndefined();
    expect(placeProblem('video', 'home')).toBe('A phone or video contact is telehealth.');
    expect(placeProblem('phone', undefined)).toBeUndefined();
    expect(placeProblem('other', undefined)).toBeUndefined();
  });

  it('maps each place to one CMS place-of-service code and back, for the H2014 claim line', () => {
    expect(PLACES_OF_SERVICE.map((p) => CMS_PLACE_OF_SERVICE[p].code)).toEqual([
      '12',
      '99',
      '11',
      '03',
      '10',
    ]);
    for (const p of PLACES_OF_SERVICE) expect(placeFromCmsCode(CMS_PLACE_OF_SERVICE[p].code)).toBe(p);
    expect(placeFromCmsCode('21')).toBeUndefined();
    expect(
      claimPlaceOfService({ status: 'completed', method: 'face-to-face', placeOfService: 'school' }),
    ).toBe('03');
    expect(claimPlaceOfService({ status: 'completed', method: 'phone' })).toBe('10');
    expect(claimPlaceOfService({ status: 'not-done', method: 'phone' })).toBeUndefined();
    expect(claimPlaceOfService({ status: 'completed', method: 'face-to-face' })).toBeUndefined();
  });
});
