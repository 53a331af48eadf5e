/**
 * Seed 000 staffing 9 on the supervisor's caseload: the caregiver services of the report period delivered
 * while no licensed clinician was on call (src/domain/onCall.ts), newest first, each with its family and its
 * Family Partner.
 */
import { useMemo } from 'react';
import { Link } from 'wouter';
import { routes } from '../../app/routes';
import { civilDateOf, civilFromIso } from '../../domain/calendar';
import {
  businessHoursGaps,
  contactsWithoutOnCall,
  DEFAULT_BUSINESS_HOURS,
  hoursLabel,
  licensedOn,
} from '../../domain/onCall';
import type { CaseloadFamily } from '../../fhir/caseload';
import type { FstStaff } from '../../fhir/workspace';
import { formatDateTime } from '../../ui/format';

const SHOWN = 20;

export function OnCallGaps({
  families,
  staff,
  period,
  timeZone,
  today,
}: {
  families: readonly CaseloadFamily[];
  staff: FstStaff;
  period: { from: string; to: string };
  timeZone: string;
  /** YYYY-MM-DD in the agency's time zone: the roster and licences as they stand. */
  today: string;
}) {
  const gaps = useMemo(() => {
    const from = civilFromIso(period.from);
    const to = civilFromIso(period.to);
    return families
      .flatMap((f) =>
        contactsWithoutOnCall(
          f.contacts.filter((c) => {
            const day = civilDateOf(c.sent, timeZone);
            return day >= from && day <= to;
          }),
          staff.onCall,
          timeZone,
        ).map((contact) => ({ family: f, contact })),
      )
      .sort((a, b) => b.contact.sent.localeCompare(a.contact.sent));
  }, [families, staff, period, timeZone]);
  const noRoster = staff.onCall.every((c) => c.hours.length === 0);
  // Staffing 9's other half: "available during normal business hours for consultation".
  const businessGaps = businessHoursGaps(staff.onCall, DEFAULT_BUSINESS_HOURS, today);
  const unlicensed = staff.onCall.filter((c) => c.hours.length > 0 && !licensedOn(c, today));
  return (
    <section className="card wide" aria-labelledby="on-call-heading">
      <h2 id="on-call-heading">
        Caregiver services with no licensed clinician on call <span className="muted">({gaps.length})</span>
      </h2>
      {noRoster ? (
        <p>
          No on-call hours are recorded for the licensed clinicians, so no service in the period is known to
          have been covered (staffing 9). <Link href={`~${routes.staff}`}>Record the on-call roster</Link>.
        </p>
      ) : gaps.length === 0 ? (
        <p>Every caregiver service in the period had a licensed clinician on call (staffing 9).</p>
      ) : (
        <>
          <p className="muted">
            Services delivered outside the <Link href={`~${routes.staff}`}>on-call roster</Link>: cover these
            hours, or check the contacts’ times.
          </p>
          <ul className="plain" aria-label="Services with no clinician on call">
            {gaps.slice(0, SHOWN).map(({ family, contact }) => (
              <li key={contact.id}>
                {formatDateTime(contact.sent, timeZone)} ·{' '}
                <Link href={routes.overview(family.youth.id)}>
                  <bdi>{family.youth.name.full}</bdi>
                </Link>{' '}
                · by <bdi>{staff.names.get(contact.senderReference ?? '') ?? contact.senderReference}</bdi>
              </li>
            ))}
          </ul>
          {gaps.length > SHOWN && <p>and {gaps.length - SHOWN} more in the period.</p>}
        </>
      )}
      <h3>Normal business hours ({DEFAULT_BUSINESS_HOURS.map(hoursLabel).join('; ')})</h3>
      {businessGaps.length === 0 ? (
        <p>A clinician licensed at the independent practice level is on call throughout (staffing 9).</p>
      ) : (
        <ul className="plain" aria-label="Business hours with no licensed clinician on call">
          {businessGaps.map((g) => (
            <li key={hoursLabel(g)}>No licensed clinician on call: {hoursLabel(g)}</li>
          ))}
        </ul>
      )}
      {unlicensed.map((c) => (
        <p key={c.reference} className="muted">
          <bdi>{c.name}</bdi>’s hours count for nothing:{' '}
          {c.licence
            ? `the licence at the independent practice level expired on ${c.licence.end ?? ''}.`
            : 'no licence at the independent practice level is on record.'}
        </p>
      ))}
    </section>
  );
}
