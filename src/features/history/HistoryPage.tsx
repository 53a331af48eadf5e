import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { calendarFor } from '../../config/config';
import {
  filterContacts,
  filterFromQuery,
  filterMeetings,
  filterToQuery,
  timelineRows,
} from '../../domain/contactFilter';
import { useLocation, useSearch } from 'wouter';
import { telehealthWithoutRequest } from '../../domain/compliance';
import type { ContactFilter, TimelineRow } from '../../domain/contactFilter';
import type { Meeting } from '../../domain/meetings';
import { MEETING_KIND_LABEL } from '../../domain/meetings';
import type { WeekRow } from '../../domain/compliance';
import type { Contact, ContactKind, ContactMethod } from '../../domain/model';
import { durationProblem, unitsByMonth, unitsForMinutes } from '../../domain/units';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';
import { formatDate, formatDateTime } from '../../ui/format';
import { METHOD_LABEL, PURPOSE_LABEL } from '../../ui/labels';
import { downloadText } from '../../ui/download';
import { StatusBadge } from '../workspace/ComplianceCard';
import { describeCorrections, exportFileName, initialsOf, timelineToCsvParts } from './csv';
import type { AppUser } from '../../domain/permissions';
import { appUserOf } from '../../app/useSignedInUser';
import { currentGoals } from '../../domain/referral';
import { CorrectContact } from './CorrectContact';
import { useEpisodeCompliance } from '../workspace/useEpisodeCompliance';
import { useContactHistory } from '../workspace/useWorkspace';
import { Alert } from '../../ui/Alert';
import { daysRecordedAfter, recordedLag } from '../../domain/contactDates';

/** The care coordinator's view: every contact, filters, the weekly grid, units, exports. */
export function HistoryPage({ ws: workspace }: { ws: Workspace }) {
  const session = useSession();
  // A very long history: the contacts the workspace did not read arrive here; exports wait for them.
  const history = useContactHistory(workspace);
  const { ws } = history;
  const incomplete = history.loading || history.error !== undefined;
  const cal = calendarFor(session.ehr);
  // The coded filters live in the address (reload and Back keep them); the words searched for only here.
  const search = useSearch();
  const [, navigate] = useLocation();
  const [text, setText] = useState('');
  const filter = useMemo<ContactFilter>(
    () => ({ ...filterFromQuery(search), ...(text ? { text } : {}) }),
    [search, text],
  );
  // Printing renders every filtered row (the virtual list holds only the visible ones), then prints.
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener('afterprint', done, { once: true });
    window.print();
    return () => window.removeEventListener('afterprint', done);
  }, [printing]);
  const names = useMemo(() => {
    const map = new Map<string, string>(ws.staffNames);
    for (const c of ws.caregivers) map.set(c.reference, c.name.full);
    if (ws.user) map.set(ws.user.references[0], ws.user.name.full);
    return map;
  }, [ws]);
  // A reference to nobody in the chart is shown as what it is, never as a made-up "Unknown".
  const nameOf = (ref: string | undefined) => (ref ? (names.get(ref) ?? `${ref} (not in the chart)`) : '');
  const goals = useMemo(() => currentGoals(ws.plans), [ws.plans]);
  const allGoals = useMemo(() => ws.plans.flatMap((p) => p.goals), [ws.plans]);
  const user = appUserOf(session, ws.user);
  // Our purposes, and any other a server sent (shown by its own words or code, never dropped).
  const purposeOptions = useMemo(() => {
    const known = Object.entries(PURPOSE_LABEL);
    const other = [...new Set(ws.contacts.flatMap((c) => c.purposes))].filter((p) => !(p in PURPOSE_LABEL));
    return [...known, ...other.map((p): [string, string] => [p, p])];
  }, [ws.contacts]);
  const goalLabel = (id: string) =>
    allGoals.find((g) => g.id === id)?.description ?? 'Goal not in the current plan';
  // Contacts and the team meetings FST logged, one timeline (seed 000 process 3: meetings are part of the record).
  const rows = useMemo(
    () =>
      timelineRows(
        filterContacts(ws.contacts, filter, cal.timeZone),
        filterMeetings(ws.meetings, filter, cal.timeZone),
      ),
    [ws.contacts, ws.meetings, filter, cal.timeZone],
  );
  const senders = useMemo(
    () => [...new Set(ws.contacts.map((c) => c.senderReference).filter((s): s is string => !!s))],
    [ws.contacts],
  );
  const weeks = useEpisodeCompliance(ws)?.weeks ?? [];
  const units = useMemo(() => unitsByMonth(ws.contacts, cal), [ws.contacts, cal]);

  const set = (patch: Partial<ContactFilter>) => {
    if ('text' in patch) setText(patch.text ?? '');
    const { text: _words, ...coded } = { ...filter, ...patch };
    const query = filterToQuery(coded);
    navigate(query ? `/history?${query}` : '/history', { replace: true });
  };
  const exportCsv = () => {
    const from = rows.length ? rows[rows.length - 1].at.slice(0, 10) : 'none';
    const to = rows.length ? rows[0].at.slice(0, 10) : 'none';
    const csv = timelineToCsvParts(rows, {
      timeZone: cal.timeZone,
      name: nameOf,
      goal: goalLabel,
      purpose: (p) => PURPOSE_LABEL[p] ?? p,
    });
    downloadText(
      exportFileName('contacts', initialsOf(ws.youth.name.given, ws.youth.name.family), from, to, 'csv'),
      csv,
      'text/csv;charset=utf-8',
    );
  };

  return (
    <div className="history">
      <section className="card wide no-print" aria-labelledby="filters-heading">
        <h2 id="filters-heading">Filter contacts</h2>
        <div className="form-grid filters">
          <FilterSelect
            label="Type"
            value={filter.kind}
            options={[
              ['caregiver', 'Caregiver'],
              ['collateral', 'Collateral'],
              ['meeting', 'Team meeting'],
            ]}
            onChange={(v) => set({ kind: v as ContactKind | 'meeting' | undefined })}
          />
          <FilterSelect
            label="Method"
            value={filter.method}
            options={Object.entries(METHOD_LABEL)}
            onChange={(v) => set({ method: v as ContactMethod | undefined })}
          />
          <FilterSelect
            label="Purpose"
            value={filter.purpose}
            options={purposeOptions}
            onChange={(v) => set({ purpose: v })}
          />
          <FilterSelect
            label="Goal"
            value={filter.goalId}
            options={goals.map((g) => [g.id, g.description])}
            onChange={(v) => set({ goalId: v })}
          />
          <FilterSelect
            label="Family Partner"
            value={filter.senderReference}
            options={senders.map((s) => [s, nameOf(s)])}
            onChange={(v) => set({ senderReference: v })}
          />
          <label>
            From
            <input
              type="date"
              value={filter.from ?? ''}
              onChange={(e) => set({ from: e.target.value || undefined })}
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={filter.to ?? ''}
              onChange={(e) => set({ to: e.target.value || undefined })}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={filter.includeEnteredInError ?? false}
              onChange={(e) => set({ includeEnteredInError: e.target.checked || undefined })}
            />
            Show withdrawn entries
          </label>
          <label>
            Search notes
            <input
              type="search"
              value={filter.text ?? ''}
              onChange={(e) => set({ text: e.target.value || undefined })}
            />
          </label>
        </div>
        <div className="actions">
          <button
            type="button"
            onClick={exportCsv}
            disabled={incomplete}
            aria-describedby="history-completeness"
          >
            Export CSV
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => setPrinting(true)}
            disabled={incomplete}
            aria-describedby="history-completeness"
          >
            Print
          </button>
        </div>
        <div id="history-completeness">
          {history.loading && (
            <p role="status">
              {history.loadingBefore
                ? `Reading the contacts before ${formatDate(history.loadingBefore, cal.timeZone)}…`
                : 'Reading the whole contact history…'}{' '}
              The list shows what is read so far; export and print wait for the whole history.
            </p>
          )}
          {history.error !== undefined && (
            <Alert title="The earlier contacts could not be read" error={history.error}>
              <p>Export and print need the whole history.</p>
              <button type="button" onClick={history.retry}>
                Try again
              </button>
            </Alert>
          )}
        </div>
      </section>
      {printing ? (
        <PrintedTimeline
          rows={rows}
          timeZone={cal.timeZone}
          nameOf={nameOf}
          goalLabel={goalLabel}
          user={user}
        />
      ) : (
        <Timeline rows={rows} timeZone={cal.timeZone} nameOf={nameOf} goalLabel={goalLabel} user={user} />
      )}
      <WeeklyGrid weeks={weeks} timeZone={cal.timeZone} />
      <section className="card wide" aria-labelledby="units-heading">
        <h2 id="units-heading">H2014 units per month</h2>
        {units.length === 0 ? (
          <p>No billable contacts.</p>
        ) : (
          <table aria-label="H2014 units per month">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Units</th>
                <th scope="col">Minutes</th>
                <th scope="col" className="phone-hide">
                  Contacts
                </th>
              </tr>
            </thead>
            <tbody>
              {[...units].reverse().map((u) => (
                <tr key={u.month}>
                  <td>{formatDate(u.month, cal.timeZone)}</td>
                  <td>{u.units}</td>
                  <td>{u.minutes}</td>
                  <td className="phone-hide">{u.contacts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function Timeline({ rows, ...rest }: TimelineProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // Virtualised: only the visible rows are in the DOM, so 10 000 contacts scroll as smoothly as 10.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns functions by design
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 88,
    overscan: 8,
  });
  return (
    <section className="card wide" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">
        Contact timeline <span className="muted">({rows.length})</span>
      </h2>
      <div ref={scroller} className="timeline-scroller">
        <ol aria-label="Contact timeline" style={{ height: virtual.getTotalSize() }} className="timeline">
          {virtual.getVirtualItems().map((item) => (
            <li
              key={rows[item.index].id}
              data-index={item.index}
              ref={virtual.measureElement}
              className="timeline-item"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Entry row={rows[item.index]} {...rest} />
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

/** A filter dropdown whose first choice, "All", clears the filter (undefined). */
function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: [value: string, label: string][];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

interface TimelineProps {
  rows: TimelineRow[];
  timeZone: string;
  nameOf: (ref: string | undefined) => string;
  goalLabel: (id: string) => string;
  user: AppUser;
}

function ContactEntry({
  c,
  timeZone,
  nameOf,
  goalLabel,
  user,
}: Omit<TimelineProps, 'rows'> & { c: Contact }) {
  return (
    <>
      <div className="timeline-meta">
        {c.status === 'entered-in-error' && (
          <strong className="withdrawn">Withdrawn (entered in error) · </strong>
        )}
        <strong>{formatDateTime(c.sent, timeZone)}</strong> ·{' '}
        {c.kind === 'caregiver' ? 'Caregiver' : 'Collateral'} · {METHOD_LABEL[c.method]}
        {c.telehealthPlatform && ` (${c.telehealthPlatform})`}
        {c.status === 'not-done' && ` · attempt: ${c.attemptReason ?? 'no contact made'}`}
        {telehealthWithoutRequest(c) && (
          <strong className="flag"> · telehealth not requested by the family: not counted</strong>
        )}
        {c.durationMinutes !== undefined &&
          c.status === 'completed' &&
          ` · ${c.durationMinutes} min (${unitsLabel(c)})`}{' '}
        · with <bdi>{nameOf(c.recipientReference)}</bdi> · by <bdi>{nameOf(c.senderReference)}</bdi>
      </div>
      <RecordedLine c={c} timeZone={timeZone} />
      {c.note && <p className="timeline-note">{c.note}</p>}
      {c.purposes.length > 0 && (
        <p className="muted">Purposes: {c.purposes.map((p) => PURPOSE_LABEL[p] ?? p).join('; ')}</p>
      )}
      {c.goalIds.length > 0 && <p className="muted">Goals: {c.goalIds.map(goalLabel).join('; ')}</p>}
      {describeCorrections(c.corrections, nameOf, timeZone).map((line) => (
        <p key={line} className="correction">
          {line}
        </p>
      ))}
      <CorrectContact contact={c} user={user} />
    </>
  );
}

/**
 * When the server recorded the contact: a contact logged on a later day says so first (issue 35), so an auditor
 * or a supervisor can tell it from one logged on time. Nothing is shown where the server keeps no stamp.
 */
function RecordedLine({ c, timeZone }: { c: Contact; timeZone: string }) {
  const days = daysRecordedAfter(c, timeZone);
  if (!c.recordedAt || days === undefined) return null;
  const when = `Recorded ${formatDateTime(c.recordedAt, timeZone)}`;
  return days >= 1 ? (
    <p className="recorded">
      <strong className="flag">Logged late:</strong> {when}, {recordedLag(days)}
    </p>
  ) : (
    <p className="muted recorded">
      {when}, {recordedLag(days)}
    </p>
  );
}

function Entry({ row, ...rest }: Omit<TimelineProps, 'rows'> & { row: TimelineRow }) {
  return row.kind === 'contact' ? (
    <ContactEntry c={row.contact} {...rest} />
  ) : (
    <MeetingEntry m={row.meeting} {...rest} />
  );
}

function MeetingEntry({
  m,
  timeZone,
  nameOf,
  goalLabel,
}: Omit<TimelineProps, 'rows' | 'user'> & { m: Meeting }) {
  return (
    <>
      <div className="timeline-meta">
        <strong>{formatDateTime(m.start, timeZone)}</strong> · Team meeting · {MEETING_KIND_LABEL[m.kind]}
        {m.end && ` · ${Math.round((Date.parse(m.end) - Date.parse(m.start)) / 60_000)} min`} · with{' '}
        <bdi>{m.attendees.map((a) => a.name).join(', ') || 'no one recorded'}</bdi>
        {m.youthAttended && ' and the youth'} · by <bdi>{nameOf(m.recordedBy)}</bdi>
      </div>
      {m.goalUpdates.map((u) => (
        <p key={u.goalId} className="timeline-note">
          <bdi>{goalLabel(u.goalId)}</bdi>: {u.update}
        </p>
      ))}
      {m.decisions && <p className="muted">Decisions: {m.decisions}</p>}
    </>
  );
}

/** A contact's H2014 units as billed (the 8-minute rule; none for a duration outside 1–480 minutes). */
function unitsLabel(c: Contact): string {
  const units = durationProblem(c) ? 0 : unitsForMinutes(c.durationMinutes);
  return `${units} unit${units === 1 ? '' : 's'}`;
}

function PrintedTimeline({ rows, ...rest }: TimelineProps) {
  // Every printed page carries its number (base.css @page); the first says when and by whom it was printed.
  return (
    <section className="card wide printed-card" aria-labelledby="printed-heading">
      <p className="printed-by">
        Printed {formatDateTime(new Date().toISOString(), rest.timeZone)} by{' '}
        <bdi>{rest.nameOf(rest.user.references[0])}</bdi>
      </p>
      <h2 id="printed-heading">Contact history ({rows.length})</h2>
      <ol className="printed-timeline">
        {rows.map((row) => (
          <li key={row.id}>
            <Entry row={row} {...rest} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function WeeklyGrid({ weeks, timeZone }: { weeks: WeekRow[]; timeZone: string }) {
  const newestFirst = [...weeks].reverse();
  const counts = weeks.map((w) => w.caregiver.evidence.length + w.collateral.evidence.length);
  const max = Math.max(1, ...counts);
  return (
    <section className="card wide" aria-labelledby="weekly-heading">
      <h2 id="weekly-heading">Weekly compliance</h2>
      {weeks.length === 0 ? (
        <p>Weekly contact requirements start with the first FST session.</p>
      ) : (
        <>
          <svg
            className="week-chart"
            role="img"
            aria-label={`Contacts per week over ${weeks.length} weeks, at most ${max} in a week`}
            viewBox={`0 0 ${weeks.length * 6} 40`}
            preserveAspectRatio="none"
          >
            {counts.map((n, i) => (
              <rect
                key={weeks[i].weekStart}
                x={i * 6 + 1}
                y={40 - (n / max) * 38}
                width={4}
                height={(n / max) * 38}
                className={n === 0 ? 'bar-empty' : 'bar'}
              />
            ))}
          </svg>
          {/* Scrolls on its own: focusable, so a keyboard user can scroll it too. */}
          <div
            className="grid-scroller"
            tabIndex={0}
            role="region"
            aria-label="Weekly compliance, scrollable"
          >
            <table aria-label="Weekly compliance">
              <thead>
                <tr>
                  <th scope="col">Week of</th>
                  <th scope="col">Caregiver contact</th>
                  <th scope="col">Collateral contact</th>
                </tr>
              </thead>
              <tbody>
                {newestFirst.map((w) => (
                  <tr key={w.weekStart}>
                    <th scope="row">
                      {formatDate(w.weekStart, timeZone)}
                      {w.partial && <span className="muted"> (partial)</span>}
                      {w.onHold && <span className="muted"> (on hold)</span>}
                    </th>
                    <td>
                      <StatusBadge status={w.caregiver.status} />
                    </td>
                    <td>
                      <StatusBadge status={w.collateral.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
