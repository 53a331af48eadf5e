import { useQueryClient } from '@tanstack/react-query';
import { Alert } from '../../ui/Alert';

/**
 * The agency's record store does not answer (at launch or later): said once, naming it, with what is not shown
 * and what still works — instead of the whole app failing (issue 36). "Try again" reads every part again; the
 * store's sign-in is retried with it.
 */
export function StoreUnavailable({ name, reason }: { name: string; reason?: string }) {
  const client = useQueryClient();
  return (
    <Alert title={`${name} cannot be reached`}>
      {reason && <p>{reason}</p>}
      <p>
        The FST records kept there — the referral, contacts, service plan, meetings, outcomes and the
        compliance clocks — are not shown, and nothing can be saved to them until it answers.
      </p>
      <p>
        Still working: the youth's chart from the EHR below (caregivers, treatment plans, visits), the
        discharge plans in the chart, and the crisis protocol. What you type in a form is kept in this tab.
      </p>
      <button type="button" onClick={() => void client.invalidateQueries()}>
        Try again
      </button>
    </Alert>
  );
}
