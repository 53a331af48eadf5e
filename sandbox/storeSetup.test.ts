/**
 * Setting up the record store as docs/deploy.md tells a site to (issue 36 §3): the CORS answers the guide promises
 * for the store's FHIR base and token endpoint, a misspelt kind refused at start, and switching — a store added to
 * an EHR's kept records, and an EHR that later accepts writes beside a store — over the same data between two
 * starts (SANDBOX_STATE_DIR).
 */
import './env';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnv } from './server';
import type { Sandbox } from './server';
import { startTestSandbox } from '../test/support/testSandbox';
import { APP_URL, ehrLaunchToken } from '../test/support/smartFlow';
import { DEFAULT_SCOPES, DEFAULT_STORE_SCOPES } from '../src/config/config';
import { openRouter } from '../test/support/openRouter';
import type { ContactDraft } from '../src/domain/model';
import { amendContactNote, createContact } from '../src/fhir/contacts';
import { loadWorkspace } from '../src/fhir/workspace';
import type { RecordRouter } from '../src/fhir/recordRouter';

const APP_ORIGIN = new URL(APP_URL).origin;
const dirs: string[] = [];
const stateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fst-state-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const draft = (requestId: string, note: string): ContactDraft => ({
  requestId,
  kind: 'caregiver',
  method: 'phone',
  sent: new Date().toISOString(),
  durationMinutes: 15,
  purposes: ['supporting'],
  goalIds: [],
  note,
  recipientReference: 'RelatedPerson/cg-01-1',
  senderReference: 'Practitioner/fp-rosa',
  patientId: 'youth-01',
});

const workspace = (router: RecordRouter) =>
  loadWorkspace(router.transport, {
    patientId: 'youth-01',
    user: { resourceType: 'Practitioner', id: 'fp-rosa' },
    caps: router.caps,
  });

describe('a misspelt kind in inStore', () => {
  it('stops the sandbox at start, naming the kinds', () => {
    expect(() => optionsFromEnv({ SANDBOX_IN_STORE: 'fst-contact,team-meetings' })).toThrow(
      /SANDBOX_IN_STORE: "team-meetings" is not a record kind; the kinds are fst-contact, team-meeting, /,
    );
    expect(optionsFromEnv({ SANDBOX_IN_STORE: 'fst-contact, team-meeting' }).inStore).toEqual([
      'fst-contact',
      'team-meeting',
    ]);
  });
});

describe('the limited sandbox’s store, as a site sets it up', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox({ ehr: 'limited' });
  });
  afterAll(() => sandbox?.close());

  it('links a youth new to the EHR, and her caregiver, at the first sign-in on her (no stub made by hand)', async () => {
    const store = sandbox.store as NonNullable<Sandbox['store']>;
    await sandbox.repo.importAsIs({ resourceType: 'Patient', id: 'youth-new-s', birthDate: '2013-05-01' });
    await sandbox.repo.importAsIs({
      resourceType: 'RelatedPerson',
      id: 'cg-new-s',
      patient: { reference: 'Patient/youth-new-s' },
      name: [{ family: 'Silva', given: ['Marta'] }],
    });
    expect(store.repo.readStored('Patient/youth-new-s')).toBeUndefined();
    const signIn = await ehrLaunchToken(sandbox.baseUrl, {
      patient: 'youth-new-s',
      user: 'fp-rosa',
      scope: `launch ${DEFAULT_SCOPES.join(' ')}`,
      issuer: sandbox.issuer,
      fhirBase: sandbox.fhirBase,
    });
    const res = await fetch(store.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: String(signIn.id_token),
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
        actor_token: String(signIn.access_token),
        actor_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        client_id: 'fst-companion',
        scope: DEFAULT_STORE_SCOPES.join(' '),
      }),
    });
    const body = (await res.json()) as Record<string, string>;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.patient).toBe('youth-new-s');
    expect(store.repo.readStored('Patient/youth-new-s')).toMatchObject({
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `${sandbox.fhirBase}/Patient/youth-new-s` }],
    });
    expect(store.repo.readStored('RelatedPerson/cg-new-s')).toMatchObject({
      name: [{ family: 'Silva', given: ['Marta'] }],
    });
  });

  it('answers the app’s preflights and requests on the FHIR base and the token endpoint, and no other origin’s token request', async () => {
    {
      const store = sandbox.store as NonNullable<Sandbox['store']>;
      const preflight = (url: string, method: string, headers: string, origin = APP_ORIGIN) =>
        fetch(url, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': method,
            'access-control-request-headers': headers,
          },
        });
      const list = (value: string | null) => (value ?? '').split(/,\s*/).map((v) => v.toLowerCase());
      const fhir = await preflight(
        `${store.fhirBase}/Communication/c1`,
        'PUT',
        'authorization, content-type, if-match, if-none-exist',
      );
      expect(fhir.status).toBeLessThan(300);
      expect([APP_ORIGIN, '*']).toContain(fhir.headers.get('access-control-allow-origin'));
      expect(list(fhir.headers.get('access-control-allow-methods'))).toEqual(
        expect.arrayContaining(['get', 'post', 'put']),
      );
      expect(list(fhir.headers.get('access-control-allow-headers'))).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'accept', 'if-match', 'if-none-exist']),
      );
      const metadata = await fetch(`${store.fhirBase}/metadata`, { headers: { origin: APP_ORIGIN } });
      expect([APP_ORIGIN, '*']).toContain(metadata.headers.get('access-control-allow-origin'));
      expect(list(metadata.headers.get('access-control-expose-headers'))).toEqual(
        expect.arrayContaining(['etag', 'location']),
      );
      const token = await preflight(store.tokenEndpoint, 'POST', 'content-type');
      expect(token.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(list(token.headers.get('access-control-allow-methods'))).toContain('post');
      expect(list(token.headers.get('access-control-allow-headers'))).toContain('content-type');
      const answer = await fetch(store.tokenEndpoint, {
        method: 'POST',
        headers: { origin: APP_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password',
      });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      const elsewhere = await preflight(store.tokenEndpoint, 'POST', 'content-type', 'https://evil.example');
      expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('switching, over the same data between two starts', () => {
  it('adding a store later loses nothing: the EHR’s records stay in view and are changed there, new ones go to the store', async () => {
    const dir = stateDir();
    const first = await startTestSandbox({ auth: false, stateDir: dir });
    const open = { baseUrl: first.fhirBase, authorization: async () => null };
    const { loadCapabilities } = await import('../src/fhir/capabilities');
    const kept = await createContact(
      open,
      await loadCapabilities(open),
      draft('switch-a-1', 'Before the store'),
    );
    await first.close();

    // The same EHR, now with a store beside it that keeps new contacts (inStore).
    const second = await startTestSandbox({ auth: false, ehr: 'full', store: true, stateDir: dir });
    try {
      const store = second.store as NonNullable<Sandbox['store']>;
      // Nothing moved: the contact is still the EHR's, the store holds the roster only.
      expect(second.repo.readStored(`Communication/${kept.contact.id}`)).toBeDefined();
      expect(store.repo.allStored().some((r) => r.resourceType === 'Communication')).toBe(false);
      const router = await openRouter(second.fhirBase, store.fhirBase, ['fst-contact']);
      const before = await workspace(router);
      expect(before.contacts.map((c) => c.id)).toContain(kept.contact.id);
      expect(router.sideOf(`Communication/${kept.contact.id}`)).toBe('ehr');
      const added = await createContact(router.transport, router.caps, draft('switch-a-2', 'In the store'));
      expect(store.repo.readStored(`Communication/${added.contact.id}`)).toBeDefined();
      expect(second.repo.readStored(`Communication/${added.contact.id}`)).toBeUndefined();
      const old = before.contacts.find((c) => c.id === kept.contact.id)!;
      await amendContactNote(
        router.transport,
        router.caps,
        { id: old.id, versionId: String(old.versionId), by: 'Practitioner/fp-rosa', now: new Date() },
        'Corrected after the store came',
        'Typo',
      );
      expect(
        (
          second.repo.readStored(`Communication/${kept.contact.id}`) as {
            payload?: { contentString?: string }[];
          }
        ).payload?.[0]?.contentString,
      ).toBe('Corrected after the store came');
      const after = await workspace(router);
      expect(after.contacts.map((c) => c.id)).toEqual(
        expect.arrayContaining([kept.contact.id, added.contact.id]),
      );
    } finally {
      await second.close();
    }
  });

  it('an EHR that later accepts writes keeps working: the store’s records stay in view and are changed there, new ones go to the EHR', async () => {
    const dir = stateDir();
    const first = await startTestSandbox({ auth: false, ehr: 'limited', stateDir: dir });
    const firstRouter = await openRouter(first.fhirBase, first.store!.fhirBase);
    const kept = await createContact(
      firstRouter.transport,
      firstRouter.caps,
      draft('switch-b-1', 'While the EHR took no contacts'),
    );
    expect(first.store!.repo.readStored(`Communication/${kept.contact.id}`)).toBeDefined();
    await first.close();

    const second = await startTestSandbox({ auth: false, ehr: 'full', store: true, stateDir: dir });
    try {
      const store = second.store as NonNullable<Sandbox['store']>;
      const router = await openRouter(second.fhirBase, store.fhirBase);
      const before = await workspace(router);
      expect(before.contacts.map((c) => c.id)).toContain(kept.contact.id);
      expect(router.sideOf(`Communication/${kept.contact.id}`)).toBe('store');
      expect(router.writeSideOfKind('fst-contact')).toBe('ehr');
      const added = await createContact(router.transport, router.caps, draft('switch-b-2', 'In the EHR now'));
      expect(second.repo.readStored(`Communication/${added.contact.id}`)).toBeDefined();
      expect(store.repo.readStored(`Communication/${added.contact.id}`)).toBeUndefined();
      // A change to a record goes where it is.
      const old = before.contacts.find((c) => c.id === kept.contact.id)!;
      await amendContactNote(
        router.transport,
        router.caps,
        { id: old.id, versionId: String(old.versionId), by: 'Practitioner/fp-rosa', now: new Date() },
        'Corrected after the switch',
        'Typo',
      );
      const amended = store.repo.readStored(`Communication/${kept.contact.id}`) as {
        payload?: { contentString?: string }[];
      };
      expect(amended.payload?.[0]?.contentString).toBe('Corrected after the switch');
      expect(second.repo.readStored(`Communication/${kept.contact.id}`)).toBeUndefined();
      const after = await workspace(router);
      expect(after.contacts.map((c) => c.id)).toEqual(
        expect.arrayContaining([kept.contact.id, added.contact.id]),
      );
    } finally {
      await second.close();
    }
  });
});
