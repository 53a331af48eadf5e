/**
 * A discharge finalised through the app's own path (dischargeSetting → submitDischarge → one transaction)
 * against the real sandbox under the Family Partner's patient token: every resource lands, valid against
 * our profiles (the sandbox validates meta.profile on write), inside the youth's compartment; a failure
 * inside the transaction leaves nothing; a retry never duplicates.
 */
import { planFonts } from '../test/support/planFonts';
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Bundle,
  Communication,
  Consent,
  DocumentReference,
  Provenance,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import type { Sandbox } from './server';
import { launchToken, sandboxEhrConfig, startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_SCOPES } from '../src/config/config';
import type { EhrConfig } from '../src/config/config';
import type { DischargeDraft } from '../src/domain/discharge';
import { emptyDischargeDraft } from '../src/domain/discharge';
import { currentReferral } from '../src/domain/referral';
import { evaluateEpisode } from '../src/domain/compliance';
import { episodeFor } from '../src/domain/episode';
import { calendarFor } from '../src/config/config';
import { loadCapabilities } from '../src/fhir/capabilities';
import type { ServerCapabilities } from '../src/fhir/capabilities';
import { FhirError, fhirRequest } from '../src/fhir/http';
import type { FhirTransport } from '../src/fhir/http';
import { IdentifierSystems, Profiles } from '../src/fhir/codes';
import { loadWorkspace } from '../src/fhir/workspace';
import { dischargeSetting } from '../src/features/discharge/dischargeSetting';
import { recordDelivery } from '../src/fhir/discharge';
import { submitDischarge } from '../src/features/discharge/submitDischarge';
import { readPdf } from '../test/support/pdfText';

const fonts = async () => planFonts();

let sandbox: Sandbox;
let ehr: EhrConfig;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  ehr = sandboxEhrConfig(sandbox, {
    chartAttachments: ['application/pdf', 'application/vnd.fst-companion.discharge-plan+json'],
  });
});
afterAll(async () => sandbox?.close());

async function familyPartner(patient: string) {
  const token = await launchToken(sandbox, patient, 'fp-rosa', `launch ${DEFAULT_SCOPES.join(' ')}`);
  const transport: FhirTransport = {
    baseUrl: sandbox.fhirBase,
    authorization: async () => `Bearer ${token}`,
  };
  const caps = await loadCapabilities(transport);
  return { transport, caps };
}

async function setUp(patient: string, transport: FhirTransport, caps: ServerCapabilities) {
  const ws = await loadWorkspace(transport, {
    patientId: patient,
    user: { resourceType: 'Practitioner', id: 'fp-rosa' },
    caps,
  });
  const referral = currentReferral(ws.referrals);
  if (!referral || !ws.user) throw new Error('no referral or user');
  const setting = dischargeSetting(ws, referral, ehr, new Date(), ws.user);
  return { ws, referral, setting, user: ws.user };
}

function completeDraft(
  requestId: string,
  setting: ReturnType<typeof dischargeSetting>,
  extra: Partial<DischargeDraft> = {},
): DischargeDraft {
  return {
    ...emptyDischargeDraft(requestId, setting.caregivers[0].reference, setting.defaultLastServiceDate),
    meetingDate: setting.ctx.today,
    participants: 'Caregiver, Family Partner, in-home therapist',
    reason: 'goals-met',
    criteria: { A: true, B: true, C: false, D: false, E: false },
    goalOutcomes: Object.fromEntries(setting.goals.map((g) => [g.id, 'achieved' as const])),
    strategies: 'Praise and planned ignoring',
    supports: 'Grandmother after school',
    servicesInPlace: 'In-home therapy until January',
    resources: 'Parent support group; 988',
    followUpPlan: 'Parent group on Tuesdays',
    signature: { kind: 'typed', typedName: setting.caregivers[0].name.full, confirmed: true },
    consent: 'given-now',
    ...extra,
  };
}

const search = async <T>(transport: FhirTransport, query: string): Promise<T[]> =>
  ((await fhirRequest<Bundle>(transport, query)).body.entry ?? []).map((e) => e.resource as T);

describe('finalising a discharge against the sandbox', () => {
  it('writes the plan, signatures, consent, deliveries and closes the referral, all under the FP patient token', async () => {
    const { transport, caps } = await familyPartner('youth-03');
    const { ws, setting, user } = await setUp('youth-03', transport, caps);
    const draft = completeDraft('discharge-03', setting);
    const at = new Date();
    const done = await submitDischarge({ transport, caps, fonts }, setting, ws, draft, ehr, user, at);

    const doc = (await fhirRequest<DocumentReference>(transport, `DocumentReference/${done.documentId}`))
      .body;
    expect(doc.meta?.profile).toEqual([Profiles.dischargePlan, Profiles.usCoreDocumentReference]);
    expect(doc.type?.text).toBe('Family Support and Training discharge plan');
    expect(doc.custodian?.reference).toBe('Organization/org-harbor');
    expect(doc.context?.related?.map((r) => r.reference)).toEqual([
      `Task/${setting.referral.id}`,
      `ServiceRequest/${setting.referral.serviceRequestId}`,
    ]);
    // The chart's copy in English (issue 36), then the caregiver's own in Spanish.
    expect(doc.content.map((c) => c.attachment.language).slice(0, 2)).toEqual(['en-US', 'es-US']);
    const attachment = doc.content[1].attachment;
    expect(attachment.contentType).toBe('application/pdf');
    expect(attachment.language).toBe('es-US');
    const pdf = await readPdf(Uint8Array.from(Buffer.from(attachment.data ?? '', 'base64')));
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(pdf.tagged).toBe(true);
    expect(text).toContain('Sofía Ramírez');
    for (const goal of setting.goals) expect(text).toContain(goal.caregiverWording ?? goal.description);

    const provenances = await search<Provenance>(
      transport,
      `Provenance?target=DocumentReference/${done.documentId}`,
    );
    expect(provenances.map((p) => p.signature?.[0].type[0].code).sort()).toEqual([
      '1.2.840.10065.1.12.1.1',
      '1.2.840.10065.1.12.1.7',
    ]);
    const caregiverSig = provenances.find((p) => p.signature?.[0].type[0].code === '1.2.840.10065.1.12.1.7');
    expect(caregiverSig?.signature?.[0].who.reference).toBe(setting.caregivers[0].reference);

    const consents = await search<Consent>(transport, 'Consent?patient=Patient/youth-03&status=active');
    expect(consents).toHaveLength(1);
    expect(consents[0].provision?.data?.[0].reference.reference).toBe(`DocumentReference/${done.documentId}`);
    expect(consents[0].provision?.actor?.map((a) => a.reference.reference)).toEqual(
      setting.others.map((o) => o.reference),
    );

    const task = (await fhirRequest<Task>(transport, `Task/${setting.referral.id}`)).body;
    expect(task.status).toBe('completed');
    expect(task.statusReason?.coding?.[0].code).toBe('goals-met');
    const order = (
      await fhirRequest<ServiceRequest>(transport, `ServiceRequest/${setting.referral.serviceRequestId}`)
    ).body;
    expect(order.status).toBe('completed');

    const deliveries = await search<Communication>(
      transport,
      'Communication?subject=Patient/youth-03&category=https://fst-companion.example.org/fhir/CodeSystem/fst-contact-category|discharge-plan-delivery',
    );
    expect(deliveries.map((c) => c.recipient?.[0].reference)).toEqual(
      expect.arrayContaining([setting.caregivers[0].reference]),
    );
    // The caregiver once, and each treater once: the referrer and the care team's practitioners.
    expect(deliveries.length).toBe(1 + setting.others.length);
    expect(new Set(deliveries.map((c) => c.recipient?.[0].reference)).size).toBe(deliveries.length);

    // Read back as the app reads it: the episode ended; the deliveries are planned, not yet made, so the
    // 5-business-day clock is not met by the plan's own date.
    const clockOf = (w: Awaited<ReturnType<typeof setUp>>) =>
      evaluateEpisode(
        episodeFor({
          referral: w.referral,
          contacts: w.ws.contacts,
          plans: w.ws.plans,
          dischargePlans: w.ws.dischargePlans,
          fstStaff: w.ws.fstStaff,
        }),
        new Date(),
        calendarFor(ehr),
      ).clocks['discharge-plan'];
    const after = await setUp('youth-03', transport, caps);
    const plan = after.ws.dischargePlans.find((d) => d.id === done.documentId);
    expect(after.ws.consentOnFile).toBe(true);
    expect(plan?.deliveredOn).toBeUndefined();
    expect(plan?.deliveries?.map((d) => d.status)).toEqual(deliveries.map(() => 'planned'));
    expect(clockOf(after)?.status).not.toBe('met');

    // Each delivery recorded as it happens: the clock is met on the last one's day.
    const sentAt = (i: number) => new Date(at.getTime() + (i + 1) * 60_000).toISOString();
    for (const [i, d] of (plan?.deliveries ?? []).entries()) {
      const result = await recordDelivery(transport, d, sentAt(i), i === 0 ? 'in-person' : 'secure-message');
      expect(result.ok).toBe(true);
    }
    const delivered = await setUp('youth-03', transport, caps);
    const final = delivered.ws.dischargePlans.find((d) => d.id === done.documentId);
    expect(final?.deliveries?.map((d) => [d.status, d.method])).toEqual(
      deliveries.map((_, i) => ['sent', i === 0 ? 'in-person' : 'secure-message']),
    );
    expect(final?.deliveredOn).toBe(sentAt(deliveries.length - 1));
    expect(clockOf(delivered)?.status).toBe('met');
  });

  it("the treaters are the team's practitioners by name — never the caregiver, never a raw reference; the plan names the assigned Family Partner", async () => {
    const { transport, caps } = await familyPartner('youth-01');
    const { setting } = await setUp('youth-01', transport, caps);
    expect(setting.ctx.inIcc).toBe(true);
    expect(setting.others.length).toBeGreaterThan(0);
    for (const o of setting.others) {
      expect(o.reference).toMatch(/^(Practitioner|PractitionerRole|Organization)\//);
      expect(o.name).not.toMatch(/^(Practitioner|PractitionerRole|Organization|RelatedPerson)\//);
    }
    expect(setting.familyPartnerName).toBe('Rosa Delgado');
    expect(setting.preparedBy).toEqual({ name: 'Rosa Delgado', role: 'family-partner' });
    // Services ran from the first session, not from the referral.
    expect(setting.serviceStart > setting.ctx.episodeStart).toBe(true);
  });

  it('a second finalisation of the same plan (a double click) reports the first one’s success, and nothing is written twice', async () => {
    const { transport, caps } = await familyPartner('youth-02');
    const { ws, setting, user } = await setUp('youth-02', transport, caps);
    const draft = completeDraft('discharge-02-double', setting);
    const at = new Date();
    const submit = () => submitDischarge({ transport, caps, fonts }, setting, ws, draft, ehr, user, at);
    const [first, second] = await Promise.all([submit(), submit()]);
    expect(second.documentId).toBe(first.documentId);
    const plans = await search<DocumentReference>(
      transport,
      'DocumentReference?subject=Patient/youth-02&type=http://loinc.org|18842-5',
    );
    expect(plans).toHaveLength(1);
  });

  it('a corrected plan starts from the first one, replaces it (superseded, kept), and leaves the referral ended', async () => {
    const { transport, caps } = await familyPartner('youth-03');
    const { ws, user } = await setUp('youth-03', transport, caps);
    const first = ws.dischargePlans.find((d) => d.status === 'current');
    if (!first) throw new Error('no plan to correct');
    expect(first.content?.followUpPlan).toBe('Parent group on Tuesdays');
    const referral = ws.referrals.find((r) => first.referralTaskIds.includes(r.id));
    if (!referral || !ws.user) throw new Error('no referral or user');
    const setting = dischargeSetting(ws, referral, ehr, new Date(), ws.user);
    const draft: DischargeDraft = {
      ...emptyDischargeDraft('correction-03', '', ''),
      ...first.content,
      followUpPlan: 'Parent group on Tuesdays; call in January',
      signature: { kind: 'typed', typedName: 'Lucía Ramírez', confirmed: true },
      consent: 'on-file',
    };
    const done = await submitDischarge(
      { transport, caps, fonts },
      setting,
      ws,
      draft,
      ehr,
      user,
      new Date(),
      {
        id: first.id,
        versionId: first.versionId,
      },
    );
    const old = (await fhirRequest<DocumentReference>(transport, `DocumentReference/${first.id}`)).body;
    const corrected = (
      await fhirRequest<DocumentReference>(transport, `DocumentReference/${done.documentId}`)
    ).body;
    expect(old.status).toBe('superseded');
    expect(corrected.relatesTo).toEqual([
      { code: 'replaces', target: { reference: `DocumentReference/${first.id}` } },
    ]);
    expect((await fhirRequest<Task>(transport, `Task/${referral.id}`)).body.status).toBe('completed');
    // Correcting the superseded plan again is refused: someone already replaced it.
    await expect(
      submitDischarge(
        { transport, caps, fonts },
        setting,
        ws,
        { ...draft, requestId: 'correction-03b' },
        ehr,
        user,
        new Date(),
        {
          id: first.id,
          versionId: first.versionId,
        },
      ),
    ).rejects.toThrow(/changed by someone else/);
  });

  it("the sandbox refuses a discharge plan from someone other than the family's Family Partner or a supervisor", async () => {
    const token = await launchToken(sandbox, 'youth-02', 'op-helen', `launch ${DEFAULT_SCOPES.join(' ')}`);
    const res = await fetch(`${sandbox.fhirBase}/DocumentReference`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/fhir+json',
      },
      body: JSON.stringify({
        resourceType: 'DocumentReference',
        meta: { profile: [Profiles.dischargePlan] },
        status: 'current',
        type: { coding: [{ system: 'http://loinc.org', code: '18842-5' }] },
        category: [
          {
            coding: [
              {
                system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
                code: 'clinical-note',
              },
            ],
          },
        ],
        subject: { reference: 'Patient/youth-02' },
        date: new Date().toISOString(),
        author: [{ reference: 'Practitioner/op-helen' }],
        content: [{ attachment: { contentType: 'application/pdf', data: 'JVBERi0=' } }],
        context: { related: [{ reference: 'Task/task-02' }] },
      }),
    });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toContain(
      'Only the assigned Family Partner or an FST supervisor can discharge',
    );
  });

  it('a failure inside the transaction leaves the server unchanged; the retry writes each resource once', async () => {
    const { transport, caps } = await familyPartner('youth-01');
    const { ws, setting, user } = await setUp('youth-01', transport, caps);
    const draft = completeDraft('discharge-01', setting);
    const at = new Date();
    const count = () => sandbox.repo.searchResources({ resourceType: 'DocumentReference' } as never);
    const before = {
      docs: (await count()).length,
      task: sandbox.repo.readStored(`Task/${setting.referral.id}`),
    };

    sandbox.failNextTransactions(1);
    const failure = await submitDischarge(
      { transport, caps, fonts },
      setting,
      ws,
      draft,
      ehr,
      user,
      at,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FhirError);
    expect((failure as FhirError).status).toBe(500);
    expect((await count()).length).toBe(before.docs);
    expect(sandbox.repo.readStored(`Task/${setting.referral.id}`)).toEqual(before.task);

    // The user presses Finalise again (same draft, same attempt time), then once more as if the answer was lost.
    const first = await submitDischarge({ transport, caps, fonts }, setting, ws, draft, ehr, user, at);
    const again = await submitDischarge({ transport, caps, fonts }, setting, ws, draft, ehr, user, at);
    expect(again.documentId).toBe(first.documentId);
    const ours = (await count()).filter((d) =>
      (d as DocumentReference).identifier?.some(
        (i) => i.system === IdentifierSystems.clientRequest && i.value === 'discharge-01-plan',
      ),
    );
    expect(ours).toHaveLength(1);
    expect((sandbox.repo.readStored(`Task/${setting.referral.id}`) as Task).status).toBe('completed');
  });
});
