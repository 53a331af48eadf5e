import { useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { AppUser } from '../../domain/permissions';
import type { CaseloadMove } from '../../domain/referralTransitions';
import { planCaseloadMove } from '../../domain/referralTransitions';
import type { CaseloadFamily } from '../../fhir/caseload';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { fhirKeys } from '../../fhir/queryKeys';
import { assignFamilyPartner } from '../../fhir/referrals';
import type { FamilyPartner } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { useCapabilities } from '../../app/useCapabilities';
import { errorMessage } from '../../ui/Alert';

interface Outcome {
  youth: string;
  /** Read from the Task the server wrote: whose family it is now. */
  nowWith?: string;
  problem?: string;
}

/**
 * A supervisor moves every open family of one Family Partner to another in one step (she leaves the agency):
 * a preview says which families go to whom, then each is written as a normal transfer (If-Match, with its
 * status-history entry), and the result per family is read from what the server wrote.
 */
export function MoveCaseload({
  families,
  partners,
  user,
}: {
  families: readonly CaseloadFamily[];
  partners: readonly FamilyPartner[];
  user: AppUser;
}) {
  const session = useSession();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<CaseloadMove[]>();
  const [problem, setProblem] = useState<string>();
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>();
  const result = useRef<HTMLDivElement>(null);
  const nameOf = (ref: string | undefined) =>
    partners.find((p) => p.roleReference === ref)?.name ?? ref ?? 'nobody';
  const youthOf = new Map(families.map((f) => [f.referral.id, f.youth.name.full]));
  const show = () => {
    setOutcomes(undefined);
    if (!from || !to) return setProblem('Choose whose families move, and to whom.');
    if (from === to) return setProblem('Choose another Family Partner to move the families to.');
    if (!reason.trim())
      return setProblem('Say why the families move: the reason is kept in each status history.');
    const moves = planCaseloadMove(
      families.map((f) => f.referral),
      from,
      to,
      user,
      { at: new Date(), now: new Date(), reason },
    );
    if (moves.length === 0) return setProblem(`${nameOf(from)} has no open family to move.`);
    setProblem(undefined);
    setPreview(moves);
  };
  const run = async (moves: CaseloadMove[]) => {
    setRunning(true);
    const done: Outcome[] = [];
    // One family at a time, each its own transfer: one refused (changed meanwhile) leaves the others moved.
    for (const move of moves) {
      const youth = youthOf.get(move.referral.id) ?? move.referral.id;
      if ('problem' in move) {
        done.push({ youth, problem: move.problem });
        continue;
      }
      try {
        const written = await assignFamilyPartner(session.transport, caps, move.referral, move.planned);
        done.push({ youth, nowWith: nameOf(written.ownerReference) });
      } catch (err) {
        done.push({ youth, problem: errorMessage(err) });
      }
    }
    setRunning(false);
    setPreview(undefined);
    setOutcomes(done);
    await queryClient.invalidateQueries({ queryKey: fhirKeys.caseload(session.serverUrl) });
    result.current?.focus();
  };
  return (
    <section className="card wide no-print" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Move a Family Partner’s families</h2>
      <p className="muted">
        When a Family Partner leaves or cannot serve: every open family of theirs moves to another, each move
        recorded in the family’s status history. From then on the former Family Partner cannot write to those
        families’ records.
      </p>
      <div className="move-caseload">
        <PartnerChoice
          label="From"
          value={from}
          onChange={setFrom}
          partners={partners}
          locked={Boolean(preview)}
        />
        <PartnerChoice label="To" value={to} onChange={setTo} partners={partners} locked={Boolean(preview)} />
        <label>
          Why they move
          <input value={reason} disabled={Boolean(preview)} onChange={(e) => setReason(e.target.value)} />
        </label>
      </div>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
      {preview ? (
        <div role="group" aria-label="Preview of the move">
          <p>
            {preview.length} {preview.length === 1 ? 'family moves' : 'families move'} from{' '}
            <bdi>{nameOf(from)}</bdi> to <bdi>{nameOf(to)}</bdi>:
          </p>
          <ul aria-label="Families to move">
            {preview.map((m) => (
              <li key={m.referral.id}>
                <bdi>{youthOf.get(m.referral.id)}</bdi> →{' '}
                {'problem' in m ? <>stays: {m.problem}</> : <bdi>{nameOf(m.planned.owner)}</bdi>}
              </li>
            ))}
          </ul>
          <p className="form-actions">
            <button type="button" disabled={running} onClick={() => void run(preview)}>
              {running ? 'Moving…' : `Move ${preview.length} ${preview.length === 1 ? 'family' : 'families'}`}
            </button>{' '}
            <button type="button" disabled={running} onClick={() => setPreview(undefined)}>
              Back
            </button>
          </p>
        </div>
      ) : (
        <button type="button" onClick={show}>
          Preview the move
        </button>
      )}
      <div tabIndex={-1} ref={result} role="status">
        {outcomes && (
          <ul aria-label="Moved families">
            {outcomes.map((o) => (
              <li key={o.youth}>
                <bdi>{o.youth}</bdi>:{' '}
                {o.problem ? (
                  <>
                    not moved — <bdi>{o.problem}</bdi>
                  </>
                ) : (
                  <>
                    now with <bdi>{o.nowWith}</bdi>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

/** One of the two Family Partner choices (from whom, to whom), locked while the preview is shown. */
function PartnerChoice({
  label,
  value,
  onChange,
  partners,
  locked,
}: {
  label: string;
  value: string;
  onChange: (roleReference: string) => void;
  partners: readonly FamilyPartner[];
  locked: boolean;
}) {
  return (
    <label>
      {label}
      <select value={value} disabled={locked} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {partners.map((p) => (
          <option key={p.roleReference} value={p.roleReference}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
