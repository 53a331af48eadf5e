/**
 * Where an FST contact took place (seed 000 service components 5–6: services "in the parent's/caregiver's home
 * and community", and "via a HIPAA-compliant telehealth platform at the family's request"), with the CMS
 * place-of-service code an H2014 claim line carries (CMS Place of Service Code Set, the code system of FHIR R4's
 * `service-place` value set, which Claim.item.location[x] uses).
 *
 * Readings: an office or a school is recorded as such (the seed names the home and the community; the record says
 * where, it does not refuse); a phone or video contact is telehealth — the caregiver is reached where they are,
 * usually at home, so POS 10 ("telehealth provided in patient's home") — and an in-person one is not.
 */
import type { Contact, ContactMethod } from './model';

export const PLACES_OF_SERVICE = ['home', 'community', 'office', 'school', 'telehealth'] as const;
export type PlaceOfService = (typeof PLACES_OF_SERVICE)[number];

export const PLACE_OF_SERVICE_LABEL: Record<PlaceOfService, string> = {
  home: "The caregiver's home",
  community: 'In the community',
  office: 'At the office',
  school: 'At school',
  telehealth: 'Telehealth (phone or video)',
};

/** CMS place-of-service code and its name, per place. */
export const CMS_PLACE_OF_SERVICE: Record<PlaceOfService, { code: string; display: string }> = {
  home: { code: '12', display: 'Home' },
  // No CMS code names "the community"; 99 is CMS's "Other Place of Service" (a park, a library, a store).
  community: { code: '99', display: 'Other Place of Service' },
  office: { code: '11', display: 'Office' },
  school: { code: '03', display: 'School' },
  telehealth: { code: '10', display: "Telehealth Provided in Patient's Home" },
};

/** The place a CMS code stands for (our codes map one-to-one), or undefined. */
export function placeFromCmsCode(code: string | undefined): PlaceOfService | undefined {
  return PLACES_OF_SERVICE.find((p) => CMS_PLACE_OF_SERVICE[p].code === code);
}

/** The place the method implies, when it implies one: phone and video are telehealth. */
export function impliedPlace(method: ContactMethod | ''): PlaceOfService | undefined {
  return method === 'phone' || method === 'video' ? 'telehealth' : undefined;
}

/**
 * Why this place cannot go with this method, or undefined. A completed face-to-face contact says where (home,
 * community, office or school); a phone or video one is telehealth; a written one ("other") has no place.
 */
export function placeProblem(
  method: ContactMethod | '',
  place: PlaceOfService | undefined,
): string | undefined {
  if (method === 'face-to-face') {
    if (!place) return 'Say where the contact took place (home, community, office or school).';
    if (place === 'telehealth') return 'A face-to-face contact is not telehealth: say where it took place.';
  }
  if ((method === 'phone' || method === 'video') && place !== undefined && place !== 'telehealth')
    return 'A phone or video contact is telehealth.';
  return undefined;
}

/**
 * The CMS place-of-service code of a completed contact's H2014 service line: its recorded place, or the place its
 * method implies; undefined when neither says (an attempt, a written contact, a contact from elsewhere).
 */
export function claimPlaceOfService(
  c: Pick<Contact, 'status' | 'method' | 'placeOfService'>,
): string | undefined {
  if (c.status !== 'completed') return undefined;
  const place = c.placeOfService ?? impliedPlace(c.method);
  return place ? CMS_PLACE_OF_SERVICE[place].code : undefined;
}
