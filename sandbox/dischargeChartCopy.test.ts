/**
 * Issue 36 §2, what the clinician in the EHR sees, on the full EHR and on the limited one (its FST records in
 * the store): a referring clinician outside the care team is named — in the recipients, the consent, the
 * deliveries and the PDF — also when the store's linked stub of her carries no name (the EHR's does); the
 * chart's copy of a Spanish-speaking caregiver's plan is in English and hers in Spanish; the structured JSON
 * copy goes only where the EHR accepts it; the plan conforms to US Core DocumentReference.
 */
import { planFonts } from '../test/support/planFonts';
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Communication, Consent, DocumentReference, Resource } from 'fhir/r4';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { ehrLaunchToken } from '../test/support/smartFlow';
import { routedSession } from '../test/support/routedSession';
import { readPdf } from '../test/support/pdfText';
import { DEFAULT_SCOPES, parseConfig } from '../src/config/config';
import type { EhrConfig } from '../src/config/config';
import { emptyDischargeDraft } from '../src/domain/discharge';
import { currentReferral } from '../src/domain/referral';
import { loadCapabilities } from '../src/fhir/capabilities';
import { Profiles } from '../src/fhir/codes';
import { fhirRequest } from '../src/fhir/http';
import { PLAN_CONTENT_TYPE } from '../src/fhir/mappers/dischargePlan';
import { readNames } from '../src/fhir/names';
import { loadWorkspace } from '../src/fhir/workspace';
import { dischargeSetting, recipientReferences } from '../src/features/discharge/dischargeSetting';
import { submitDischarge } from '../src/features/discharge/submitDischarge';
import { validateForWrite } from './fhir/validation';

const YOUTH = 'youth-03'; // Sofía Ramírez, who reads Spanish; IHT with Samuel Okafor on the team
const REFERRER = 'Practitioner/op-helen'; // Helen Park: on no team of this youth

describe.each(['full', 'limited'] as const)('the chart copy on the %s EHR', (mode) => {
  let sandbox: Sandbox;
  let ehr: EhrConfig;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ ehr: mode });
    const fst = mode === 'limited' ? sandbox.store : undefined;
    ehr = parseConfig({
      ehrs: [
        {
          name: 'sandbox',
          iss: sandbox.fhirBase,
          clientId: 'fst-companion',
          providerOrganization: 'Organization/org-harbor',
          ...(mode === 'full'
            ? { chartAttachments: ['application/pdf', 'application/vnd.fst-companion.discharge-plan+json'] }
            : {}),
          fstProviders: [{ reference: 'Organization/org-harbor', name: 'Harbor Family Services' }],
          ...(fst
            ? {
                recordStore: {
                  name: 'The FST record store',
                  fhirBase: fst.fhirBase,
                  tokenEndpoint: fst.tokenEndpoint,
                },
              }
            : {}),
        },
      ],
    }).ehrs[0];
    // The referral came from a clinician outside the care team.
    const records = fst ? fst.repo : sandbox.repo;
    for (const r of records.allStored() as (Resource & { requester?: { reference?: string } })[]) {
      const youthOf = JSON.stringify(r).includes(`Patient/${YOUTH}"`);
      if ((r.resourceType === 'Task' || r.resourceType === 'ServiceRequest') && youthOf && r.requester)
        await records.updateResource({ ...r, requester: { reference: REFERRER } } as never);
    }
    // A store's stub made from the EHR's id alone: her name is the EHR's.
    if (fst) {
      const stub = fst.repo.readStored(REFERRER) as Resource & { name?: unknown };
      const { name: _name, ...nameless } = stub;
      await fst.repo.updateResource(nameless as never);
    }
  });
  afterAll(async () => sandbox?.close());

  const session = async () => (await routedSession(sandbox, ehr, YOUTH, 'fp-rosa')).transport;

  it('names the referring clinician everywhere and writes an English chart copy beside the Spanish one', async () => {
    const transport = await session();
    const caps = await loadCapabilities(transport);
    const ws = await loadWorkspace(transport, {
      patientId: YOUTH,
      user: { resourceType: 'Practitioner', id: 'fp-rosa' },
      caps,
    });
    const referral = currentReferral(ws.referrals);
    if (!referral || !ws.user) throw new Error('no referral or user');
    expect(referral.requesterReference).toBe(REFERRER);
    // As the wizard does before it opens: the names the workspace did not read, across both servers.
    const missing = recipientReferences(ws).filter((r) => !ws.staffNames.has(r));
    const names = await readNames(transport, missing);
    const setting = dischargeSetting(ws, referral, ehr, new Date(), ws.user, names);
    expect(setting.others.find((o) => o.kind === 'referring-provider')).toMatchObject({
      reference: REFERRER,
      name: 'Helen Park',
    });
    for (const o of setting.others) expect(o.name).not.toBe('a member of the team');

    const caregiver = setting.caregivers[0];
    const draft = {
      ...emptyDischargeDraft(`chart-copy-${mode}`, caregiver.reference, setting.defaultLastServiceDate),
      meetingDate: setting.ctx.today,
      participants: 'Caregiver, Family Partner',
      reason: 'goals-met' as const,
      criteria: { A: true, B: true, C: false, D: false, E: false },
      goalOutcomes: Object.fromEntries(setting.goals.map((g) => [g.id, 'achieved' as const])),
      strategies: 'Elogios y rutinas',
      supports: 'La abuela después de la escuela',
      servicesInPlace: 'Terapia en casa hasta enero',
      resources: '988',
      followUpPlan: 'Grupo de padres los martes',
      signature: { kind: 'typed' as const, typedName: caregiver.name.full, confirmed: true },
      consent: 'given-now' as const,
    };
    const done = await submitDischarge(
      { transport, caps, fonts: async () => planFonts() },
      setting,
      ws,
      draft,
      ehr,
      ws.user,
      new Date(),
    );

    // Read where each record is: the plan in the EHR's own store of records, the rest where the router put them.
    const doc = sandbox.repo.readStored(`DocumentReference/${done.documentId}`) as DocumentReference;
    expect(doc, 'the plan is in the chart').toBeDefined();
    expect(doc.meta?.profile).toContain(Profiles.usCoreDocumentReference);
    expect(() => validateForWrite(doc as never)).not.toThrow();
    const pdfs = doc.content.filter((c) => c.attachment.contentType === 'application/pdf');
    expect(pdfs.map((c) => c.attachment.language)).toEqual(['en-US', 'es-US']);
    const texts = await Promise.all(
      pdfs.map(async (c) =>
        (await readPdf(Uint8Array.from(Buffer.from(c.attachment.data ?? '', 'base64')))).text.replace(
          /\s+/g,
          ' ',
        ),
      ),
    );
    expect(texts[0]).toContain('discharge plan');
    expect(texts[1]).toContain('alta');
    for (const t of texts) {
      expect(t).toContain('Helen Park');
      expect(t).not.toContain('a member of the team');
    }
    const structured = doc.content.some((c) => c.attachment.contentType === PLAN_CONTENT_TYPE);
    expect(structured).toBe(mode === 'full');
    expect(doc.context?.related?.every((r) => !!r.display)).toBe(true);

    const search = async <T>(q: string) =>
      ((await fhirRequest<Bundle>(transport, q)).body.entry ?? []).map((e) => e.resource as T);
    const consent = (await search<Consent>(`Consent?patient=Patient/${YOUTH}&status=active`)).find(
      (c) => c.provision?.data?.[0].reference.reference === `DocumentReference/${done.documentId}`,
    );
    expect(
      consent?.provision?.actor?.find((a) => a.reference.reference === REFERRER)?.reference.display,
    ).toBe('Helen Park');
    const deliveries = await search<Communication>(
      `Communication?subject=Patient/${YOUTH}&category=https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category|discharge-plan-delivery`,
    );
    expect(deliveries.find((d) => d.recipient?.[0].reference === REFERRER)?.recipient?.[0].display).toBe(
      'Helen Park',
    );
  });

  it.runIf(mode === 'limited')(
    'the limited EHR refuses a document attachment that is not a PDF, in words',
    async () => {
      const token = await ehrLaunchToken(sandbox.baseUrl, {
        patient: YOUTH,
        user: 'fp-rosa',
        scope: `launch ${DEFAULT_SCOPES.join(' ')}`,
        issuer: sandbox.issuer,
        fhirBase: sandbox.fhirBase,
      });
      const res = await fetch(`${sandbox.fhirBase}/DocumentReference`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${String(token.access_token)}`,
          'content-type': 'application/fhir+json',
        },
        body: JSON.stringify({
          resourceType: 'DocumentReference',
          status: 'current',
          subject: { reference: `Patient/${YOUTH}` },
          content: [{ attachment: { contentType: PLAN_CONTENT_TYPE, data: btoa('{}') } }],
        }),
      });
      expect(res.status).toBe(405);
      expect(JSON.stringify(await res.json())).toContain('application/pdf only');
    },
  );
});
