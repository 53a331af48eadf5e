import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CALENDAR } from './calendar';
import { evaluateEpisode, weeklyGrid } from './compliance';
import type { Episode } from './compliance';
import type { Contact, ContactDraft, Referral } from './model';
import type { OutboxEntry } from './outbox';
import {
  applyOutcome,
  isExpired,
  outcomeOfStatus,
  ownerOf,
  pendingContactOf,
  pendingContactsFor,
  replayOrder,
  signInAgainText,
} from './outbox';

const SERVER = 'https://ehr.example/fhir';
const ROSA = 'Practitioner/fp-rosa';

const draft = (requestId: string, extra: Partial<ContactDraft> = {}): ContactDraft => ({
  requestId,
  kind: 'caregiver',
  method: 'face-to-face',
  sent: '2026-10-27T10:00:00-04:00',
  durationMinutes: 30,
  purposes: ['coaching'],
  goalIds: ['g1'],
  note: 'Doorstep visit.',
  recipientReference: 'RelatedPerson/cg-1',
  senderReference: 'PractitionerRole/pr-rosa',
  patientId: 'youth-1',
  ...extra,
});

const entry = (seq: number, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  seq,
  state: 'pending',
  kind: 'contact',
  record: draft(`r${seq}`),
  requestId: `r${seq}`,
  by: ROSA,
  serverUrl: SERVER,
  patientId: 'youth-1',
  queuedAt: '2026-10-27T14:00:00Z',
  ...extra,
});

describe('the replay order', () => {
  const owner = ownerOf(SERVER, ROSA);

  it('is the order of saving, whatever order the store returns', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1 }), (seqs) => {
        const order = replayOrder(
          seqs.map((s) => entry(s)),
          owner,
        ).map((e) => e.seq);
        expect(order).toEqual([...seqs].sort((a, b) => a - b));
      }),
    );
  });

  it('skips entries under review, another user’s, another server’s, and — for a one-youth sign-in — other youths’', () => {
    const entries = [
      entry(1),
      entry(2, { state: 'needs-review' }),
      entry(3, { by: 'Practitioner/fp-lee' }),
      entry(4, { serverUrl: 'https://other.example/fhir' }),
      entry(5, { patientId: 'youth-2' }),
    ];
    expect(replayOrder(entries, owner).map((e) => e.seq)).toEqual([1, 5]);
    expect(replayOrder(entries, owner, 'youth-1').map((e) => e.seq)).toEqual([1]);
  });

  it('treats a trailing slash on the server as the same owner', () => {
    expect(ownerOf(`${SERVER}/`, ROSA)).toBe(owner);
  });
});

describe('what an answer does to an entry', () => {
  const now = new Date('2026-10-27T15:00:00Z');
  it.each([
    [201, 'stored'],
    [0, 'unreachable'],
    [408, 'unreachable'],
    [429, 'unreachable'],
    [503, 'unreachable'],
    [401, 'signed-out'],
    [400, 'refused'],
    [403, 'refused'],
    [412, 'refused'],
    [422, 'refused'],
  ] as const)('HTTP %i → %s', (status, kind) => {
    if (status !== 201) expect(outcomeOfStatus(status)).toBe(kind);
  });

  it('removes a stored entry, keeps a refused one with the server’s words, and stops on no answer', () => {
    expect(applyOutcome(entry(1), { kind: 'stored' }, now)).toEqual({ kind: 'remove' });
    expect(applyOutcome(entry(1), { kind: 'refused', server: 'FST Sandbox EHR', words: 'No.' }, now)).toEqual(
      {
        kind: 'update',
        entry: {
          ...entry(1),
          state: 'needs-review',
          review: { server: 'FST Sandbox EHR', words: 'No.', at: now.toISOString() },
        },
      },
    );
    expect(applyOutcome(entry(1), { kind: 'unreachable' }, now)).toEqual({ kind: 'stop' });
    expect(applyOutcome(entry(1), { kind: 'signed-out' }, now)).toEqual({ kind: 'stop' });
  });

  it('asks for a sign-in with the count', () => {
    expect(signInAgainText(1)).toBe('Sign in again to send 1 pending record.');
    expect(signInAgainText(3)).toBe('Sign in again to send 3 pending records.');
  });
});

describe('expiry of the offline copies', () => {
  const saved = Date.parse('2026-10-27T08:00:00Z');
  const HOUR = 3_600_000;
  it('keeps a copy for the configured hours (12 by default), not a moment longer', () => {
    expect(isExpired(saved, saved + 12 * HOUR - 1)).toBe(false);
    expect(isExpired(saved, saved + 12 * HOUR)).toBe(true);
    expect(isExpired(saved, saved + 2 * HOUR, 1)).toBe(true);
    expect(isExpired(saved, saved, 0)).toBe(true);
  });
  it('treats a copy dated in the future (a clock set back) as expired', () => {
    expect(isExpired(saved, saved - 1)).toBe(true);
  });
});

describe('a queued contact', () => {
  it('shows as pending, an attempt as an attempt, never with a server id', () => {
    const c = pendingContactOf(draft('a', { attemptReason: 'no-answer', durationMinutes: undefined }));
    expect(c).toMatchObject({ pending: true, id: 'pending-a', status: 'not-done', kind: 'caregiver' });
    const listed = pendingContactsFor(
      [entry(2), entry(1), entry(3, { patientId: 'youth-2' })],
      ownerOf(SERVER, ROSA),
      'youth-1',
    );
    expect(listed.map((e) => e.requestId)).toEqual(['r1', 'r2']);
  });
});

// The clocks' rule (issue 38): a pending contact counts as pending, never as met until it is stored.
describe('the clocks and a pending contact', () => {
  const cal = DEFAULT_CALENDAR;
  const ref: Referral = {
    id: 'task-1',
    status: 'in-progress',
    authoredOn: '2026-10-02T10:00:00-04:00',
    fstMarks: ['profile'],
  };
  const stored = (id: string, sent: string, extra: Partial<Contact> = {}): Contact => ({
    id,
    kind: 'caregiver',
    status: 'completed',
    method: 'face-to-face',
    sent,
    goalIds: ['g1'],
    purposes: [],
    durationMinutes: 30,
    ...extra,
  });
  const start = [stored('c1', '2026-10-05T10:00:00-04:00'), stored('c2', '2026-10-07T10:00:00-04:00')];
  const now = new Date('2026-10-28T12:00:00-04:00');
  const queued = pendingContactOf(draft('q1', { sent: '2026-10-27T10:00:00-04:00' }));

  it('makes this week pending, not met; the same contact stored makes it met', () => {
    const weekly = (ep: Episode) => evaluateEpisode(ep, now, cal).clocks['weekly-caregiver-contact'];
    const without = weekly({ referral: ref, contacts: start });
    expect(without.status).toBe('due');
    const withPending = weekly({ referral: ref, contacts: start, pendingContacts: [queued] });
    expect(withPending.status).toBe('pending');
    expect(withPending.dueDate).toBe(without.dueDate);
    expect(withPending.summary).toContain('A contact saved on this device waits to be sent');
    expect(weekly({ referral: ref, contacts: [...start, { ...queued, id: 'c3' }] }).status).toBe('met');
  });

  it('marks the week’s cell pending with the queued record as its evidence', () => {
    const rows = weeklyGrid({ referral: ref, contacts: start, pendingContacts: [queued] }, now, cal);
    const current = rows.at(-1);
    expect(current?.caregiver).toEqual({ status: 'pending', evidence: ['Communication/pending-q1'] });
    // Earlier weeks are as the server's records make them.
    expect(rows[0].caregiver.status).toBe('met');
  });

  it('leaves a clock the stored contacts already meet as met', () => {
    const met = [...start, stored('c3', '2026-10-26T10:00:00-04:00')];
    const result = evaluateEpisode({ referral: ref, contacts: met, pendingContacts: [queued] }, now, cal);
    expect(result.clocks['weekly-caregiver-contact'].status).toBe('met');
  });

  it('makes the first call pending when only a queued call would meet it', () => {
    const fresh: Referral = { ...ref, status: 'requested', authoredOn: '2026-10-26T10:00:00-04:00' };
    const call = pendingContactOf(draft('q2', { method: 'phone' }));
    const clocks = evaluateEpisode(
      { referral: fresh, contacts: [], pendingContacts: [call] },
      now,
      cal,
    ).clocks;
    expect(clocks['first-caregiver-call'].status).toBe('pending');
    expect(
      evaluateEpisode({ referral: fresh, contacts: [] }, now, cal).clocks['first-caregiver-call'].status,
    ).toBe('due');
  });
});
