import { describe, expect, it } from 'vitest';
import { contactsToCsvParts, CSV_COLUMNS, exportFileName, initialsOf, timelineToCsvParts } from './csv';

const contactsToCsv = (...args: Parameters<typeof contactsToCsvParts>) =>
  contactsToCsvParts(...args).join('');
import type { Contact } from '../../domain/model';

const labels = {
  timeZone: 'America/New_York',
  name: (r: string | undefined) =>
    r === 'RelatedPerson/1' ? 'Angela Thompson' : r === 'Practitioner/fp' ? 'Rosa Delgado' : '',
  goal: (id: string) => (id === 'g1' ? 'Attend school' : id),
  purpose: (p: string) => p,
};

describe('contacts CSV', () => {
  it('writes the documented columns, local dates and escaped text', () => {
    const contacts: Contact[] = [
      {
        id: '1',
        kind: 'caregiver',
        status: 'completed',
        method: 'phone',
        sent: '2026-11-21T04:30:00Z',
        durationMinutes: 38,
        goalIds: ['g1'],
        purposes: ['coaching', 'guiding'],
        note: 'Said "thanks", then\nhung up',
        recipientReference: 'RelatedPerson/1',
        senderReference: 'Practitioner/fp',
        corrections: [
          { kind: 'amended', at: '2026-11-21T15:05:00Z', by: 'Practitioner/fp' },
          { kind: 'withdrawn', at: '2026-11-22T15:05:00Z', by: 'Practitioner/fp', reason: 'Wrong family' },
        ],
      },
      {
        id: '2',
        kind: 'caregiver',
        status: 'not-done',
        method: 'phone',
        sent: '2026-11-19T15:00:00Z',
        goalIds: [],
        purposes: [],
        attemptReason: 'No answer',
        note: '=HYPERLINK("x")',
      },
    ];
    const lines = contactsToCsv(contacts, labels).split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${CSV_COLUMNS.map(([c]) => c).join(',')}`);
    expect(lines[1]).toBe(
      '2026-11-20,23:30,America/New_York,caregiver,completed,phone,Angela Thompson,Rosa Delgado,38,3,telehealth,10,coaching; guiding,Attend school,,"Said ""thanks"", then\nhung up",' +
        'Amended by Rosa Delgado on 2026-11-21 10:05; Withdrawn by Rosa Delgado on 2026-11-22 10:05: Wrong family,,,,',
    );
    expect(contactsToCsv(contacts, labels)).toContain(`,No answer,"'=HYPERLINK(""x"")",,,,,\r\n`);
  });

  it('says when the server recorded each contact and how many days after it (issue 35)', () => {
    const base: Omit<Contact, 'id' | 'sent'> = {
      kind: 'caregiver',
      status: 'completed',
      method: 'phone',
      goalIds: [],
      purposes: [],
    };
    const contacts: Contact[] = [
      // 9 PM in Boston on the 2nd, recorded 12:30 AM on the 18th (UTC): 15 provider days later.
      { ...base, id: 'late', sent: '2026-11-03T02:00:00Z', recordedAt: '2026-11-18T05:30:00Z' },
      { ...base, id: 'same', sent: '2026-11-19T15:00:00Z', recordedAt: '2026-11-19T16:10:00Z' },
      { ...base, id: 'unknown', sent: '2026-11-19T15:00:00Z' },
    ];
    const rows = contactsToCsv(contacts, labels).split('\r\n');
    const col = (row: string, name: string) => row.split(',')[CSV_COLUMNS.findIndex(([c]) => c === name)];
    expect(col(rows[1], 'recorded_at')).toBe('2026-11-18 00:30');
    expect(col(rows[1], 'recorded_days_after')).toBe('16');
    expect(col(rows[2], 'recorded_at')).toBe('2026-11-19 11:10');
    expect(col(rows[2], 'recorded_days_after')).toBe('0');
    expect(col(rows[3], 'recorded_at')).toBe('');
    expect(col(rows[3], 'recorded_days_after')).toBe('');
  });

  it('says for a video contact the platform and whether the family asked for telehealth (issue 36)', () => {
    const video = (requested: boolean): Contact => ({
      id: String(requested),
      kind: 'caregiver',
      status: 'completed',
      method: 'video',
      sent: '2026-11-21T15:00:00Z',
      durationMinutes: 30,
      goalIds: [],
      purposes: [],
      telehealthPlatform: 'Doxy.me',
      telehealthRequestedByFamily: requested,
    });
    const [header, asked, notAsked] = contactsToCsv([video(true), video(false)], labels).split('\r\n');
    const columns = header.replace('\uFEFF', '').split(',');
    const cell = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    expect(cell(asked, 'telehealth_platform')).toBe('Doxy.me');
    expect(cell(asked, 'telehealth_requested_by_family')).toBe('yes');
    expect(cell(notAsked, 'telehealth_requested_by_family')).toBe('no');
  });

  // Seed 000 service component 5: where the service was given, with the CMS code an H2014 claim line needs.
  it('gives each contact its place of service and CMS place-of-service code', () => {
    const visit: Contact = {
      id: 'v',
      kind: 'caregiver',
      status: 'completed',
      method: 'face-to-face',
      sent: '2026-11-18T15:00:00Z',
      durationMinutes: 60,
      goalIds: [],
      purposes: ['modeling'],
      placeOfService: 'school',
    };
    const written: Contact = { ...visit, id: 'w', method: 'other', placeOfService: undefined };
    const [, school, letter] = contactsToCsvParts([visit, written], labels);
    const col = (row: string, name: string) => row.split(',')[CSV_COLUMNS.findIndex(([c]) => c === name)];
    expect([col(school, 'place_of_service'), col(school, 'pos_code')]).toEqual(['school', '03']);
    expect([col(letter, 'place_of_service'), col(letter, 'pos_code')]).toEqual(['', '']);
  });

  it('names files with initials and dates only', () => {
    expect(
      exportFileName('contacts', initialsOf('Maya', 'Thompson'), '2026-01-05', '2026-11-20', 'csv'),
    ).toBe('FST-contacts-MT-2026-01-05-to-2026-11-20.csv');
    expect(exportFileName('contacts', '../etc', '2026-01-05', '2026-11-20', 'csv')).toBe(
      'FST-contacts-ETC-2026-01-05-to-2026-11-20.csv',
    );
  });

  it('bounds every cell: 2,750 rows naming a 1 MB name stay a file a spreadsheet opens', () => {
    const huge = 'A'.repeat(1_000_000);
    const contacts: Contact[] = Array.from({ length: 2750 }, (_, i) => ({
      id: String(i),
      kind: 'caregiver',
      status: 'completed',
      method: 'phone',
      sent: '2026-11-20T15:00:00Z',
      durationMinutes: 10,
      goalIds: [],
      purposes: [],
      note: huge,
      senderReference: 'Practitioner/huge',
    }));
    const parts = contactsToCsvParts(contacts, { ...labels, name: (r) => (r ? huge : '') });
    expect(parts).toHaveLength(2751);
    const size = parts.reduce((n, p) => n + p.length, 0);
    expect(size).toBeLessThan(100_000_000);
    expect(parts[1]).toContain('… [truncated: 999700 more characters]');
    expect(parts[1]).toContain('… [truncated: 968000 more characters]');
  });

  it('keeps a partial date partial and bills nothing for an impossible duration', () => {
    const [, row] = contactsToCsvParts(
      [
        {
          id: 'p',
          kind: 'caregiver',
          status: 'completed',
          method: 'phone',
          sent: '2026-11',
          durationMinutes: 99_999,
          goalIds: [],
          purposes: ['custom-purpose'],
        },
      ],
      labels,
    );
    expect(
      row.startsWith(
        '2026-11,,America/New_York,caregiver,completed,phone,,,99999,,telehealth,10,custom-purpose,',
      ),
    ).toBe(true);
  });
});

describe('team meetings in the CSV', () => {
  it('are rows in the same columns, typed meeting:<kind>, with the updates as the note and no units', () => {
    const [header, row] = timelineToCsvParts(
      [
        {
          kind: 'meeting',
          id: 'Encounter/m1',
          at: '2026-11-17T15:00:00Z',
          meeting: {
            id: 'm1',
            kind: 'cpt',
            start: '2026-11-17T15:00:00Z',
            end: '2026-11-17T15:45:00Z',
            attendees: [{ reference: 'Practitioner/icc', name: 'Marcus Bell' }, { name: 'Ms. Ortiz' }],
            youthAttended: false,
            goalUpdates: [{ goalId: 'g1', update: 'Three good weeks' }],
            decisions: 'Keep it up',
            recordedBy: 'Practitioner/fp',
          },
        },
      ],
      labels,
    );
    expect(header.startsWith('\uFEFFdate,time,time_zone,type,')).toBe(true);
    expect(row).toBe(
      '2026-11-17,10:00,America/New_York,meeting:cpt,completed,meeting,Marcus Bell; Ms. Ortiz,Rosa Delgado,45,,,,Care Planning Team (ICC),Attend school,,Attend school: Three good weeks; Decisions: Keep it up,,,,,\r\n',
    );
  });
});
