/**
 * The episode's discharge plan(s) on the referral card: when written and delivered, and the PDF on demand
 * (read from the chart when asked: the list of plans does not carry the documents).
 */
import { useMutation } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { DocumentReference } from 'fhir/r4';
import { useSession } from '../../app/SessionContext';
import type { DischargePlanSummary } from '../../domain/model';
import { fhirRequest } from '../../fhir/http';
import { Alert } from '../../ui/Alert';
import { formatDate } from '../../ui/format';

export function DischargePlanLinks({
  plans,
  timeZone,
  canCorrect,
}: {
  plans: DischargePlanSummary[];
  timeZone: string;
  /** The user may discharge this family, so may correct its current plan. */
  canCorrect: boolean;
}) {
  if (plans.length === 0) return null;
  return (
    <>
      <h3>Discharge plan</h3>
      <ul className="plain">
        {plans.map((p) => (
          <PlanLine key={p.id} plan={p} timeZone={timeZone} canCorrect={canCorrect} />
        ))}
      </ul>
    </>
  );
}

function PlanLine({
  plan,
  timeZone,
  canCorrect,
}: {
  plan: DischargePlanSummary;
  timeZone: string;
  canCorrect: boolean;
}) {
  const session = useSession();
  const download = useMutation({
    mutationFn: async () => {
      const doc = (
        await fhirRequest<DocumentReference>(
          session.transport,
          `DocumentReference/${encodeURIComponent(plan.id)}`,
        )
      ).body;
      const data = doc.content.find((c) => c.attachment.contentType === 'application/pdf')?.attachment.data;
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
        ` · delivered ${formatDate(plan.deliveredOn, timeZone)} to ${recipients} ${recipients === 1 ? 'recipient' : 'recipients'}`}
      {plan.status !== 'current' && ` · ${plan.status}`}{' '}
      <button
        type="button"
        className="secondary"
        disabled={download.isPending}
        onClick={() => download.mutate()}
      >
        Download the plan (PDF)
      </button>
      {canCorrect && plan.status === 'current' && (
        <>
          {' '}
          <Link href={`/discharge?correct=${encodeURIComponent(plan.id)}`}>Correct the plan</Link>
        </>
      )}
      {download.isError && <Alert title="The plan could not be downloaded" error={download.error} />}
    </li>
  );
}
