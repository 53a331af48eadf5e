import { readFileSync } from 'node:fs';
import { planFonts } from '../../../../test/support/planFonts';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../../../../test/support/pdfText';
import { loadDischargeMessages } from '../../../i18n/catalogues';
import type { Locale } from '../../../i18n/catalogues';
import type { DischargeDocument } from '../dischargeDocument';
import { dischargePdf } from './dischargePdf';
import { crisisLines } from '../dischargeSetting';
import { parseConfig } from '../../../config/config';

const fonts = planFonts();

/** A 1×1 PNG, as the signature pad would give (base64, no prefix). */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function plan(locale: Locale, extra: Partial<DischargeDocument> = {}): DischargeDocument {
  return {
    locale,
    youth: 'Sofía Ramírez',
    caregiver: 'Lucía Ramírez',
    caregiverGender: 'female',
    youthGender: 'female',
    familyPartner: 'Rosa Alvarez',
    preparedBy: { name: 'Rosa Alvarez', role: 'family-partner' },
    provider: 'Bright Futures Family Services',
    serviceStart: '2026-10-15',
    lastServiceDate: '2026-11-18',
    deadline: '2026-11-25',
    meeting: { date: '2026-11-19', participants: 'Lucía, Rosa, Dr. Samuel' },
    reason: 'goals-met',
    criteria: ['A', 'B'],
    goals: [
      { text: 'Menos berrinches en casa', outcome: 'achieved' },
      { text: 'Sofía tiene un programa después de la escuela', outcome: 'partially-achieved' },
    ],
    strategies: 'Elogios y rutina de la tarde',
    supports: 'Su hermana',
    servicesInPlace: 'Terapia en casa hasta enero',
    resources: 'Grupo de padres los martes',
    followUpPlan: 'Llamada de seguimiento en diciembre',
    crisis: [{ name: 'Línea de crisis', number: '988' }],
    sharedWith: [],
    signature: { kind: 'drawn', png: PNG },
    signedOn: '2026-11-20',
    ...extra,
  };
}

describe('the discharge plan PDF', () => {
  it('is tagged, in Spanish for a Spanish-speaking caregiver, with every section and the goals', async () => {
    const bytes = await dischargePdf(plan('es'), await loadDischargeMessages('es'), fonts);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const pdf = await readPdf(bytes);
    expect(pdf.tagged).toBe(true);
    expect(pdf.lang).toBe('es-US');
    expect(pdf.title).toBe('Plan de alta de Apoyo y Capacitación Familiar');
    const text = pdf.text.replace(/\s+/g, ' ');
    for (const expected of [
      'Plan de alta de Apoyo y Capacitación Familiar',
      'Joven: Sofía Ramírez',
      'Por qué terminan los servicios',
      'Se cumplieron las metas.',
      'Criterios de alta cumplidos',
      'Menos berrinches en casa: lograda',
      'Sofía tiene un programa después de la escuela: lograda en parte',
      'Plan de seguimiento',
      'Llamada de seguimiento en diciembre',
      'Línea de crisis: 988',
      'Último día de servicio: 18 de noviembre de 2026',
      'Solo usted.',
      'Firmado por Lucía Ramírez el 20 de noviembre de 2026.',
      'Para Lucía Ramírez, cuidadora de Sofía Ramírez',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('Why services are ending');
    // Headings, paragraphs, lists and a described signature figure: what a screen reader navigates by.
    expect(pdf.roles).toEqual(
      expect.arrayContaining(['Document', 'H1', 'H2', 'P', 'L', 'LI', 'LBody', 'Figure']),
    );
    expect(pdf.roles.filter((r) => r === 'H2').length).toBeGreaterThanOrEqual(10);
    expect(pdf.alts).toEqual(['Firma de Lucía Ramírez']);
  });

  it('in English for an English-speaking caregiver; a typed signature and shared recipients are stated', async () => {
    const bytes = await dischargePdf(
      plan('en', {
        signature: { kind: 'typed', typedName: 'Lucía Ramírez', confirmed: true },
        sharedWith: ['Dr. Helen Park'],
      }),
      await loadDischargeMessages('en'),
      fonts,
    );
    const pdf = await readPdf(bytes);
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(pdf.lang).toBe('en-US');
    expect(text).toContain('Menos berrinches en casa: achieved');
    expect(text).toContain('Last date of service: November 18, 2026');
    expect(text).toContain('You, and with your consent: Dr. Helen Park');
    expect(text).toContain('typed signature, confirmed by the caregiver');
    expect(pdf.alts).toEqual([]);
  });

  it("every page says whose plan it is and which page of how many; no heading is left alone at a page's foot", async () => {
    const long =
      'Rutina de la mañana, de la tarde y de la noche, con apoyo de la escuela y de la familia. '.repeat(40);
    const messages = await loadDischargeMessages('es');
    const bytes = await dischargePdf(
      plan('es', { strategies: long, supports: long, resources: long, followUpPlan: long }),
      messages,
      fonts,
    );
    const pdf = await readPdf(bytes);
    expect(pdf.pages).toBeGreaterThanOrEqual(3);
    const headings = new Set(
      Object.entries(messages)
        .filter(([id]) => id.startsWith('section.'))
        .map(([, text]) => String(text)),
    );
    pdf.pageTexts.forEach((page, i) => {
      const lines = page
        .split('\n')
        .map((l) => l.replace(/\s+/g, ' ').trim())
        .filter(Boolean);
      const footer = `Sofía Ramírez · página ${i + 1} de ${pdf.pages}`;
      expect(lines).toContain(footer);
      const body = lines.filter((l) => l !== footer);
      expect(headings.has(body.at(-1) ?? ''), `page ${i + 1} ends with "${body.at(-1)}"`).toBe(false);
    });
    // The footer is a pagination artifact: it is not in the structure tree a screen reader follows.
    expect(pdf.roles.filter((r) => r === 'H1')).toHaveLength(1);
  });

  it('Spanish is worded for the caregiver and the youth: their gender where known, neutral otherwise', async () => {
    const messages = await loadDischargeMessages('es');
    const read = async (extra: Partial<DischargeDocument>) =>
      (
        await readPdf(
          await dischargePdf(
            plan('es', {
              signature: { kind: 'typed', typedName: 'Lucía Ramírez', confirmed: true },
              reason: 'no-longer-needed',
              criteria: ['A', 'C'],
              ...extra,
            }),
            messages,
            fonts,
          ),
        )
      ).text.replace(/\s+/g, ' ');
    const her = await read({});
    expect(her).toContain('confirmada por la cuidadora');
    expect(her).toContain('los terapeutas de la joven');
    expect(her).toContain('la joven no está en peligro inminente');
    expect(her).not.toContain('el cuidador');
    const him = await read({ caregiverGender: 'male', youthGender: 'male' });
    expect(him).toContain('confirmada por el cuidador');
    expect(him).toContain('el joven no está');
    const unknown = await read({ caregiverGender: 'other', youthGender: 'other' });
    expect(unknown).toContain('confirmada por la persona cuidadora');
    expect(unknown).toContain('la persona joven no está');
  });

  it('a typed signature stands on a signature line with the name', async () => {
    const bytes = await dischargePdf(
      plan('en', { signature: { kind: 'typed', typedName: 'Lucía Ramírez', confirmed: true } }),
      await loadDischargeMessages('en'),
      fonts,
    );
    const lines = (await readPdf(bytes)).text.split('\n').map((l) => l.trim());
    const at = lines.indexOf('Lucía Ramírez');
    expect(at).toBeGreaterThan(-1);
    expect(lines.slice(at + 1).join(' ')).toContain('Signed by Lucía Ramírez (typed signature');
  });

  it('stopped without notice: no meeting, the outreach attempts listed, the reason for no signature', async () => {
    const bytes = await dischargePdf(
      plan('en', {
        reason: 'terminated-without-notice',
        meeting: undefined,
        outreach: [
          { date: '2026-11-19', method: 'phone' },
          { date: '2026-11-20', method: 'face-to-face' },
        ],
        signature: { kind: 'unsigned', reason: 'No answer to three calls and a home visit' },
      }),
      await loadDischargeMessages('en'),
      fonts,
    );
    const text = (await readPdf(bytes)).text.replace(/\s+/g, ' ');
    expect(text).toContain('No discharge-planning meeting');
    expect(text).toContain('November 19, 2026: phone call, no answer');
    expect(text).toContain('November 20, 2026: in person, no answer');
    expect(text).toContain('Not signed by the caregiver: No answer to three calls and a home visit');
  });
});

describe('the crisis block in the caregiver’s language (seed 000 discharge 5)', () => {
  it('names the configured lines and their hours in Spanish, and says which answer in Spanish', async () => {
    const config = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8')));
    const crisis = crisisLines(config.ehrs[0], 'es');
    const bytes = await dischargePdf(plan('es', { crisis }), await loadDischargeMessages('es'), fonts);
    const text = (await readPdf(bytes)).text.replace(/\s+/g, ' ');
    expect(text).toContain('En caso de crisis');
    expect(text).toContain(
      'Línea de crisis de Harbor Family Services: +1 617 555 0100 (en horario de oficina) · atienden en español',
    );
    expect(text).toContain(
      'Clínico(a) licenciado(a) de guardia: +1 617 555 0199 (noches y fines de semana) · solo en inglés',
    );
    expect(text).not.toContain('business hours');
    expect(text).not.toContain('crisis line');
    // The English plan keeps the English names and says nothing about languages.
    const english = crisisLines(config.ehrs[0], 'en');
    expect(english[0]).toMatchObject({ name: 'Harbor Family Services crisis line', when: 'business hours' });
    const en = (
      await readPdf(
        await dischargePdf(plan('en', { crisis: english }), await loadDischargeMessages('en'), fonts),
      )
    ).text;
    expect(en.replace(/\s+/g, ' ')).toContain(
      'Harbor Family Services crisis line: +1 617 555 0100 (business hours)',
    );
    expect(en).not.toContain('Spanish spoken');
  });
});
