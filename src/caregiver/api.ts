/**
 * The caregiver's pages talk to two things of the record store: its link endpoints (what state the link is
 * in; the link exchanged for her token) and its FHIR API, with plain fetch — no SMART client, no staff code.
 * Every error names the server it came from.
 */
import type { Bundle, Encounter, Practitioner, Resource, Task } from 'fhir/r4';

export class ServerError extends Error {
  override name = 'ServerError';
  constructor(
    readonly server: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** What a failed save says (the catalogues' `save.failed`): the server it came from, by name where known. */
export function saveFailure(session: Pick<CaregiverSession, 'fhirBase'>, err: unknown) {
  return {
    server: err instanceof ServerError ? err.server : session.fhirBase,
    message: err instanceof Error ? err.message : '',
  };
}

export type LinkState = 'sent' | 'opened' | 'used' | 'done' | 'expired' | 'revoked' | 'locked' | 'unknown';

export interface LinkInfo {
  state: LinkState;
  purpose?: 'sign-plan' | 'answer-survey';
  proof?: 'birth-date' | 'code';
  attemptsLeft?: number;
  language?: string;
}

export interface CaregiverSession {
  fhirBase: string;
  accessToken: string;
  task: string;
  patient: string;
  fhirUser: string;
}

/** Where a store's link endpoints are: beside its FHIR base, under /caregiver (docs/deploy.md). */
export const linkEndpoint = (fhirBase: string) => `${new URL(fhirBase).origin}/caregiver`;

async function json(server: string, res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new ServerError(server, `answered ${res.status} without JSON`, res.status);
  }
}

async function call(server: string, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch {
    throw new ServerError(server, 'could not be reached');
  }
}

export async function linkInfo(fhirBase: string, link: string): Promise<LinkInfo> {
  const server = new URL(fhirBase).host;
  const res = await call(server, `${linkEndpoint(fhirBase)}/link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ link }),
  });
  const body = await json(server, res);
  if (!res.ok) throw new ServerError(server, String(body.error_description ?? res.status), res.status);
  return body as unknown as LinkInfo;
}

/** Her answer to "only you know": the store's token for her one request, or why not. */
export async function openLink(
  fhirBase: string,
  link: string,
  answer: string,
): Promise<{ ok: true; session: CaregiverSession } | { ok: false; message: string }> {
  const server = new URL(fhirBase).host;
  const res = await call(server, `${linkEndpoint(fhirBase)}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:fst:grant-type:caregiver-link', link, answer }),
  });
  const body = await json(server, res);
  if (!res.ok) return { ok: false, message: String(body.error_description ?? res.status) };
  return {
    ok: true,
    session: {
      fhirBase,
      accessToken: String(body.access_token),
      task: String(body.task),
      patient: String(body.patient),
      fhirUser: String(body.fhirUser),
    },
  };
}

export async function fhir<T = Resource>(
  s: CaregiverSession,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const server = new URL(s.fhirBase).host;
  const res = await call(server, `${s.fhirBase}/${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${s.accessToken}`,
      accept: 'application/fhir+json',
      ...(init.body ? { 'content-type': 'application/fhir+json' } : {}),
    },
  });
  const body = await json(server, res);
  if (!res.ok) {
    const issue = (body.issue as { details?: { text?: string }; diagnostics?: string }[] | undefined)?.[0];
    throw new ServerError(
      server,
      issue?.details?.text ?? issue?.diagnostics ?? `answered ${res.status}`,
      res.status,
    );
  }
  return body as T;
}

/** What her page shows besides the task: the Family Partner who sent it and the next planned meeting. */
export async function loadHome(s: CaregiverSession) {
  const task = await fhir<Task>(s, s.task);
  const [fp, meetings] = await Promise.all([
    task.requester?.reference?.startsWith('Practitioner/')
      ? fhir<Practitioner>(s, task.requester.reference).catch(() => undefined)
      : Promise.resolve(undefined),
    fhir<Bundle<Encounter>>(s, `Encounter?patient=${encodeURIComponent(s.patient)}&status=planned&_count=50`),
  ]);
  const now = Date.now();
  const next = (meetings.entry ?? [])
    .map((e) => e.resource?.period?.start)
    .filter((d): d is string => d !== undefined && Date.parse(d) >= now)
    .sort()[0];
  return { task, fp, nextMeeting: next };
}

/** One transaction: what she wrote and her request marked done, all or nothing. */
export async function submit(
  s: CaregiverSession,
  entries: { fullUrl: string; resource: Resource }[],
  done: Task,
) {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...entries.map((e) => ({
        fullUrl: e.fullUrl,
        resource: e.resource,
        request: { method: 'POST', url: e.resource.resourceType },
      })),
      {
        resource: done,
        request: {
          method: 'PUT',
          url: s.task,
          ...(done.meta?.versionId ? { ifMatch: `W/"${done.meta.versionId}"` } : {}),
        },
      },
    ],
  };
  await fhir(s, '', { method: 'POST', body: JSON.stringify(bundle) });
  // The screen says what the server holds: her request read back.
  return fhir<Task>(s, s.task);
}
