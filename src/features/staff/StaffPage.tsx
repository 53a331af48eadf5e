/**
 * "Staff": the FST supervisor's one place for staffing compliance (seed 000 "Staffing requirements"):
 * per Family Partner and Senior Family Partner, the qualification basis, licence and insurance, ICC
 * training, each annual topic a–r with its due date, and the two weekly supervisions week by week. People
 * with something expired, missing or due within 30 days come first. Supervisors log supervision and record
 * training and credentials here.
 */
import { useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useSession } from '../../app/SessionContext';
import { useCapabilities } from '../../app/useCapabilities';
import { useSignedInUser } from '../../app/useSignedInUser';
import { routes } from '../../app/routes';
import { calendarFor } from '../../config/config';
import { civilDateOf, civilToIso, instantOfWallClock, wallClockOf } from '../../domain/calendar';
import { decideWrite } from '../../domain/policy';
import type {
  CredentialKind,
  ItemStatus,
  QualificationField,
  StaffItem,
  StaffMember,
  SupervisionField,
  SupervisionKind,
  SupervisionWeek,
  TrainingTopic,
} from '../../domain/staff';
import {
  CREDENTIALS,
  needsAttention,
  quarterStart,
  requirementOf,
  servedBeforeTrainingProblem,
  staffItems,
  SUPERVISION_KIND_LABEL,
  SUPERVISOR_ROLE,
  supervisionGrid,
  qualificationProblems,
  supervisionProblems,
  supervisionReadFrom,
  missedWeeks,
  weeklySupervisionApplies,
  TOPICS,
  TRAINING_TOPICS,
} from '../../domain/staff';
import type { StaffRole } from '../../domain/permissions';
import { isFstStaff, overseesProgram, ROLE_LABEL } from '../../domain/permissions';
import { ASSUMED_CAPABILITIES } from '../../fhir/capabilities';
import { ErrorSummary, fieldErrors } from '../../ui/FormErrors';
import type { FieldProblem } from '../../ui/FormErrors';
import { Field } from '../../ui/Field';
import { DateTimeField } from '../../ui/DateTimeField';
import { FormActions } from '../../ui/FormActions';
import { fhirKeys } from '../../fhir/queryKeys';
import type { StaffCompliance } from '../../fhir/staff';
import { loadStaffCompliance, logSupervision, recordQualification } from '../../fhir/staff';
import { Alert } from '../../ui/Alert';
import { ChoiceSelect } from '../../ui/ChoiceSelect';
import { PeriodPicker } from '../../ui/PeriodPicker';
import { downloadText } from '../../ui/download';
import { formatDate } from '../../ui/format';
import { supervisionCsv } from './staffCsv';
import type { LivedExperienceArea } from '../../domain/matching';
import { LIVED_EXPERIENCE_AREAS, LIVED_EXPERIENCE_CODES } from '../../domain/matching';
import { OnCallRoster } from './OnCallRoster';

const SUPERVISION_FIELD_LABEL: Record<SupervisionField, string> = {
  kind: 'Kind',
  start: 'Date and time',
  minutes: 'Duration (minutes)',
  supervisor: 'Supervisor',
  supervisees: 'Supervisees',
};

const QUALIFICATION_FIELD_LABEL: Record<QualificationField, string> = {
  member: 'Person',
  code: 'Training or credential',
  start: 'Completed or issued',
  end: 'Expires',
};

const STATUS_LABEL: Record<ItemStatus, string> = {
  expired: 'Expired / overdue',
  missing: 'Missing',
  'due-soon': 'Due within 30 days',
  'to-confirm': 'No expiry date recorded: confirm it is current',
  current: 'Current',
};

export function StaffPage() {
  const session = useSession();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const me = useSignedInUser();
  const cal = calendarFor(session.ehr);
  const now = new Date();
  const today = civilDateOf(now, cal.timeZone);
  const [period, setPeriod] = useState(() => ({
    from: quarterStart(civilToIso(today)),
    to: civilToIso(today),
  }));
  const query = useQuery({
    queryKey: fhirKeys.staffCompliance(session.serverUrl, period.from),
    queryFn: ({ signal }) =>
      loadStaffCompliance(
        session.transport,
        caps,
        session.ehr.roles,
        supervisionReadFrom(period.from, cal),
        signal,
      ),
  });
  const rows = useMemo(() => {
    if (!query.data) return [];
    return query.data.members
      .map((m) => ({
        member: m,
        items: staffItems(m, today),
        beforeDuties: servedBeforeTrainingProblem(
          m,
          (() => {
            const first = query.data.firstServedOn.get(m.reference);
            return first ? civilToIso(civilDateOf(first, cal.timeZone)) : undefined;
          })(),
        ),
        weeks: weeklySupervisionApplies(m)
          ? supervisionGrid(query.data.sessions, m.reference, period, now, cal, (ref) =>
              supervisorRoles(query.data, ref),
            )
          : [],
      }))
      .sort(
        (a, b) =>
          Number(needsAttention(b.items) || Boolean(b.beforeDuties)) -
            Number(needsAttention(a.items) || Boolean(a.beforeDuties)) ||
          a.member.name.localeCompare(b.member.name),
      );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- now and cal follow today and the session
  }, [query.data, period, today]);

  // Supervisors keep everyone's records; a program manager reads everyone's (an audit), a Family Partner her
  // own, both read-only; others none.
  const keeps = me ? decideWrite(me, 'staff-record', 'change').allowed : true;
  const seesAll = keeps || (me ? overseesProgram(me) : false);
  if (me && !seesAll && !isFstStaff(me))
    return (
      <Alert title="Staff compliance is for FST staff">
        <p>Supervisors keep these records; each Family Partner can see their own.</p>
      </Alert>
    );
  if (query.isPending) return <p role="status">Loading the staff records…</p>;
  if (query.isError) return <Alert title="The staff records could not be loaded" error={query.error} />;
  const data = query.data;
  const shown = seesAll ? rows : rows.filter((r) => me?.references.includes(r.member.reference));
  const nameOf = (ref: string) =>
    data.members.find((m) => m.reference === ref)?.name ??
    data.supervisors.find((s) => s.reference === ref)?.name ??
    ref;

  return (
    <div className="staff">
      <h1 className="page-title">{seesAll ? 'Staff compliance' : 'Your staff compliance'}</h1>
      <p>
        <Link href={`~${routes.caseload}`}>Back to the caseload</Link>
      </p>
      {!keeps && (
        <p role="note">
          {seesAll
            ? 'Read-only: the FST supervisors record supervision, training and credentials, yours included.'
            : 'Read-only: your FST supervisor records your supervision, training and credentials. Tell them when something here is out of date.'}
        </p>
      )}
      <section className="card wide" aria-labelledby="period-heading">
        <h2 id="period-heading">Period</h2>
        <PeriodPicker period={period} onChange={setPeriod} />
        {seesAll && (
          <div className="actions no-print">
            <button
              type="button"
              onClick={() =>
                downloadText(
                  `FST-supervision-${period.from}-to-${period.to}.csv`,
                  supervisionCsv(rows, query.data?.sessions ?? [], period, nameOf, (instant) =>
                    civilToIso(civilDateOf(instant, cal.timeZone)),
                  ),
                  'text/csv;charset=utf-8',
                )
              }
            >
              Export supervision CSV
            </button>
          </div>
        )}
      </section>
      {shown.map((r) => (
        <StaffCard
          key={r.member.reference}
          member={r.member}
          items={r.items}
          weeks={r.weeks}
          beforeDuties={r.beforeDuties}
          nameOf={nameOf}
          timeZone={cal.timeZone}
        />
      ))}
      <OnCallRoster data={data} keeps={keeps} />
      {keeps && (
        <>
          <LogSupervision data={data} me={me?.references[0] ?? ''} period={period.from} />
          <RecordQualification data={data} period={period.from} />
        </>
      )}
    </div>
  );
}

function StaffCard({
  member,
  items,
  weeks,
  beforeDuties,
  nameOf,
  timeZone,
}: {
  member: StaffMember;
  items: StaffItem[];
  weeks: SupervisionWeek[];
  /** Served families before the initial training was complete (staffing 6), in words. */
  beforeDuties?: string;
  nameOf: (ref: string) => string;
  timeZone: string;
}) {
  const headingId = useId();
  const attention = items.filter((i) => i.status !== 'current');
  const current = items.filter((i) => i.status === 'current');
  return (
    <section className="card wide" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <bdi>{member.name}</bdi> <span className="muted">({ROLE_LABEL[member.role]})</span>
      </h2>
      {member.hiredOn && <p className="muted">In the role since {formatDate(member.hiredOn, timeZone)}</p>}
      {member.role === 'family-partner' && (
        <p className="muted">
          Lived experience, for matching families:{' '}
          {member.livedExperience?.length
            ? member.livedExperience.map((a) => LIVED_EXPERIENCE_AREAS[a]).join(', ')
            : 'none recorded'}
        </p>
      )}
      {beforeDuties && (
        <p>
          <span className="badge badge-overdue">Before duties</span> {beforeDuties}
        </p>
      )}
      {attention.length > 0 ? (
        <ul className="plain" aria-label={`Needs attention: ${member.name}`}>
          {attention.map((i) => (
            <li key={i.code}>
              <span className={`badge badge-${i.status === 'due-soon' ? 'due' : 'overdue'}`}>
                {STATUS_LABEL[i.status]}
              </span>{' '}
              {i.label}
              {i.due && ` · due ${formatDate(i.due, timeZone)}`}
            </li>
          ))}
        </ul>
      ) : (
        <p>Training and credentials current.</p>
      )}
      {/* Never "all current" above a grid of missed weeks: the summary says what the grid shows. */}
      {missedWeeks(weeks) > 0 && (
        <p>
          <span className="badge badge-missed">Supervision missed</span> in {missedWeeks(weeks)}{' '}
          {missedWeeks(weeks) === 1 ? 'week' : 'weeks'} of this period (below).
        </p>
      )}
      <details>
        <summary>All {items.length} items</summary>
        <ul className="plain">
          {current.map((i) => (
            <li key={i.code}>
              {i.label}
              {i.last && ` · ${formatDate(i.last, timeZone)}`}
              {i.due && ` · next ${formatDate(i.due, timeZone)}`}
            </li>
          ))}
        </ul>
      </details>
      {!weeklySupervisionApplies(member) ? (
        <p className="muted">
          Weekly supervision is required of Family Partners (staffing 8);{' '}
          {member.role === 'senior-family-partner'
            ? 'a Senior Family Partner gives it'
            : 'the FST supervisor gives it'}
          .{' '}
          {member.role === 'program-manager'
            ? 'What applies to a program manager is the annual training topics (staffing 6), listed above.'
            : `What applies to ${
                member.role === 'senior-family-partner' ? 'a Senior Family Partner' : 'supervisory staff'
              } is the ICC training and the training to supervise Family Partners (staffing 5) and the annual training topics (staffing 6), listed above.`}
        </p>
      ) : (
        /* Scrolls sideways on a phone: focusable, so the keyboard can scroll it too. */
        <div
          className="table-scroller"
          tabIndex={0}
          role="region"
          aria-label={`Supervision weeks of ${member.name}`}
        >
          <table aria-label={`Weekly supervision: ${member.name}`}>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col">With a Senior Family Partner</th>
                <th scope="col">With a licensed clinician</th>
              </tr>
            </thead>
            <tbody>
              {[...weeks].reverse().map((w) => (
                <tr key={w.weekStart}>
                  <th scope="row">{formatDate(w.weekStart, timeZone)}</th>
                  {(['senior-fp', 'clinician'] as const).map((req) => (
                    <td key={req}>
                      <span
                        className={`badge badge-${w[req].status === 'met' ? 'met' : w[req].status === 'due' ? 'due' : 'missed'}`}
                      >
                        {w[req].status === 'met'
                          ? 'Met'
                          : w[req].status === 'due'
                            ? 'Due this week'
                            : 'Missed'}
                      </span>
                      {w[req].sessions.length > 0 && (
                        <span className="muted">
                          {' '}
                          {[...new Set(w[req].sessions.map((s) => nameOf(s.supervisor)))].join(', ')}
                        </span>
                      )}
                      {w[req].notCounted?.map((n) => (
                        <span key={n.id} className="muted">
                          {' '}
                          Not counted: given by {nameOf(n.supervisor)}. {n.reason}
                        </span>
                      ))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LogSupervision({ data, me, period }: { data: StaffCompliance; me: string; period: string }) {
  const session = useSession();
  const caps = useCapabilities().data ?? ASSUMED_CAPABILITIES;
  const queryClient = useQueryClient();
  const id = useId();
  const tz = session.ehr.timeZone;
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const [kind, setKind] = useState<SupervisionKind | ''>('');
  const [when, setWhen] = useState(() => wallClockOf(new Date(), tz));
  const [minutes, setMinutes] = useState('60');
  const [supervisor, setSupervisor] = useState(me);
  const [supervisees, setSupervisees] = useState<string[]>([]);
  const [topics, setTopics] = useState('');
  const [problems, setProblems] = useState<FieldProblem<SupervisionField>[]>([]);
  const [saved, setSaved] = useState('');
  const summary = useRef<HTMLDivElement>(null);
  const fieldId = (f: SupervisionField) => `${id}-${f}`;
  const { error, described } = fieldErrors(problems, fieldId);
  const eligible = data.supervisors.filter((s) => !kind || s.kind === requirementOf(kind));
  // What is saved is what the box shows: a supervisor the chosen kind does not allow is no choice at all.
  const shownSupervisor = eligible.some((s) => s.reference === supervisor) ? supervisor : '';
  const draft = {
    requestId,
    kind: kind || undefined,
    start: instantOfWallClock(when, tz)?.toISOString() ?? '',
    minutes: minutes.trim() ? Number(minutes) : undefined,
    supervisor: shownSupervisor,
    supervisees,
    topics: topics
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean),
  };
  const save = useMutation({
    mutationFn: () => {
      if (!draft.kind || draft.minutes === undefined) throw new Error('The session is incomplete.');
      return logSupervision(session.transport, caps, { ...draft, kind: draft.kind, minutes: draft.minutes });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({
        queryKey: fhirKeys.staffCompliance(session.serverUrl, period),
      });
      setSaved(
        `Supervision saved for ${supervisees.length} ${supervisees.length === 1 ? 'person' : 'people'}.`,
      );
      setRequestId(crypto.randomUUID());
      setSupervisees([]);
      setTopics('');
    },
  });
  return (
    <form
      className="card wide contact-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = supervisionProblems(draft, new Date(), (ref) => supervisorRoles(data, ref));
        setProblems(found);
        setSaved('');
        if (found.length) requestAnimationFrame(() => summary.current?.focus());
        else save.mutate();
      }}
    >
      <h2 id={`${id}-title`}>Log supervision</h2>
      <ErrorSummary
        problems={problems}
        labels={SUPERVISION_FIELD_LABEL}
        fieldId={fieldId}
        focusRef={summary}
      />
      {save.isError && <Alert title="The supervision was not saved" error={save.error} />}
      <p role="status">{saved}</p>
      <div className="form-grid">
        <Field label={SUPERVISION_FIELD_LABEL.kind} id={fieldId('kind')} error={error('kind')}>
          <ChoiceSelect
            id={fieldId('kind')}
            describedBy={described('kind')}
            labels={SUPERVISION_KIND_LABEL}
            value={kind}
            onChange={setKind}
          />
        </Field>
        <DateTimeField
          label={SUPERVISION_FIELD_LABEL.start}
          id={fieldId('start')}
          value={when}
          onChange={setWhen}
          timeZone={tz}
          error={error('start')}
          describedBy={described('start')}
        />
        <Field label={SUPERVISION_FIELD_LABEL.minutes} id={fieldId('minutes')} error={error('minutes')}>
          <input
            id={fieldId('minutes')}
            aria-describedby={described('minutes')}
            type="number"
            min={1}
            max={480}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />
        </Field>
        <Field
          label={SUPERVISION_FIELD_LABEL.supervisor}
          id={fieldId('supervisor')}
          error={error('supervisor')}
        >
          <select
            id={fieldId('supervisor')}
            aria-describedby={described('supervisor')}
            value={shownSupervisor}
            onChange={(e) => setSupervisor(e.target.value)}
          >
            <option value="">Choose…</option>
            {eligible.map((s) => (
              <option key={`${s.reference}-${s.kind}`} value={s.reference}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <fieldset id={fieldId('supervisees')} aria-describedby={described('supervisees')}>
        <legend>{SUPERVISION_FIELD_LABEL.supervisees}</legend>
        {error('supervisees')}
        {data.members
          .filter((m) => m.reference !== shownSupervisor)
          .map((m) => (
            <label key={m.reference} className="check">
              <input
                type="checkbox"
                checked={supervisees.includes(m.reference)}
                onChange={(e) =>
                  setSupervisees((list) =>
                    e.target.checked ? [...list, m.reference] : list.filter((r) => r !== m.reference),
                  )
                }
              />
              <bdi>{m.name}</bdi>
            </label>
          ))}
      </fieldset>
      <label>
        Topics (one per line; no family names)
        <textarea rows={2} value={topics} onChange={(e) => setTopics(e.target.value)} />
      </label>
      <FormActions label="Save supervision" pending={save.isPending} />
    </form>
  );
}

function RecordQualification({ data, period }: { data: StaffCompliance; period: string }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const id = useId();
  const [member, setMember] = useState('');
  const [code, setCode] = useState<TrainingTopic | CredentialKind | LivedExperienceArea | ''>('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [issuer, setIssuer] = useState('');
  const [problems, setProblems] = useState<FieldProblem<QualificationField>[]>([]);
  const [saved, setSaved] = useState('');
  const summary = useRef<HTMLDivElement>(null);
  const fieldId = (f: QualificationField) => `${id}-${f}`;
  const { error, described } = fieldErrors(problems, fieldId);
  const target = data.members.find((m) => m.reference === member);
  const save = useMutation({
    mutationFn: () => {
      if (!target || !code) throw new Error('Choose the person and the item.');
      return recordQualification(session.transport, target, {
        code,
        start: start || undefined,
        end: end || undefined,
        issuer,
      });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({
        queryKey: fhirKeys.staffCompliance(session.serverUrl, period),
      });
      setSaved(`Recorded for ${target?.name ?? ''}.`);
      setCode('');
      setStart('');
      setEnd('');
      setIssuer('');
    },
  });
  return (
    <form
      className="card wide contact-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = qualificationProblems({ member, code, start, end });
        setProblems(found);
        setSaved('');
        if (found.length) requestAnimationFrame(() => summary.current?.focus());
        else save.mutate();
      }}
    >
      <h2 id={`${id}-title`}>Record training or credential</h2>
      <ErrorSummary
        problems={problems}
        labels={QUALIFICATION_FIELD_LABEL}
        fieldId={fieldId}
        focusRef={summary}
      />
      {save.isError && <Alert title="It was not recorded" error={save.error} />}
      <p role="status">{saved}</p>
      <div className="form-grid">
        <Field label={QUALIFICATION_FIELD_LABEL.member} id={fieldId('member')} error={error('member')}>
          <select
            id={fieldId('member')}
            aria-describedby={described('member')}
            value={member}
            onChange={(e) => setMember(e.target.value)}
          >
            <option value="">Choose…</option>
            {data.members.map((m) => (
              <option key={m.reference} value={m.reference}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label={QUALIFICATION_FIELD_LABEL.code} id={fieldId('code')} error={error('code')}>
          <select
            id={fieldId('code')}
            aria-describedby={described('code')}
            value={code}
            onChange={(e) =>
              setCode(e.target.value as TrainingTopic | CredentialKind | LivedExperienceArea | '')
            }
          >
            <option value="">Choose…</option>
            <optgroup label="Annual training (a–r)">
              {TOPICS.map((t) => (
                <option key={t} value={t}>
                  {t.slice(-1)}) {TRAINING_TOPICS[t]}
                </option>
              ))}
            </optgroup>
            <optgroup label="Credentials and required training">
              {(Object.keys(CREDENTIALS) as CredentialKind[]).map((c) => (
                <option key={c} value={c}>
                  {CREDENTIALS[c]}
                </option>
              ))}
            </optgroup>
            <optgroup label="Lived experience, for matching families (no date)">
              {LIVED_EXPERIENCE_CODES.map((a) => (
                <option key={a} value={a}>
                  Lived experience of {LIVED_EXPERIENCE_AREAS[a]}
                </option>
              ))}
            </optgroup>
          </select>
        </Field>
        <Field label={QUALIFICATION_FIELD_LABEL.start} id={fieldId('start')} error={error('start')}>
          <input
            id={fieldId('start')}
            aria-describedby={described('start')}
            type="date"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </Field>
        <Field label={QUALIFICATION_FIELD_LABEL.end} id={fieldId('end')} error={error('end')}>
          <input
            id={fieldId('end')}
            aria-describedby={described('end')}
            type="date"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
        </Field>
        <label>
          Issuer
          <input value={issuer} onChange={(e) => setIssuer(e.target.value)} />
        </label>
      </div>
      <FormActions label="Record" pending={save.isPending} />
    </form>
  );
}

/** A supervisor's roles as the staff list knows them (a person may be listed once per requirement). */
function supervisorRoles(data: StaffCompliance, reference: string): ReadonlySet<StaffRole> {
  return new Set(
    data.supervisors.filter((s) => s.reference === reference).map((s) => SUPERVISOR_ROLE[s.kind]),
  );
}
