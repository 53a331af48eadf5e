/**
 * The episode's discharge plan(s) on the referral card: when written, each recipient's delivery (planned until
 * it is recorded with its date and how: the 5-business-day clock is met by those), and the PDF on demand (read
 * from the chart when asked: the list of plans does not carry the documents).
 */
import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { DocumentReference } from 'fhir/r4';
import { useSession } from '../../app/SessionContext';
import { usePatientId } from '../../app/PatientContext';
import { civilDateOf, civilToIso, instantOfWallClock } from '../../domain/calendar';
import type { DeliveryMethod, DischargePlanSummary, PlanDelivery } from '../../domain/model';
import { DELIVERY_METHOD_LABEL } from '../../domain/model';
import { fhirRequest } from '../../fhir/http';
import { invalidateAfterWrite } from '../../fhir/invalidation';
import { Alert } from '../../ui/Alert';
import { formatDate } from '../../ui/format';

export function DischargePlanLinks({
  plans,
  timeZone,
  canCorrect,
  nameOf,
}: {
  plans: DischargePlanSummary[];
  timeZone: string;
  /** The user may discharge this family, so may correct its current plan and record its deliveries. */
  canCorrect: boolean;
  nameOf: (reference?: string) => string;
}) {
  if (plans.length === 0) return null;
  return (
    <>
      <h3>Discharge plan</h3>
      <ul className="plain">
        {plans.map((p) => (
          <PlanLine key={p.id} plan={p} timeZone={timeZone} canCorrect={canCorrect} nameOf={nameOf} />
        ))}
      </ul>
    </>
  );
}

function PlanLine({
  plan,
  timeZone,
  canCorrect,
  nameOf,
}: {
  plan: DischargePlanSummary;
  timeZone: string;
  canCorrect: boolean;
  nameOf: (reference?: string) => string;
}) {
  const session = useSession();
  const download = useMutation({
    mutationFn: async (copy: number) => {
      const doc = (
        await fhirRequest<DocumentReference>(
          session.transport,
          `DocumentReference/${encodeURIComponent(plan.id)}`,
        )
      ).body;
      const data = doc.content.filter((c) => c.attachment.contentType === 'application/pdf')[copy]?.attachment
        .data;
      if (!data) throw new Error('The plan has no PDF in the chart.');
      const bytes = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'discharge-plan.pdf';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  });
  const recipients = plan.deliveredTo?.length ?? 0;
  return (
    <li>
      Written {formatDate(plan.date, timeZone)}
      {plan.deliveredOn &&
        ` · delivered to ${recipients === 1 ? 'its recipient' : `all ${recipients} recipients`} by ${formatDate(plan.deliveredOn, timeZone)}`}
      {plan.status !== 'current' && ` · ${plan.status}`}{' '}
      {(plan.copies && plan.copies.length > 1 ? plan.copies : ['']).map((language, i) => (
        <button
          key={`${language}-${i}`}
          type="button"
          className="secondary"
          disabled={download.isPending}
          onClick={() => download.mutate(i)}
        >
          {copyLabel(language, i, plan.copies?.length ?? 1)}
        </button>
      ))}
      {canCorrect && plan.status === 'current' && (
        <>
          {' '}
          <Link href={`/discharge?correct=${encodeURIComponent(plan.id)}`}>Correct the plan</Link>
        </>
      )}
      {download.isError && <Alert title="The plan could not be downloaded" error={download.error} />}
      {(plan.deliveries ?? []).length > 0 && (
        <ul className="plain" aria-label="Deliveries of the plan">
          {(plan.deliveries ?? []).map((d) => (
            <DeliveryLine
              key={d.id}
              delivery={d}
              name={d.recipient.includes('/') ? nameOf(d.recipient) : d.recipient}
              timeZone={timeZone}
              canRecord={canCorrect && plan.status === 'current'}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

const METHODS = Object.keys(DELIVERY_METHOD_LABEL) as DeliveryMethod[];

/** One recipient's delivery: sent (when, how), or planned — with "Record delivery" for those who discharge. */
function DeliveryLine({
  delivery,
  name,
  timeZone,
  canRecord,
}: {
  delivery: PlanDelivery;
  name: string;
  timeZone: string;
  canRecord: boolean;
}) {
  const session = useSession();
  const patientId = usePatientId();
  const queryClient = useQueryClient();
  const id = useId();
  const today = civilToIso(civilDateOf(new Date(), timeZone));
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState(today);
  const [method, setMethod] = useState<DeliveryMethod | ''>('');
  const [problem, setProblem] = useState('');
  const save = useMutation({
    mutationFn: async () => {
      // Noon of the day in the provider's zone: the day stays the day whatever the reader's zone.
      const sent = instantOfWallClock(`${day}T12:00`, timeZone)?.toISOString() ?? '';
      // The discharge writer loads with the first delivery recorded, not with the workspace (issue 38).
      const { recordDelivery } = await import('../../fhir/discharge');
      const result = await recordDelivery(session.transport, delivery, sent, method as DeliveryMethod);
      if (!result.ok) throw new Error('Someone else recorded this delivery meanwhile: reload to see it.');
    },
    onSuccess: async () => {
      setOpen(false);
      await invalidateAfterWrite(
        queryClient,
        ['Communication', 'DocumentReference'],
        session.serverUrl,
        patientId,
      );
    },
  });
  if (delivery.status === 'sent')
    return (
      <li>
        <bdi>{name}</bdi>: delivered {formatDate(delivery.sent, timeZone)}
        {delivery.method && ` · ${DELIVERY_METHOD_LABEL[delivery.method].toLowerCase()}`}
      </li>
    );
  return (
    <li>
      <bdi>{name}</bdi>: <span className="badge badge-due">not yet delivered</span>{' '}
      {canRecord && !open && (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Record delivery
        </button>
      )}
      {open && (
        <form
          aria-label={`Record delivery to ${name}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!method) return setProblem('Say how the plan was delivered.');
            if (!day || day > today) return setProblem('Enter the day it was delivered (today or earlier).');
            setProblem('');
            save.mutate();
          }}
        >
          <label htmlFor={`${id}-day`}>Delivered on</label>{' '}
          <input
            id={`${id}-day`}
            type="date"
            max={today}
            value={day}
            onChange={(e) => setDay(e.target.value)}
          />{' '}
          <label htmlFor={`${id}-method`}>How</label>{' '}
          <select
            id={`${id}-method`}
            value={method}
            onChange={(e) => setMethod(e.target.value as DeliveryMethod)}
          >
            <option value="">Choose…</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {DELIVERY_METHOD_LABEL[m]}
              </option>
            ))}
          </select>{' '}
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save delivery'}
          </button>
          {problem && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          {save.isError && <Alert title="The delivery was not saved" error={save.error} />}
        </form>
      )}
    </li>
  );
}

/** One button per copy when the chart holds two: the chart's (English) and the caregiver's own language. */
function copyLabel(language: string, index: number, copies: number): string {
  if (copies < 2) return 'Download the plan (PDF)';
  const name = LANGUAGE_NAMES[language.toLowerCase().split('-')[0]] ?? language;
  return index === 0
    ? `Download the chart copy (${name}, PDF)`
    : `Download the caregiver's copy (${name}, PDF)`;
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', es: 'Spanish' };
