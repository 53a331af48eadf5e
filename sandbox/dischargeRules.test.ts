/**
 * Seed 000 discharge 2, 4 and 5 held by the server (sandbox/fhir/dischargeRules.ts) as by the domain: the app's
 * own discharge path (dischargeSetting → submitDischarge → one transaction) under the Family Partner's token,
 * with the transaction changed on its way, as another client could write it. The server must refuse what the
 * domain would refuse, and keep what the app writes.
 */
import { planFonts } from '../test/support/planFonts';
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, BundleEntry, Communication, DocumentReference } from 'fhir/r4';
import type { Sandbox } from './server';
import { launchToken, sandboxEhrConfig, startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_SCOPES } from '../src/config/config';
import type { EhrConfig } from '../src/config/config';
import type { DischargeDraft } from '../src/domain/discharge';
import { emptyDischargeDraft, NOT_KNOWN_WITHOUT_NOTICE } from '../src/domain/discharge';
import { currentReferral } from '../src/domain/referral';
import { loadCapabilities } from '../src/fhir/capabilities';
import { fhirRequest } from '../src/fhir/http';
import type { FhirRequestOptions, FhirTransport } from '../src/fhir/http';
import { PLAN_CONTENT_TYPE } from '../src/fhir/mappers/dischargePlan';
import { loadWorkspace } from '../src/fhir/workspace';
import { dischargeSetting } from '../src/features/discharge/dischargeSetting';
import { submitDischarge } from '../src/features/discharge/submitDischarge';

const fonts = async () => planFonts();

let sandbox: Sandbox;
let ehr: EhrConfig;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  ehr = sandboxEhrConfig(sandbox, {
    // As the full sandbox (public/config.json): the plan's structured copy beside its PDF, so its content
    // is judged; deliveries are judged either way (the last test).
    chartAttachments: ['application/pdf', 'application/vnd.fst-companion.discharge-plan+json'],
  });
});
afterAll(async () => sandbox?.close());

type Tamper = (entries: BundleEntry[]) => BundleEntry[];

/** The Family Partner's transport; `tamper` changes each transaction on its way to the server. */
async function familyPartner(patient: string, tamper: { current?: Tamper }) {
  const token = await launchToken(sandbox, patient, 'fp-rosa', `launch ${DEFAULT_SCOPES.join(' ')}`);
  const plain: FhirTransport = { baseUrl: sandbox.fhirBase, authorization: async () => `Bearer ${token}` };
  const transport: FhirTransport = {
    ...plain,
    send: <T>(url: string, options: FhirRequestOptions) => {
      const body = options.body as Bundle | undefined;
      const changed =
        tamper.current && body?.resourceType === 'Bundle' && body.type === 'transaction'
          ? { ...body, entry: tamper.current(body.entry ?? []) }
          : body;
      return fhirRequest<T>(plain, url, { ...options, body: changed });
    },
  };
  const caps = await loadCapabilities(plain);
  const ws = await loadWorkspace(plain, {
    patientId: patient,
    user: { resourceType: 'Practitioner', id: 'fp-rosa' },
    caps,
  });
  const referral = currentReferral(ws.referrals);
  if (!referral || !ws.user) throw new Error('no referral or user');
  const setting = dischargeSetting(ws, referral, ehr, new Date(), ws.user);
  const submit = (draft: DischargeDraft) =>
    submitDischarge({ transport, caps, fonts }, setting, ws, draft, ehr, ws.user!, new Date());
  return { plain, setting, submit };
}

function completeDraft(
  setting: ReturnType<typeof dischargeSetting>,
  extra: Partial<DischargeDraft> = {},
): DischargeDraft {
  return {
    ...emptyDischargeDraft(
      crypto.randomUUID(),
      setting.caregivers[0].reference,
      setting.defaultLastServiceDate,
    ),
    meetingDate: setting.ctx.today,
    participants: 'Caregiver, Family Partner, care coordinator',
    reason: 'goals-met',
    criteria: { A: true, B: true, C: false, D: false, E: false },
    goalOutcomes: Object.fromEntries(setting.goals.map((g) => [g.id, 'achieved' as const])),
    strategies: 'Praise and planned ignoring',
    supports: 'Grandmother after school',
    servicesInPlace: 'Outpatient therapy until January',
    resources: 'Parent support group; 988',
    followUpPlan: 'Parent group on Tuesdays',
    signature: { kind: 'typed', typedName: setting.caregivers[0].name.full, confirmed: true },
    consent: 'given-now',
    ...extra,
  };
}

const isDelivery = (e: BundleEntry) =>
  e.resource?.resourceType === 'Communication' &&
  (e.resource as Communication).category?.[0]?.coding?.[0]?.code === 'discharge-plan-delivery';
const recipientOf = (e: BundleEntry) => (e.resource as Communication).recipient?.[0]?.reference;
const family = (r: string | undefined) => !r || /^(RelatedPerson|Patient)\//.test(r);

/** The plan's structured content (the attachment beside the PDF), changed. */
const withContent =
  (change: (content: Record<string, unknown>) => void): Tamper =>
  (entries) =>
    entries.map((e) => {
      if (e.resource?.resourceType !== 'DocumentReference') return e;
      const doc = structuredClone(e.resource as DocumentReference);
      const part = doc.content.find((c) => c.attachment.contentType === PLAN_CONTENT_TYPE);
      if (!part) throw new Error('no structured content');
      const content = JSON.parse(Buffer.from(part.attachment.data ?? '', 'base64').toString('utf8'));
      change(content);
      part.attachment.data = Buffer.from(JSON.stringify(content), 'utf8').toString('base64');
      return { ...e, resource: doc };
    });

const refusedWith = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as Error & { status?: number },
  );
  expect(err, 'the server kept what the domain refuses').toBeDefined();
  expect(err?.status).toBe(403);
  return err?.message ?? '';
};

const plansOf = async (transport: FhirTransport, patient: string) =>
  (
    (await fhirRequest<Bundle>(transport, `DocumentReference?subject=Patient/${patient}&status=current`)).body
      .entry ?? []
  ).length;

describe('seed 000 discharge 2 and 5 on the server: "shared, with consent, with current treaters, or with the CPT"', () => {
  it('with consent, a plan written without the treaters’ deliveries is refused and nothing is kept; the app’s set is kept', async () => {
    const tamper: { current?: Tamper } = {};
    const { plain, setting, submit } = await familyPartner('youth-01', tamper);
    expect(setting.others.length).toBeGreaterThan(0);
    const before = await plansOf(plain, 'youth-01');
    tamper.current = (entries) => entries.filter((e) => !isDelivery(e) || family(recipientOf(e)));
    const message = await refusedWith(submit(completeDraft(setting)));
    expect(message).toContain('With consent the plan is shared with every current referring provider');
    expect(message).toContain(setting.others[0].reference);
    expect(await plansOf(plain, 'youth-01')).toBe(before);

    tamper.current = undefined;
    const done = await submit(completeDraft(setting));
    expect(done.written.filter((w) => w.startsWith('Communication/'))).toHaveLength(
      1 + setting.others.length,
    );
    expect(await plansOf(plain, 'youth-01')).toBe(before + 1);
  });

  it('without consent, a delivery to a treater is refused: the caregiver only', async () => {
    const tamper: { current?: Tamper } = {};
    const { setting, submit } = await familyPartner('youth-02', tamper);
    const treater = setting.others[0]?.reference ?? 'Practitioner/op-helen';
    tamper.current = (entries) => {
      const caregiver = entries.find((e) => isDelivery(e) && family(recipientOf(e)));
      if (!caregiver) throw new Error('no caregiver delivery');
      const extra = structuredClone(caregiver.resource as Communication);
      extra.recipient = [{ reference: treater }];
      extra.identifier = [{ system: 'urn:test', value: crypto.randomUUID() }];
      return [
        ...entries,
        {
          ...caregiver,
          fullUrl: `urn:uuid:${crypto.randomUUID()}`,
          resource: extra,
          request: { method: 'POST', url: 'Communication' },
        },
      ];
    };
    const message = await refusedWith(submit(completeDraft(setting, { consent: 'not-given' })));
    expect(message).toContain(
      `Without the caregiver's consent the plan goes to the caregiver only, not to ${treater}`,
    );
  });

  it('a plan with no delivery to the caregiver is refused', async () => {
    const tamper: { current?: Tamper } = {};
    const { setting, submit } = await familyPartner('youth-02', tamper);
    tamper.current = (entries) => entries.filter((e) => !isDelivery(e) || !family(recipientOf(e)));
    const message = await refusedWith(submit(completeDraft(setting)));
    expect(message).toContain('a delivery to the caregiver is missing');
  });
});

describe('seed 000 discharge 4 and 5 on the server: "every effort to contact … documented"; "strategies, supports, and services in place … and resources"', () => {
  it('a family recorded as stopped without notice with no documented attempt is refused, whatever reason is given', async () => {
    const tamper: { current?: Tamper } = {};
    const { setting, submit } = await familyPartner('youth-02', tamper);
    tamper.current = withContent((c) => {
      c.reason = 'terminated-without-notice';
      c.fewerAttemptsReason = 'The supervisor says one is enough';
    });
    const message = await refusedWith(submit(completeDraft(setting)));
    expect(message).toContain('At least one attempt must be documented');
  });

  it('a plan missing what sustains the gains, or answering "Not known" for a family that took part, is refused', async () => {
    const tamper: { current?: Tamper } = {};
    const { setting, submit } = await familyPartner('youth-02', tamper);
    tamper.current = withContent((c) => {
      c.servicesInPlace = '';
    });
    expect(await refusedWith(submit(completeDraft(setting)))).toContain('missing: services in place');
    tamper.current = withContent((c) => {
      c.strategies = NOT_KNOWN_WITHOUT_NOTICE;
    });
    expect(await refusedWith(submit(completeDraft(setting)))).toContain(
      'is for a family that stopped without notice',
    );
  });

  it('a plan whose goals are not all given an outcome, or without an adequate continuing care plan (004 §V A), is refused', async () => {
    const tamper: { current?: Tamper } = {};
    const { setting, submit } = await familyPartner('youth-02', tamper);
    expect(setting.goals.length).toBeGreaterThan(0);
    tamper.current = withContent((c) => {
      c.goalOutcomes = {};
      (c.criteria as Record<string, boolean>).A = false;
    });
    const message = await refusedWith(submit(completeDraft(setting)));
    expect(message).toContain('Confirm that an adequate continuing care plan has been established (A).');
    expect(message).toMatch(/Record the outcome of/);
  });
});
