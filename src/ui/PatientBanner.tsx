import type { Caregiver, Youth } from '../domain/model';
import { formerLabel } from '../domain/caregivers';
import { ageInYears } from '../domain/dates';
import { formatDate } from './format';

/** The patient banner (shown when the EHR sets need_patient_banner). */
export function PatientBanner({
  youth,
  caregivers,
  today,
}: {
  youth: Youth;
  caregivers: Caregiver[];
  today: Date;
}) {
  const age = ageInYears(youth.birthDate, today);
  return (
    <section className="patient-banner" aria-label="Patient">
      <h1 className="patient-name">
        <bdi>{youth.name.full}</bdi>
      </h1>
      <dl className="inline-facts">
        <div>
          <dt>Born</dt>
          <dd>
            {formatDate(youth.birthDate, 'UTC')}
            {age !== undefined && ` (${age} y)`}
          </dd>
        </div>
        {youth.gender && (
          <div>
            <dt>Gender</dt>
            <dd>{youth.gender}</dd>
          </div>
        )}
        <div>
          <dt>Caregivers</dt>
          <dd>
            {caregivers.length === 0
              ? 'None recorded'
              : caregivers.map((c, i) => (
                  <span key={c.reference}>
                    {i > 0 && ', '}
                    <bdi>{c.name.full}</bdi> ({c.relationship}
                    {c.former ? `, ${formerLabel(c)}` : ''})
                  </span>
                ))}
          </dd>
        </div>
      </dl>
    </section>
  );
}
