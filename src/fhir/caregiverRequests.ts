/**
 * The staff side of a request to the caregiver (issue 39): write it (a Task for her) and ask the record store's
 * link server for its one-time link; and, for "sign the plan", read back what she signed — her signature and
 * consent as the server holds them. Used by the workspace's card and the discharge wizard alike.
 */
import type { Consent, Provenance, Task } from 'fhir/r4';
import type { SignedOnHerPhone } from '../domain/discharge';
import { fhirRequest } from './http';
import type { FhirTransport } from './http';
import { caregiverRequestTask, herMark, parseCaregiverRequest } from './mappers/caregiverRequest';
import type { RequestWrite } from './mappers/caregiverRequest';

export type LinkProof = 'birth-date' | 'code';

export interface SentLink {
  link: string;
  /** The six digits the Family Partner tells her (proof "code"), shown once. */
  code?: string;
  expiresAt: string;
  /** `Task/<id>`. */
  task: string;
  /** How it reached her: `shown` (only on this screen) or the site's sender, by name. */
  sender: string;
}

/** The store's link endpoints sit beside its FHIR base (docs/deploy.md). */
const linksAt = (fhirBase: string) => `${new URL(fhirBase).origin}/caregiver/links`;

/** Writes the request, then asks for its link; every failure says which server and what is left behind. */
export async function sendCaregiverRequest(
  transport: FhirTransport,
  fhirBase: string,
  write: RequestWrite,
  proof: LinkProof,
): Promise<SentLink> {
  const created = await fhirRequest<Task>(transport, 'Task', {
    method: 'POST',
    body: caregiverRequestTask(write),
  });
  const ref = `Task/${created.body.id ?? ''}`;
  const authorization = await transport.authorization();
  const server = new URL(fhirBase).host;
  let res: Response;
  try {
    res = await fetch(linksAt(fhirBase), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ task: ref, proof }),
    });
  } catch {
    throw new Error(
      `The record store (${server}) could not be reached: the request is written, its link is not. Revoke it and send again.`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as {
    link?: string;
    code?: string;
    expiresAt?: string;
    error_description?: string;
    sender?: string;
  };
  if (!res.ok || !body.link || !body.expiresAt)
    throw new Error(`The record store (${server}) made no link: ${body.error_description ?? res.status}`);
  return {
    link: body.link,
    code: body.code,
    expiresAt: body.expiresAt,
    task: ref,
    sender: body.sender ?? 'shown',
  };
}

/** Where her "sign the plan" request stands, as the server holds it: its state, and once done what she wrote. */
export interface SignPlanReading {
  status: string;
  expiresAt?: string;
  signed?: SignedOnHerPhone;
}

export async function readSignedOnHerPhone(
  transport: FhirTransport,
  request: string,
  signal?: AbortSignal,
): Promise<SignPlanReading> {
  const task = (await fhirRequest<Task>(transport, request, { signal })).body;
  const parsed = parseCaregiverRequest(task);
  if (!parsed || parsed.purpose !== 'sign-plan')
    throw new Error(`${request} is not a request to sign the plan.`);
  const reading = { status: parsed.status, expiresAt: parsed.expiresAt };
  if (parsed.status !== 'completed') return reading;
  const provenance = parsed.written.find((r) => r.startsWith('Provenance/'));
  const consent = parsed.written.find((r) => r.startsWith('Consent/'));
  if (!provenance) return reading;
  const [p, c] = await Promise.all([
    fhirRequest<Provenance>(transport, provenance, { signal }).then((r) => r.body),
    consent ? fhirRequest<Consent>(transport, consent, { signal }).then((r) => r.body) : undefined,
  ]);
  const signature = p.signature?.[0];
  const mark = signature && herMark(signature);
  const by = signature?.who?.reference;
  if (!signature || !mark || !by) return reading;
  return {
    ...reading,
    signed: {
      by,
      provenance,
      when: signature.when,
      mark,
      stored: { sigFormat: signature.sigFormat ?? '', data: signature.data ?? '' },
      consent: c && c.status === 'active' ? consent : undefined,
      shareWith:
        c && c.status === 'active'
          ? (c.provision?.actor ?? [])
              .map((a) => a.reference.reference)
              .filter((r): r is string => r !== undefined)
          : [],
    },
  };
}
