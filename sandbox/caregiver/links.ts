/**
 * The one-time link (issue 39), for EHRs without proxy access: part of the record store's authorisation
 * server. The Family Partner's app asks for a link to one request (a Task for the caregiver, written first,
 * sandbox/fhir/caregiverGuard.ts); the link carries only an opaque token (kept here as its hash), works once,
 * expires (`lifetimeHours`, default 72) and ends when the request is revoked (the Task cancelled). It opens
 * nothing until the caregiver answers what only she knows (the youth's date of birth, or a code the Family
 * Partner gives her), with LINK_ATTEMPTS tries; then it is exchanged for a short-lived access token of this
 * store, confined to her youth and that one request (`AccessTokenInfo.caregiver`). The request's state is kept
 * on the Task (sent, opened, done, revoked, expired, locked), so the staff screen says what the server holds.
 *
 * Endpoints (JSON in and out, under /caregiver):
 * - POST /caregiver/links  (the Family Partner's bearer token) {task, proof: 'birth-date' | 'code'}
 *     → {link, code?, expiresAt, sender}
 * - POST /caregiver/link   {link} → {state, purpose, proof, language}: what the caregiver's page may say
 *     before she answers (no name, no date: nothing about the family).
 * - POST /caregiver/token  grant_type=urn:fst:grant-type:caregiver-link, link, answer → the access token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Operator } from '@medplum/core';
import type { Patient, RelatedPerson, Resource, Task } from '@medplum/fhirtypes';
import type { CaregiverGrant, CaregiverPurpose } from '../../src/domain/caregiver';
import { DEFAULT_LINK_HOURS, LINK_ATTEMPTS, requestState } from '../../src/domain/caregiver';
import { decideWrite } from '../../src/domain/policy';
import { parseCaregiverRequest } from '../../src/fhir/mappers/caregiverRequest';
import { parseReferralTask } from '../../src/fhir/mappers/referral';
import { recordKindOf } from '../../src/fhir/recordKind';
import { parseScopes } from '../../src/fhir/smartScopes';
import type { AccessTokenInfo } from '../auth/provider';
import { userOf } from '../fhir/guard';
import type { ValidatingRepository } from '../fhir/repository';

export const CAREGIVER_LINK_GRANT = 'urn:fst:grant-type:caregiver-link';

/** What a caregiver's token may touch at all; the read rule and the guard narrow it to her request. */
export const CAREGIVER_SCOPES = [
  'patient/Task.rus',
  'patient/Provenance.crs',
  'patient/Consent.crs',
  'patient/QuestionnaireResponse.crs',
  'patient/Encounter.rs',
  'patient/RelatedPerson.rs',
  'user/Practitioner.r',
  'user/Questionnaire.rs',
].join(' ');

/** How the link reaches her: a site's SMS or e-mail gateway; the sandbox's only shows it to the Family Partner. */
export interface LinkSender {
  name: string;
  send(to: RelatedPerson, link: string): Promise<void>;
}

export const SHOWN_ONLY: LinkSender = { name: 'shown', send: async () => undefined };

/**
 * A site's gateway: the link POSTed as JSON to `url` with where to send it (her phone numbers and e-mail
 * addresses from her record, and her language) — the gateway sends the SMS or e-mail. The link is never logged
 * here; a gateway that does not answer 2xx fails the send, and the Family Partner is told.
 */
export function webhookSender(url: string, fetchImpl: typeof fetch = fetch): LinkSender {
  const name = new URL(url).host;
  return {
    name,
    async send(to, link) {
      const telecom = (to.telecom ?? []).filter(
        (t) => t.value && (t.system === 'sms' || t.system === 'phone' || t.system === 'email'),
      );
      const language = to.communication?.find((c) => c.preferred)?.language?.coding?.[0]?.code;
      let res: Response;
      try {
        res = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            to: telecom.map((t) => ({ system: t.system, value: t.value })),
            ...(language ? { language } : {}),
            link,
          }),
          signal: AbortSignal.timeout(10_000),
        });
      } catch {
        throw new Refusal(502, 'temporarily_unavailable', `The link sender (${name}) could not be reached.`);
      }
      if (!res.ok)
        throw new Refusal(
          502,
          'temporarily_unavailable',
          `The link sender (${name}) answered ${res.status}.`,
        );
    },
  };
}

export interface LinkServiceOptions {
  repo: ValidatingRepository;
  /** Where the caregiver's pages are served: the link is `${appUrl}/caregiver.html#link=<token>&at=<fhirBase>`. */
  appUrl: string;
  /** This store's FHIR base, which the caregiver's pages check against config.json before they call it. */
  fhirBase: string;
  lifetimeHours?: number;
  /** The Family Partner's token, as this store verifies it. */
  verifyStaffToken(token: string): Promise<AccessTokenInfo>;
  sender?: LinkSender;
  allowedOrigins: ReadonlySet<string>;
  now?: () => number;
}

export interface LinkService {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** A caregiver token, or undefined when the token is not one of ours (another issuer's, say). */
  verify(token: string): Promise<AccessTokenInfo | undefined>;
  setNow(now: () => number): void;
}

/** A caregiver's token lives at most this long, and never past the link's end. */
const TOKEN_TTL_S = 30 * 60;

interface Link {
  task: string;
  proof: 'birth-date' | 'code';
  /** sha256 of the expected answer, normalised. */
  answer: Buffer;
  attemptsLeft: number;
  used: boolean;
  expiresAt: number;
}

interface Issued extends AccessTokenInfo {
  caregiver: CaregiverGrant;
  expiresAt: number;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const sha = (text: string) => createHash('sha256').update(text).digest();
/** A date typed as 2014-03-09, 03/09/2014 or 3/9/2014 (US order), and a code with or without spaces. */
export function normaliseAnswer(proof: Link['proof'], text: string): string {
  const t = text.trim();
  if (proof === 'code') return t.replace(/[\s-]/g, '');
  const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (us) return `${us[3]}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}`;
  return t;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16 * 1024) throw new Refusal(413, 'invalid_request', 'The request is too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createLinkService(options: LinkServiceOptions): LinkService {
  const { repo } = options;
  const links = new Map<string, Link>();
  const issued = new Map<string, Issued>();
  let now = options.now ?? (() => Date.now());
  const lifetimeMs = (options.lifetimeHours ?? DEFAULT_LINK_HOURS) * 3600_000;
  const sender = options.sender ?? SHOWN_ONLY;
  const key = (token: string) => sha(token).toString('hex');
  const readTask = (ref: string) => repo.readStored(ref) as Task | undefined;

  /** The request's Task, changed by this authorisation server itself (its own writes, not a user's). */
  async function updateTask(task: Task, change: Partial<Task>): Promise<void> {
    await repo.exclusive(() => repo.updateResource({ ...task, ...change } as Task));
  }

  async function assignedOf(youth: string): Promise<string | undefined> {
    const tasks = (
      await repo.searchResources<Task>({
        resourceType: 'Task',
        filters: [{ code: 'patient', operator: Operator.EQUALS, value: youth }],
        sortRules: [{ code: 'authored-on', descending: true }],
      })
    ).filter((t) => recordKindOf(t) === 'referral-task');
    const parsed = tasks[0] ? parseReferralTask(tasks[0] as never) : undefined;
    return parsed?.ok ? parsed.value.ownerReference : undefined;
  }

  async function createLink(req: IncomingMessage, body: Record<string, unknown>) {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const staff = bearer ? await options.verifyStaffToken(bearer).catch(() => undefined) : undefined;
    if (!staff || staff.caregiver)
      throw new Refusal(401, 'invalid_token', 'Sign in as the family’s Family Partner to send a link');
    const user = await userOf(repo, staff.fhirUser);
    const taskRef = String(body.task ?? '');
    const task = /^Task\/[A-Za-z0-9.-]{1,64}$/.test(taskRef) ? readTask(taskRef) : undefined;
    const request = task && parseCaregiverRequest(task);
    if (!task || !request)
      throw new Refusal(404, 'invalid_request', `${taskRef} is not a request to a caregiver`);
    const decision = user
      ? decideWrite(user, 'caregiver-request', 'change', {
          assignedReference: await assignedOf(request.youth),
          authorReference: request.requester,
        })
      : { allowed: false as const, reason: 'Unknown user.' };
    if (!decision.allowed) throw new Refusal(403, 'access_denied', decision.reason);
    if (staff.patient && `Patient/${staff.patient}` !== request.youth)
      throw new Refusal(403, 'access_denied', 'This sign-in is for another youth.');
    const state = requestState(request, new Date(now()));
    if (state !== 'sent')
      throw new Refusal(409, 'invalid_request', `This request is ${state}: send a new one instead.`);
    const proof = body.proof === 'code' ? 'code' : 'birth-date';
    const caregiver = repo.readStored(request.caregiver) as RelatedPerson | undefined;
    const youth = repo.readStored(request.youth) as Patient | undefined;
    if (!caregiver) throw new Refusal(404, 'invalid_request', `${request.caregiver} is not on record`);
    if (proof === 'birth-date' && !youth?.birthDate)
      throw new Refusal(409, 'invalid_request', 'The youth’s date of birth is not on record: use a code.');
    const code = proof === 'code' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : undefined;
    // One live link per request: a new one replaces any earlier.
    for (const [k, l] of links) if (l.task === taskRef) links.delete(k);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now() + lifetimeMs;
    links.set(key(token), {
      task: taskRef,
      proof,
      answer: sha(code ?? youth?.birthDate ?? ''),
      attemptsLeft: LINK_ATTEMPTS,
      used: false,
      expiresAt,
    });
    await updateTask(task, {
      restriction: { period: { end: new Date(expiresAt).toISOString() } },
      lastModified: new Date(now()).toISOString(),
    });
    const link = `${options.appUrl}/caregiver.html#link=${token}&at=${encodeURIComponent(options.fhirBase)}`;
    await sender.send(caregiver, link);
    return {
      link,
      ...(code ? { code } : {}),
      expiresAt: new Date(expiresAt).toISOString(),
      sender: sender.name,
    };
  }

  /** The link's state for her page, from the Task: nothing about the family. */
  function linkState(token: string) {
    const link = links.get(key(token));
    const task = link && readTask(link.task);
    const request = task && parseCaregiverRequest(task);
    if (!link || !request) return { state: 'unknown' as const };
    const caregiver = repo.readStored(request.caregiver) as RelatedPerson | undefined;
    const language = caregiver?.communication?.find((c) => c.preferred)?.language?.coding?.[0]?.code;
    const state = requestState(request, new Date(now()));
    return {
      state:
        link.used && state === 'opened'
          ? ('used' as const)
          : link.used && state === 'sent'
            ? ('used' as const)
            : state,
      purpose: request.purpose,
      proof: link.proof,
      attemptsLeft: link.attemptsLeft,
      ...(language ? { language } : {}),
    };
  }

  async function exchange(form: URLSearchParams) {
    if (form.get('grant_type') !== CAREGIVER_LINK_GRANT)
      throw new Refusal(400, 'unsupported_grant_type', 'This endpoint exchanges a caregiver link only');
    const token = form.get('link') ?? '';
    const link = links.get(key(token));
    if (!link) throw new Refusal(400, 'invalid_grant', 'This link is not valid.');
    const task = readTask(link.task);
    const request = task && parseCaregiverRequest(task);
    if (!task || !request) throw new Refusal(400, 'invalid_grant', 'This link is not valid.');
    const state = requestState(request, new Date(now()));
    if (link.used) throw new Refusal(400, 'invalid_grant', 'This link was already used.');
    if (state !== 'sent') throw new Refusal(400, 'invalid_grant', `This link is ${state}.`);
    const given = sha(normaliseAnswer(link.proof, form.get('answer') ?? ''));
    if (!timingSafeEqual(given, link.answer)) {
      link.attemptsLeft--;
      if (link.attemptsLeft <= 0) {
        links.delete(key(token));
        await updateTask(task, {
          status: 'failed',
          statusReason: { text: 'Too many wrong answers to the link’s question.' },
          lastModified: new Date(now()).toISOString(),
        });
        throw new Refusal(400, 'invalid_grant', 'Too many wrong answers: this link is locked.');
      }
      throw new Refusal(400, 'invalid_grant', `That is not right. ${link.attemptsLeft} tries left.`);
    }
    link.used = true;
    const at = new Date(now()).toISOString();
    await updateTask(task, { status: 'in-progress', executionPeriod: { start: at }, lastModified: at });
    const expiresIn = Math.max(0, Math.floor(Math.min(TOKEN_TTL_S * 1000, link.expiresAt - now()) / 1000));
    const access = randomBytes(32).toString('base64url');
    const grant: CaregiverGrant = {
      relatedPerson: request.caregiver,
      youth: request.youth,
      task: link.task,
      purpose: request.purpose as CaregiverPurpose,
    };
    issued.set(access, {
      scopes: parseScopes(CAREGIVER_SCOPES),
      fhirUser: request.caregiver,
      patient: request.youth.split('/')[1],
      caregiver: grant,
      expiresAt: now() + expiresIn * 1000,
    });
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: CAREGIVER_SCOPES,
      patient: request.youth.split('/')[1],
      fhirUser: request.caregiver,
      task: link.task,
    };
  }

  return {
    handle(req, res) {
      const origin = req.headers.origin;
      const cors: Record<string, string> =
        origin && options.allowedOrigins.has(origin)
          ? {
              'access-control-allow-origin': origin,
              'access-control-allow-headers': 'authorization, content-type, accept',
              'access-control-allow-methods': 'POST',
            }
          : {};
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, {
          ...cors,
          'content-type': 'application/json',
          'cache-control': 'no-store',
        });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      if (req.method !== 'POST')
        return answer(405, { error: 'invalid_request', error_description: 'POST only' });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      readBody(req)
        .then(async (text) => {
          if (path.endsWith('/caregiver/token')) return exchange(new URLSearchParams(text));
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(text || '{}') as Record<string, unknown>;
          } catch {
            throw new Refusal(400, 'invalid_request', 'The request is not JSON');
          }
          if (path.endsWith('/caregiver/links')) return createLink(req, body);
          if (path.endsWith('/caregiver/link')) return linkState(String(body.link ?? ''));
          throw new Refusal(404, 'invalid_request', 'Not found');
        })
        .then(
          (body) => answer(200, body),
          (err: unknown) =>
            err instanceof Refusal
              ? answer(err.status, { error: err.error, error_description: err.description })
              : answer(500, { error: 'server_error', error_description: 'The link could not be handled' }),
        );
    },
    async verify(token) {
      const info = issued.get(token);
      if (!info) return undefined;
      const task = readTask(info.caregiver.task);
      // A revoked request ends her sign-in at once; a done one still reads back what she wrote.
      if (info.expiresAt <= now() || !task || task.status === 'cancelled') {
        issued.delete(token);
        throw new Error('expired or revoked');
      }
      return info;
    },
    setNow(fn) {
      now = fn;
    },
  };
}

export type { Resource };
