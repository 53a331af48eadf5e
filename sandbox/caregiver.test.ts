/**
 * The caregiver's one-time link and her sign-in for one request (issue 39), against the real sandbox: every
 * refusal the issue lists — another youth, another caregiver, a replayed or expired link, a guessed token, a
 * link for one task used for another, a token from the link used at the EHR — and what she may read.
 */
import './env';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from './server';
import { fhirAt, launchToken, startTestSandbox } from '../test/support/testSandbox';
import { DEFAULT_SCOPES, DEFAULT_STORE_SCOPES } from '../src/config/config';
import { ehrLaunchToken } from '../test/support/smartFlow';
import { Questionnaires } from '../src/fhir/codes';
import {
  caregiverConsent,
  caregiverRequestTask,
  caregiverSignature,
  completedRequest,
} from '../src/fhir/mappers/caregiverRequest';
import { surveyResponse } from '../src/fhir/mappers/outcome';
import type { CaregiverPurpose } from '../src/domain/caregiver';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CAREGIVER_LINK_GRANT, normaliseAnswer } from './caregiver/links';

const YOUTH = 'youth-01';
const QR_URN = `urn:uuid:${randomUUID()}`;
const SIG_URN = `urn:uuid:${randomUUID()}`;
const CONSENT_URN = `urn:uuid:${randomUUID()}`;
const HER = 'RelatedPerson/cg-01-1';
let sandbox: Sandbox;
let fp: string;
let n = 0;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  fp = await launchToken(sandbox, YOUTH, 'fp-rosa', `launch ${DEFAULT_SCOPES.join(' ')}`);
});
afterAll(async () => sandbox?.close());

const fhir = (path: string, token: string, init: RequestInit = {}) =>
  fhirAt(sandbox.fhirBase, path, token, init);

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${sandbox.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function exchange(link: string, answer: string) {
  const res = await fetch(`${sandbox.baseUrl}/caregiver/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: CAREGIVER_LINK_GRANT, link, answer }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** The Family Partner writes a request to `caregiver` and asks the store for its link. */
async function send(purpose: CaregiverPurpose, caregiver = HER, proof: 'birth-date' | 'code' = 'birth-date') {
  const task = caregiverRequestTask({
    requestId: `cg-test-${++n}`,
    purpose,
    patientId: YOUTH,
    caregiver,
    requester: 'Practitioner/fp-rosa',
    at: new Date().toISOString(),
    planDocument: purpose === 'sign-plan' ? JSON.stringify({ youth: 'Test' }) : undefined,
    questionnaires: purpose === 'answer-survey' ? [Questionnaires.caregiverSatisfaction] : undefined,
  });
  const created = await fhir('Task', fp, { method: 'POST', body: JSON.stringify(task) });
  expect(created.status).toBe(201);
  const issued = await post('/caregiver/links', { task: `Task/${created.body.id}`, proof }, fp);
  expect(issued.status).toBe(200);
  const token = new URLSearchParams(new URL(issued.body.link).hash.slice(1)).get('link')!;
  return { task: `Task/${created.body.id as string}`, token, code: issued.body.code as string | undefined };
}

const birthDate = () => (sandbox.repo.readStored(`Patient/${YOUTH}`) as { birthDate: string }).birthDate;

async function opened(purpose: CaregiverPurpose, caregiver = HER) {
  const link = await send(purpose, caregiver);
  const got = await exchange(link.token, birthDate());
  expect(got.status).toBe(200);
  return { ...link, access: got.body.access_token as string };
}

const answers = (by: string, patientId = YOUTH) =>
  surveyResponse({
    patientId,
    by,
    caregiver: by,
    language: 'es',
    at: new Date(),
    answers: { respect: 5 },
    comment: '',
    requestId: `cg-survey-${++n}`,
  });

function transaction(...entries: { resource: any; method: 'POST' | 'PUT'; url: string; fullUrl?: string }[]) {
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((e) => ({
      fullUrl: e.fullUrl,
      resource: e.resource,
      request: { method: e.method, url: e.url },
    })),
  });
}

describe('the one-time link', () => {
  it('reads the date of birth as she types it, and a code with its spaces', () => {
    expect(normaliseAnswer('birth-date', '3/9/2014')).toBe('2014-03-09');
    expect(normaliseAnswer('birth-date', ' 2014-03-09 ')).toBe('2014-03-09');
    expect(normaliseAnswer('code', '123 456')).toBe('123456');
  });

  it('opens nothing until she confirms the date of birth; then she answers in her own name and the Task says so', async () => {
    const link = await send('answer-survey');
    const state = await post('/caregiver/link', { link: link.token });
    expect(state.body).toMatchObject({ state: 'sent', purpose: 'answer-survey', proof: 'birth-date' });
    expect(JSON.stringify(state.body)).not.toContain(birthDate());
    const wrong = await exchange(link.token, '2000-01-01');
    expect(wrong.body.error).toBe('invalid_grant');
    expect(wrong.body.error_description).toContain('4 tries left');
    const [y, m, d] = birthDate().split('-');
    const right = await exchange(link.token, `${m}/${d}/${y}`);
    expect(right.status).toBe(200);
    const token = right.body.access_token as string;
    const stored = (await fhir(link.task.replace('Task/', 'Task/'), fp)).body;
    expect(stored.status).toBe('in-progress');
    expect(stored.executionPeriod.start).toBeTruthy();

    const qr = answers(HER);
    const done = await fhir('', token, {
      method: 'POST',
      body: transaction(
        { resource: qr, method: 'POST', url: 'QuestionnaireResponse', fullUrl: QR_URN },
        {
          resource: completedRequest(stored, [QR_URN], new Date().toISOString()),
          method: 'PUT',
          url: link.task,
        },
      ),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // The server holds her answers in her name, and the request done, as the Family Partner reads them.
    const task = (await fhir(link.task, fp)).body;
    expect(task.status).toBe('completed');
    const written = task.output[0].valueReference.reference as string;
    const saved = (await fhir(written, fp)).body;
    expect(saved.author.reference).toBe(HER);
    expect(saved.source.reference).toBe(HER);
    // Done: she reads it back, and writes nothing more for it.
    expect((await fhir(written, token)).status).toBe(200);
    const again = await fhir('QuestionnaireResponse', token, {
      method: 'POST',
      body: JSON.stringify(answers(HER)),
    });
    expect(again.status).toBe(403);
    expect(again.body.issue[0].details.text).toContain('no longer open');
  });

  it('refuses a replayed link, a guessed one, and locks after five wrong answers', async () => {
    const link = await send('answer-survey');
    expect((await exchange(link.token, birthDate())).status).toBe(200);
    const replay = await exchange(link.token, birthDate());
    expect(replay.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'This link was already used.',
    });
    const guessed = await exchange('A'.repeat(43), birthDate());
    expect(guessed.body.error_description).toBe('This link is not valid.');
    expect((await post('/caregiver/link', { link: 'A'.repeat(43) })).body.state).toBe('unknown');

    const locked = await send('answer-survey');
    for (let i = 0; i < 4; i++) await exchange(locked.token, '1999-12-31');
    const last = await exchange(locked.token, '1999-12-31');
    expect(last.body.error_description).toContain('locked');
    expect((await exchange(locked.token, birthDate())).status).toBe(400);
    expect((await fhir(locked.task, fp)).body.status).toBe('failed');
  });

  it('a code the Family Partner gives her works instead of the date of birth', async () => {
    const link = await send('answer-survey', HER, 'code');
    expect(link.code).toMatch(/^\d{6}$/);
    expect((await exchange(link.token, birthDate())).status).toBe(400);
    expect((await exchange(link.token, `${link.code!.slice(0, 3)} ${link.code!.slice(3)}`)).status).toBe(200);
  });

  it('refuses an expired link, and a revoked one ends her sign-in', async () => {
    const link = await send('answer-survey');
    const start = Date.now();
    sandbox.setCaregiverClock(() => start + 73 * 3600_000);
    try {
      expect((await post('/caregiver/link', { link: link.token })).body.state).toBe('expired');
      expect((await exchange(link.token, birthDate())).body.error_description).toBe('This link is expired.');
    } finally {
      sandbox.setCaregiverClock(() => Date.now());
    }
    const open = await opened('answer-survey');
    const task = (await fhir(open.task, fp)).body;
    const revoke = await fhir(open.task, fp, {
      method: 'PUT',
      body: JSON.stringify({ ...task, status: 'cancelled' }),
    });
    expect(revoke.status).toBe(200);
    expect((await fhir(open.task, open.access)).status).toBe(401);
  });

  it('only the family’s Family Partner sends a link, for a request still to send', async () => {
    const link = await send('answer-survey');
    const james = await launchToken(sandbox, YOUTH, 'fp-james', `launch ${DEFAULT_SCOPES.join(' ')}`);
    expect((await post('/caregiver/links', { task: link.task }, james)).status).toBe(403);
    expect((await post('/caregiver/links', { task: link.task })).status).toBe(401);
    expect((await post('/caregiver/links', { task: 'Task/task-01' }, fp)).status).toBe(404);
  });
});

describe('what her sign-in may do', () => {
  it('refuses another youth, another caregiver, and a record of another request', async () => {
    const open = await opened('answer-survey');
    const otherYouth = await fhir('QuestionnaireResponse', open.access, {
      method: 'POST',
      body: JSON.stringify(answers(HER, 'youth-02')),
    });
    expect(otherYouth.status).toBe(403);
    const otherCaregiver = await fhir('QuestionnaireResponse', open.access, {
      method: 'POST',
      body: JSON.stringify(answers('RelatedPerson/cg-01-2')),
    });
    expect(otherCaregiver.status).toBe(403);
    expect(otherCaregiver.body.issue[0].details.text).toContain('own name');
    // A survey link signs no plan, and signs no other request's plan.
    const sign = await opened('sign-plan');
    const onOther = caregiverSignature(
      sign.task.split('/')[1],
      HER,
      { kind: 'typed', typedName: 'Ana' },
      new Date().toISOString(),
      'I sign.',
    );
    const wrongLink = await fhir('Provenance', open.access, {
      method: 'POST',
      body: JSON.stringify(onOther),
    });
    expect(wrongLink.status).toBe(403);
    const otherRequest = caregiverSignature(
      open.task.split('/')[1],
      HER,
      { kind: 'typed', typedName: 'Ana' },
      new Date().toISOString(),
      'I sign.',
    );
    expect(
      (await fhir('Provenance', sign.access, { method: 'POST', body: JSON.stringify(otherRequest) })).status,
    ).toBe(403);
    // Her own request is completed only by her records: not the other request's Task.
    const other = (await fhir(sign.task, fp)).body;
    const steal = await fhir(sign.task, open.access, {
      method: 'PUT',
      body: JSON.stringify(completedRequest(other, [], new Date().toISOString())),
    });
    expect([403, 404]).toContain(steal.status);
  });

  it('another caregiver’s request is not hers: a link for cg-01-2 does not let cg-01-1 write', async () => {
    const other = (await sandbox.repo.createResource({
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${YOUTH}` },
      name: [{ given: ['Marco'], family: 'Thompson' }],
    } as never)) as { id: string };
    const theirs = await opened('answer-survey', `RelatedPerson/${other.id}`);
    const asHer = await fhir('QuestionnaireResponse', theirs.access, {
      method: 'POST',
      body: JSON.stringify(answers(HER)),
    });
    expect(asHer.status).toBe(403);
  });

  it('signs the plan: her signature and consent in her name, on her request', async () => {
    const sign = await opened('sign-plan');
    const taskId = sign.task.split('/')[1];
    const at = new Date().toISOString();
    const stored = (await fhir(sign.task, sign.access)).body;
    expect(JSON.parse(stored.input[0].valueString)).toEqual({ youth: 'Test' });
    const result = await fhir('', sign.access, {
      method: 'POST',
      body: transaction(
        {
          resource: caregiverSignature(
            taskId,
            HER,
            { kind: 'typed', typedName: 'Ana López' },
            at,
            'Esta es mi firma.',
          ),
          method: 'POST',
          url: 'Provenance',
          fullUrl: SIG_URN,
        },
        {
          resource: caregiverConsent(
            `cg-consent-${++n}`,
            taskId,
            YOUTH,
            HER,
            [{ reference: 'Practitioner/op-helen' }],
            at,
          ),
          method: 'POST',
          url: 'Consent',
          fullUrl: CONSENT_URN,
        },
        {
          resource: completedRequest(stored, [SIG_URN, CONSENT_URN], at),
          method: 'PUT',
          url: sign.task,
        },
      ),
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const task = (await fhir(sign.task, fp)).body;
    const [sigRef, consentRef] = task.output.map((o: any) => o.valueReference.reference as string);
    expect((await fhir(sigRef, fp)).body.signature[0].who.reference).toBe(HER);
    expect((await fhir(consentRef, fp)).body.performer[0].reference).toBe(HER);
  });

  it('the plan finalised with her phone’s signature copies it exactly, from her completed request only', async () => {
    const sign = await opened('sign-plan');
    const taskId = sign.task.split('/')[1];
    const at = new Date().toISOString();
    const stored = (await fhir(sign.task, sign.access)).body;
    const sigUrn = `urn:uuid:${randomUUID()}`;
    const hers = caregiverSignature(taskId, HER, { kind: 'drawn', png: 'iVBORw0KGgo=' }, at, 'Mi firma.');
    // Before she signs there is nothing to copy: a signature of hers written by staff is not on a done request.
    const early = await fhir('Provenance', fp, { method: 'POST', body: JSON.stringify(hers) });
    expect(early.status).toBe(201);
    const copyOf = (source: string, sig: { who: string; data: string }) => ({
      resourceType: 'Provenance',
      target: [{ reference: sign.task }],
      recorded: at,
      agent: [{ who: { reference: sig.who } }],
      entity: [{ role: 'source', what: { reference: source } }],
      signature: [
        {
          type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.7' }],
          when: at,
          who: { reference: sig.who },
          sigFormat: 'image/png',
          data: sig.data,
        },
      ],
    });
    const notDone = await fhir('Provenance', fp, {
      method: 'POST',
      body: JSON.stringify(
        copyOf(`Provenance/${early.body.id as string}`, { who: HER, data: 'iVBORw0KGgo=' }),
      ),
    });
    expect(notDone.status).toBe(403);
    const done = await fhir('', sign.access, {
      method: 'POST',
      body: transaction(
        { resource: hers, method: 'POST', url: 'Provenance', fullUrl: sigUrn },
        { resource: completedRequest(stored, [sigUrn], at), method: 'PUT', url: sign.task },
      ),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const original = (await fhir(sign.task, fp)).body.output[0].valueReference.reference as string;
    const post = (body: unknown) => fhir('Provenance', fp, { method: 'POST', body: JSON.stringify(body) });
    // Another mark, or another caregiver's name, is not her signature.
    expect((await post(copyOf(original, { who: HER, data: 'AAAA' }))).status).toBe(403);
    expect(
      (await post(copyOf(original, { who: 'RelatedPerson/cg-01-2', data: 'iVBORw0KGgo=' }))).status,
    ).toBe(403);
    expect((await post(copyOf('Provenance/nowhere', { who: HER, data: 'iVBORw0KGgo=' }))).status).toBe(403);
    const copy = await post(copyOf(original, { who: HER, data: 'iVBORw0KGgo=' }));
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    expect(copy.body.signature[0].who.reference).toBe(HER);
  });

  it('reads only what is meant for her', async () => {
    const open = await opened('answer-survey');
    expect((await fhir(open.task, open.access)).status).toBe(200);
    expect((await fhir('Practitioner/fp-rosa', open.access)).status).toBe(200);
    expect((await fhir('Practitioner/fp-james', open.access)).status).toBe(404);
    expect((await fhir(`Patient/${YOUTH}`, open.access)).status).toBe(403);
    expect((await fhir('Communication?_count=5', open.access)).status).toBe(403);
    expect((await fhir('Task/task-01', open.access)).status).toBe(404);
    const tasks = (await fhir(`Task?patient=${YOUTH}`, open.access)).body;
    expect(tasks.entry.map((e: any) => `Task/${e.resource.id}`)).toEqual([open.task]);
    const meetings = (await fhir(`Encounter?patient=${YOUTH}`, open.access)).body;
    expect((meetings.entry ?? []).every((e: any) => e.resource.status === 'planned')).toBe(true);
    const answersOfStaff = (await fhir(`QuestionnaireResponse?patient=${YOUTH}`, open.access)).body;
    expect((answersOfStaff.entry ?? []).every((e: any) => e.resource.author.reference === HER)).toBe(true);
  });
});

describe('a token from the link at the EHR', () => {
  let limited: Sandbox;
  beforeAll(async () => {
    limited = await startTestSandbox({ ehr: 'limited' });
  });
  afterAll(async () => limited?.close());

  it('is refused by the EHR: it is the record store’s', async () => {
    const store = limited.store!;
    const task = caregiverRequestTask({
      requestId: 'cg-limited',
      purpose: 'answer-survey',
      patientId: YOUTH,
      caregiver: HER,
      requester: 'Practitioner/fp-rosa',
      at: new Date().toISOString(),
      questionnaires: [Questionnaires.caregiverSatisfaction],
    });
    // The Family Partner signs in at the EHR, exchanges it for the store's token, writes the request there.
    const signIn = await ehrLaunchToken(limited.baseUrl, {
      patient: YOUTH,
      user: 'fp-rosa',
      scope: `launch ${DEFAULT_SCOPES.join(' ')}`,
      issuer: limited.issuer,
      fhirBase: limited.fhirBase,
    });
    const exchanged = await fetch(store.tokenEndpoint, {
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
    const storeToken = ((await exchanged.json()) as { access_token: string }).access_token;
    const created = await fhirAt(store.fhirBase, 'Task', storeToken, {
      method: 'POST',
      body: JSON.stringify(task),
    });
    expect(created.status).toBe(201);
    const taskRef = `Task/${created.body.id as string}`;
    // The store knows no date of birth (its youth is a stub): the Family Partner gives her a code.
    const issued = await fetch(`${limited.baseUrl}/caregiver/links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${storeToken}` },
      body: JSON.stringify({ task: taskRef, proof: 'code' }),
    });
    const link = (await issued.json()) as { link: string; code: string };
    expect(issued.status).toBe(200);
    const got = await fetch(`${limited.baseUrl}/caregiver/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: CAREGIVER_LINK_GRANT,
        link: new URLSearchParams(new URL(link.link).hash.slice(1)).get('link')!,
        answer: link.code,
      }),
    });
    expect(got.status).toBe(200);
    const access = ((await got.json()) as { access_token: string }).access_token;
    expect((await fhirAt(store.fhirBase, taskRef, access)).status).toBe(200);
    expect((await fhirAt(limited.fhirBase, `Patient/${YOUTH}`, access)).status).toBe(401);
    expect(
      (await fhirAt(limited.fhirBase, 'DocumentReference', access, { method: 'POST', body: '{}' })).status,
    ).toBe(401);
  });
});

describe('a site’s link sender', () => {
  it('gets the link and where to send it from her record; a gateway that fails is named to the Family Partner', async () => {
    const received: any[] = [];
    let answer = 204;
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
    const site = await startTestSandbox({ caregiverLinkSender: url });
    try {
      const token = await launchToken(site, YOUTH, 'fp-rosa', `launch ${DEFAULT_SCOPES.join(' ')}`);
      const request = async () => {
        const task = caregiverRequestTask({
          requestId: `cg-sender-${++n}`,
          purpose: 'answer-survey',
          patientId: YOUTH,
          caregiver: HER,
          requester: 'Practitioner/fp-rosa',
          at: new Date().toISOString(),
          questionnaires: [Questionnaires.caregiverSatisfaction],
        });
        const created = await fhirAt(site.fhirBase, 'Task', token, {
          method: 'POST',
          body: JSON.stringify(task),
        });
        const res = await fetch(`${site.baseUrl}/caregiver/links`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ task: `Task/${created.body.id as string}`, proof: 'birth-date' }),
        });
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      };
      const sent = await request();
      expect(sent.status).toBe(200);
      expect(sent.body.sender).toBe(new URL(url).host);
      const her = site.repo.readStored(HER) as { telecom?: { system?: string; value?: string }[] };
      expect(received).toHaveLength(1);
      expect(received[0].link).toBe(sent.body.link);
      expect(received[0].to).toEqual(
        (her.telecom ?? [])
          .filter((t) => ['sms', 'phone', 'email'].includes(t.system ?? ''))
          .map((t) => ({ system: t.system, value: t.value })),
      );
      answer = 500;
      const failed = await request();
      expect(failed.status).toBe(502);
      expect(failed.body.error_description).toBe(`The link sender (${new URL(url).host}) answered 500.`);
    } finally {
      await site.close();
      gateway.close();
    }
  });
});
