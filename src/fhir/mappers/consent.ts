/**
 * The caregiver's consent to disclose (Consent, scope patient-privacy, provision permit + disclose): for
 * sharing the discharge plan with treaters, and for FST taking part in a state-agency meeting. One shape,
 * so "is there consent on file" (hasActiveConsent) reads both.
 */
import type { Consent, Reference } from 'fhir/r4';
import { CodeSystems, IdentifierSystems } from '../codes';

export interface DisclosureConsent {
  /** Client identifier value (idempotent saves). */
  identifier: string;
  patientId: string;
  /** The caregiver who consents. */
  performer: Reference;
  custodian?: string;
  /** Who may receive: chart references, or names (an agency not in the chart). */
  recipients: Reference[];
  /** What may be disclosed (a DocumentReference), when it is one record. */
  data?: string;
  /** ISO instant. */
  at: string;
}

export function disclosureConsent(c: DisclosureConsent): Consent {
  return {
    resourceType: 'Consent',
    identifier: [{ system: IdentifierSystems.clientRequest, value: c.identifier }],
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: CodeSystems.loinc, code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${c.patientId}` },
    dateTime: c.at,
    performer: [c.performer],
    ...(c.custodian ? { organization: [{ reference: c.custodian }] } : {}),
    policyRule: { coding: [{ system: CodeSystems.actCode, code: 'OPTIN' }] },
    provision: {
      type: 'permit',
      period: { start: c.at },
      actor: c.recipients.map((reference) => ({
        role: {
          coding: [{ system: CodeSystems.participationType, code: 'IRCP' }],
        },
        reference,
      })),
      action: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose' }] },
      ],
      ...(c.data ? { data: [{ meaning: 'instance' as const, reference: { reference: c.data } }] } : {}),
    },
  };
}
