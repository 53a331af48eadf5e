/**
 * `npm run bench`: speed figures, measured (never asserted in unit tests).
 *  - compliance clocks: 100 families × 2 years of weekly caregiver + collateral contacts
 *  - boundary parsing: 20 000 Communications → Contacts
 *  - sandbox: start time and the patient workspace batch for the 13-month family
 *  - discharge: the PDF's build time and size, the finalising transaction; bundle sizes when dist/ exists
 * Prints median and p95 over repeated runs.
 */
import '../sandbox/env';
import { performance } from 'node:perf_hooks';
import type { Communication } from 'fhir/r4';
import { DEFAULT_CALENDAR } from '../src/domain/calendar';
import { evaluateEpisode } from '../src/domain/compliance';
import type { Episode } from '../src/domain/compliance';
import type { Contact, ContactDraft } from '../src/domain/model';
import { communicationFromDraft, parseContact } from '../src/fhir/mappers/contact';
import { loadContactHistory, loadWorkspace } from '../src/fhir/workspace';
import { ASSUMED_CAPABILITIES, loadCapabilities } from '../src/fhir/capabilities';
import { buildLargeFamily, LARGE_PATIENT_ID } from '../sandbox/data/largeFamily';
import { amendContactNote, createContact, markEnteredInError } from '../src/fhir/contacts';
import { loadCaseload } from '../src/fhir/caseload';
import { caseloadWindowStart } from '../src/domain/caseload';
import { existsSync, readFileSync } from 'node:fs';
import { benchMeasures } from './benchMeasures.mts';
import { benchSandbox, startAgency } from './benchAgency.mts';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { DEFAULT_ROLE_MAPPING, parseConfig } from '../src/config/config';
import { loadStaffCompliance } from '../src/fhir/staff';
import { benchTable } from './benchTable.mts';
import { PRELOADED_MODULES } from '../src/config/preloadedChunks';
import { openRouter } from '../test/support/openRouter';
import { CodeSystems } from '../src/fhir/codes';
import { emptyDischargeDraft } from '../src/domain/discharge';
import { currentReferral } from '../src/domain/referral';
import { dischargeSetting } from '../src/features/discharge/dischargeSetting';
import { buildPlanPdf, submitDischarge } from '../src/features/discharge/submitDischarge';

/** Every figure, for the table at the end and docs/bench-latest.json. */
const { record, finish } = benchTable();

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(2)} ms · p95 ${at(0.95).toFixed(2)} ms · n=${samples.length}`;
}

function measure(runs: number, fn: () => void | Promise<void>): Promise<number[]> {
  return (async () => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      samples.push(performance.now() - t0);
    }
    return samples;
  })();
}

const now = new Date('2026-11-22T17:00:00Z');

/** Counts the requests the app's own functions make, at fetch, until restored. */
function countFetches() {
  let calls = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
    calls++;
    return realFetch(...args);
  }) as typeof fetch;
  return {
    count: () => calls,
    reset: () => {
      calls = 0;
    },
    restore: () => {
      globalThis.fetch = realFetch;
    },
  };
}

/** Counts what the app's fetches send and receive: requests, and bytes of every answer body. */
function countBytes() {
  let requests = 0;
  let bytes = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
    requests++;
    const res = await realFetch(...args);
    bytes += (await res.clone().arrayBuffer()).byteLength;
    return res;
  }) as typeof fetch;
  return {
    requests: () => requests,
    bytes: () => bytes,
    reset: () => {
      requests = 0;
      bytes = 0;
    },
    restore: () => {
      globalThis.fetch = realFetch;
    },
  };
}

const DAY = 86_400_000;

function family(n: number): Episode {
  const start = now.getTime() - 730 * DAY;
  const contacts: Contact[] = [];
  for (let w = 0; w < 104; w++) {
    const t = start + w * 7 * DAY + (n % 5) * DAY;
    contacts.push({
      id: `${n}-cg-${w}`,
      kind: 'caregiver',
      status: 'completed',
      method: w % 2 ? 'phone' : 'face-to-face',
      sent: new Date(t).toISOString(),
      durationMinutes: 45,
      goalIds: ['g1'],
      purposes: ['coaching'],
    });
    if (w % 9 !== 4) {
      contacts.push({
        id: `${n}-co-${w}`,
        kind: 'collateral',
        status: 'completed',
        method: 'phone',
        sent: new Date(t + DAY).toISOString(),
        durationMinutes: 15,
        goalIds: ['g1'],
        purposes: ['guiding'],
      });
    }
  }
  return {
    referral: {
      id: `t${n}`,
      status: 'in-progress',
      authoredOn: new Date(start - 3 * DAY).toISOString(),
      fstMarks: ['profile'],
    },
    contacts,
    planGoalIds: new Set(['g1']),
  };
}

async function main(): Promise<void> {
  const families = Array.from({ length: 100 }, (_, i) => family(i));
  const contactCount = families.reduce((s, f) => s + f.contacts.length, 0);
  for (let i = 0; i < 3; i++) for (const f of families) evaluateEpisode(f, now, DEFAULT_CALENDAR); // warm-up
  const clockRuns = await measure(30, () => {
    for (const f of families) evaluateEpisode(f, now, DEFAULT_CALENDAR);
  });
  record(`clocks, 100 families × 2 years (${contactCount} contacts)`, stats(clockRuns), 'median < 20 ms');

  const drafts: ContactDraft[] = families.flatMap((f) =>
    f.contacts.map((c) => ({
      requestId: c.id,
      kind: c.kind,
      method: c.method,
      sent: c.sent,
      durationMinutes: c.durationMinutes,
      purposes: c.purposes,
      goalIds: c.goalIds,
      note: 'Weekly check-in.',
      recipientReference: 'RelatedPerson/r',
      senderReference: 'Practitioner/p',
      patientId: 'p',
    })),
  );
  const resources: Communication[] = drafts.map((d, i) => ({ ...communicationFromDraft(d), id: String(i) }));
  const parseRuns = await measure(10, () => {
    for (const r of resources) parseContact(r);
  });
  record(`parse ${resources.length} Communications → Contacts`, stats(parseRuns));

  const t0 = performance.now();
  const sandbox = await benchSandbox();
  record('sandbox start (definitions, profiles, demo data)', `${(performance.now() - t0).toFixed(0)} ms`);
  try {
    const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
    let requests = 0;
    const wsRuns = await measure(20, async () => {
      const ws = await loadWorkspace(transport, {
        patientId: 'youth-02',
        user: { resourceType: 'Practitioner', id: 'fp-rosa' },
      });
      requests = ws.requests;
    });
    record(
      'workspace load, 13-month family (youth-02)',
      `${stats(wsRuns)} · ${requests} FHIR request(s)`,
      '≤ 2 requests',
    );

    // The same youth on an EHR that accepts only the discharge plan, the FST records in the agency's store
    // (SANDBOX_EHR=limited): the router reads both servers in parallel. Requests counted at fetch.
    const limited = await benchSandbox({ ehr: 'limited' });
    try {
      const router = await openRouter(limited.fhirBase, limited.store?.fhirBase ?? '');
      const wire = countFetches();
      const limitedRuns = await measure(20, async () => {
        wire.reset();
        await loadWorkspace(router.transport, {
          patientId: 'youth-02',
          user: { resourceType: 'Practitioner', id: 'fp-rosa' },
          caps: router.caps,
        });
      });
      const perLoad = wire.count();
      wire.restore();
      record(
        'workspace load, 13-month family, EHR (reads, discharge plan only) + FST record store',
        `${stats(limitedRuns)} · ${perLoad} FHIR request(s), 1 per server in parallel`,
        '≤ 2 requests',
      );
    } finally {
      await limited.close();
    }

    // FHIR requests per write, counted at fetch, through the app's own write functions.
    const fetches = countFetches();
    const count = async (label: string, fn: () => Promise<unknown>) => {
      fetches.reset();
      const t = performance.now();
      await fn();
      record(label, `${fetches.count()} FHIR request(s), ${(performance.now() - t).toFixed(0)} ms`);
    };
    const caps = await loadCapabilities(transport);
    const draft: ContactDraft = {
      requestId: `bench-${Date.now()}`,
      kind: 'caregiver',
      method: 'phone',
      sent: new Date().toISOString(),
      durationMinutes: 20,
      purposes: ['coaching'],
      goalIds: ['goal-02-1'],
      note: 'Bench call.',
      recipientReference: 'RelatedPerson/cg-02-1',
      senderReference: 'Practitioner/fp-rosa',
      patientId: 'youth-02',
      referralTaskId: 'task-02',
    };
    let saved: Contact | undefined;
    await count('save a contact', async () => {
      saved = (await createContact(transport, caps, draft)).contact;
    });
    const req = () => ({
      id: saved!.id,
      versionId: saved!.versionId ?? '',
      by: 'Practitioner/fp-rosa',
      now: new Date(),
    });
    await count('amend a note (If-Match update + Provenance, one transaction)', async () => {
      saved = await amendContactNote(transport, caps, req(), 'Bench call, amended.', 'Bench');
    });
    await count('withdraw a contact (entered-in-error + Provenance)', async () => {
      saved = await markEnteredInError(transport, caps, req(), 'Bench');
    });
    await count('caseload (every FST family, supervisor)', () => loadCaseload(transport, undefined, caps));
    await count('staff compliance view (roles, qualifications, 6 months of supervision)', () =>
      loadStaffCompliance(
        transport,
        caps,
        DEFAULT_ROLE_MAPPING,
        new Date(Date.now() - 183 * 86_400_000).toISOString().slice(0, 10),
      ),
    );

    // The discharge of Sofía Ramírez (Spanish plan), as the wizard builds and sends it.
    const require = createRequire(import.meta.url);
    const font = (w: number) =>
      new Uint8Array(
        readFileSync(require.resolve(`@fontsource/noto-sans/files/noto-sans-latin-${w}-normal.woff`)),
      );
    const fonts = async () => ({ regular: font(400), bold: font(700) });
    const ehr = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8'))).ehrs[0];
    const ws = await loadWorkspace(transport, {
      patientId: 'youth-03',
      user: { resourceType: 'Practitioner', id: 'fp-rosa' },
      caps,
    });
    const referral = currentReferral(ws.referrals);
    if (!referral || !ws.user) throw new Error('youth-03 has no referral');
    const setting = dischargeSetting(ws, referral, ehr, new Date(), ws.user);
    const plan = {
      ...emptyDischargeDraft(
        `bench-${Date.now()}`,
        setting.caregivers[0].reference,
        setting.defaultLastServiceDate,
      ),
      meetingDate: setting.ctx.today,
      participants: 'Caregiver, Family Partner, therapist',
      reason: 'goals-met' as const,
      criteria: { A: true, B: true, C: false, D: false, E: false },
      goalOutcomes: Object.fromEntries(setting.goals.map((g) => [g.id, 'achieved' as const])),
      strategies: 'Praise and a bedtime chart.',
      supports: 'Grandmother after school.',
      servicesInPlace: 'Outpatient therapy every other week.',
      resources: 'Parent support group; 988.',
      followUpPlan: 'Parent group on Tuesdays.',
      signature: { kind: 'typed' as const, typedName: 'Lucía Ramírez', confirmed: true },
      consent: 'given-now' as const,
    };
    let size = 0;
    await buildPlanPdf({ fonts }, setting, ws, plan, ehr); // warm-up
    const pdfRuns = await measure(10, async () => {
      size = (await buildPlanPdf({ fonts }, setting, ws, plan, ehr)).pdf.length;
    });
    record(`discharge PDF (Spanish, tagged, fonts embedded), ${(size / 1024).toFixed(0)} KB`, stats(pdfRuns));
    let written = 0;
    await count('finalise a discharge (PDF + one transaction)', async () => {
      written = (
        await submitDischarge({ transport, caps, fonts }, setting, ws, plan, ehr, ws.user!, new Date())
      ).written.length;
    });
    record('resources written by the discharge transaction', String(written));
    fetches.restore();
  } finally {
    await sandbox.close();
  }
}

await main();

// Sandbox search at scale: other families' contacts added (10 000, then 100 000 in all); the 13-month
// family's workspace batch should not slow with them (a patient index, not a scan).
{
  const sandbox = await benchSandbox();
  try {
    const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
    let added = 0;
    for (const total of [10_000, 100_000]) {
      for (; added < total; added++)
        await sandbox.repo.importAsIs({
          resourceType: 'Communication',
          id: `scale-${added}`,
          status: 'completed',
          subject: { reference: `Patient/scale-${added % 2000}` },
          category: [{ coding: [{ system: CodeSystems.contactCategory, code: 'caregiver-contact' }] }],
          sent: new Date(Date.UTC(2026, 0, 1) + added * 60_000).toISOString(),
        } as never);
      await loadWorkspace(transport, { patientId: 'youth-02' }); // warm-up (builds the index)
      const runs = await measure(10, async () => {
        await loadWorkspace(transport, { patientId: 'youth-02' });
      });
      record(
        `workspace load with ${total.toLocaleString('en-US')} other contacts in the sandbox`,
        stats(runs),
      );
    }
  } finally {
    await sandbox.close();
  }
}

// A 10 000-contact family (5 years, one referral): the workspace reads its latest and first contacts in one
// round trip; the history screen reads them all.
{
  const t0 = performance.now();
  const sandbox = await benchSandbox({ extraBundles: buildLargeFamily(now) as never });
  record('sandbox start with the 10 000-contact family', `${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
    const ctx = { patientId: LARGE_PATIENT_ID, user: { resourceType: 'Practitioner', id: 'fp-rosa' } };
    let requests = 0;
    let held = 0;
    const runs = await measure(10, async () => {
      const ws = await loadWorkspace(transport, ctx);
      requests = ws.requests;
      held = ws.contacts.length;
    });
    record(
      'workspace load, 10 000-contact family',
      `${stats(runs)} · ${requests} FHIR request(s) · ${held} contacts held`,
      '≤ 2 requests',
    );
    let pages = 0;
    let all = 0;
    const historyRuns = await measure(3, async () => {
      const fetches = countFetches();
      try {
        const history = await loadContactHistory(transport, {
          ...ctx,
          roleMapping: DEFAULT_ROLE_MAPPING,
          caps: ASSUMED_CAPABILITIES,
        });
        all = history.value.list.length;
        pages = fetches.count();
      } finally {
        fetches.restore();
      }
    });
    record(
      'history read, 10 000-contact family (on opening the history)',
      `${stats(historyRuns)} · ${pages} FHIR request(s) · ${all} contacts`,
    );
  } finally {
    await sandbox.close();
  }
}

// An agency, not a family (issue 25): 30, 300 and 1 000 families over two years (≈ 78 contacts each). The
// supervisor's caseload reads the agency's referrals and 13 weeks of contacts; a Family Partner's, their own.
// BENCH_AGENCY=30,300 runs fewer sizes.
{
  const sizes = (process.env.BENCH_AGENCY ?? '30,300,1000').split(',').map(Number).filter(Boolean);
  for (const families of sizes) {
    const { sandbox } = await startAgency({ families, now, record, label: 'sandbox start with an agency' });
    try {
      const transport = { baseUrl: sandbox.fhirBase, authorization: async () => null };
      const caps = await loadCapabilities(transport);
      const since = caseloadWindowStart(
        new Date(now.getTime() - 89 * DAY).toISOString().slice(0, 10),
        now.toISOString().slice(0, 10),
      );
      const measureCaseload = async (label: string, owners?: string[], target?: string) => {
        const wire = countBytes();
        let rows = 0;
        let requests = 0;
        let bytes = 0;
        try {
          const runs = await measure(3, async () => {
            wire.reset();
            const caseload = await loadCaseload(transport, undefined, caps, undefined, { since, owners });
            rows = caseload.families.length;
            requests = wire.requests();
            bytes = wire.bytes();
          });
          record(
            `${label}, agency of ${families}`,
            `${stats(runs)} · ${requests} request(s) · ${(bytes / 1e6).toFixed(1)} MB · ${rows} families`,
            target,
          );
        } finally {
          wire.restore();
        }
      };
      await measureCaseload(
        'supervisor caseload (time to its data)',
        undefined,
        families >= 1000 ? '≤ 10 MB' : undefined,
      );
      await measureCaseload("a Family Partner's own caseload", [
        'Practitioner/fp-rosa',
        'PractitionerRole/role-fp-rosa',
      ]);
    } finally {
      await sandbox.close();
    }
  }
}

// The measures job (issue 40): scripts/benchMeasures.mts (BENCH_MEASURES=300 a smaller agency, 0 skips it).
{
  const families = Number(process.env.BENCH_MEASURES ?? 1000);
  if (families > 0) await benchMeasures({ families, now, record, benchSandbox });
}

// Bundle sizes (gzip) from the last `npm run build`, from Vite's manifest: the initial JS of each page
// (its entry and everything the entry imports statically) and every lazily loaded chunk, each with the
// chunks it brings that the page has not already loaded.
const MANIFEST = 'dist/.vite/manifest.json';
if (existsSync(MANIFEST)) {
  type Chunk = {
    file: string;
    src?: string;
    name?: string;
    isEntry?: boolean;
    isDynamicEntry?: boolean;
    imports?: string[];
  };
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, Chunk>;
  const gz = (file: string) => gzipSync(readFileSync(`dist/${file}`)).length / 1000;
  const closure = (key: string, seen = new Set<string>()) => {
    if (seen.has(key)) return seen;
    seen.add(key);
    for (const k of manifest[key].imports ?? []) closure(k, seen);
    return seen;
  };
  const size = (keys: Iterable<string>) => [...keys].reduce((t, k) => t + gz(manifest[k].file), 0);
  const app = closure('index.html');
  record(`initial JS, app page (${app.size} files), gzip`, `${size(app).toFixed(1)} kB`, '≤ 100 kB');
  const launch = closure('launch.html');
  record(`initial JS, launch page (${launch.size} files), gzip`, `${size(launch).toFixed(1)} kB`);
  const lazy = Object.entries(manifest)
    .filter(([, c]) => c.isDynamicEntry)
    .map(([key, c]) => {
      const extra = [...closure(key)].filter((k) => !app.has(k));
      return { name: c.name ?? key, kb: size(extra) };
    })
    .sort((a, b) => b.kb - a.kb);
  // What the workspace needs on the app page: the initial JS, the launch machinery and the screen's chunk,
  // all preloaded beside the app's script (src/config/preloadedChunks.ts).
  const preloaded = Object.keys(manifest).filter((k) => PRELOADED_MODULES.includes(k));
  if (preloaded.length === PRELOADED_MODULES.length) {
    const screen = new Set(app);
    for (const k of preloaded) closure(k, screen);
    record(
      'workspace screen: app page + the launch and workspace chunks (preloaded beside it), gzip',
      `${size(screen).toFixed(1)} kB`,
    );
  }
  for (const { name, kb } of lazy)
    record(`lazy chunk ${name} (with what it adds), gzip`, `${kb.toFixed(1)} kB`);
}

// The table, and the same figures as JSON for docs (README links docs/bench-latest.json).
finish('docs/bench-latest.json');
