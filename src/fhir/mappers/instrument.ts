/**
 * The agency's own instruments ⇄ FHIR: a configured Questionnaire parsed into what the app can render
 * (src/domain/instruments.ts), and the answers as a QuestionnaireResponse tagged as an FST outcome measure (so
 * the write guard and the record router treat it as one, whatever its Questionnaire).
 */
import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { z } from '../../schema/z';
import type {
  AgencyInstrument,
  InstrumentAnswers,
  InstrumentItem,
  InstrumentItemType,
  InstrumentOption,
} from '../../domain/instruments';
import { IdentifierSystems, Tags } from '../codes';
import { recordKindOf } from '../recordKind';

const TYPES: readonly InstrumentItemType[] = [
  'display',
  'boolean',
  'integer',
  'decimal',
  'string',
  'text',
  'date',
  'choice',
];

interface RawItem {
  linkId: string;
  text?: string;
  type: string;
  required?: boolean;
  answerOption?: {
    valueCoding?: { system?: string; code?: string; display?: string };
    valueString?: string;
    valueInteger?: number;
  }[];
  item?: RawItem[];
}

const itemSchema: z.ZodMiniType<RawItem> = z.looseObject({
  linkId: z.string().check(z.minLength(1)),
  text: z.optional(z.string()),
  type: z.string(),
  required: z.optional(z.boolean()),
  answerOption: z.optional(
    z.array(
      z.looseObject({
        valueCoding: z.optional(
          z.looseObject({
            system: z.optional(z.string()),
            code: z.optional(z.string()),
            display: z.optional(z.string()),
          }),
        ),
        valueString: z.optional(z.string()),
        valueInteger: z.optional(z.int()),
      }),
    ),
  ),
  get item() {
    return z.optional(z.array(itemSchema));
  },
}) as never;

const questionnaireSchema = z.looseObject({
  resourceType: z.literal('Questionnaire'),
  url: z.url(),
  version: z.optional(z.string()),
  title: z.optional(z.string()),
  name: z.optional(z.string()),
  item: z.array(itemSchema).check(z.minLength(1)),
});

function option(o: NonNullable<RawItem['answerOption']>[number]): InstrumentOption | undefined {
  if (o.valueCoding?.code)
    return {
      kind: 'coding',
      value: o.valueCoding.code,
      system: o.valueCoding.system,
      label: o.valueCoding.display ?? o.valueCoding.code,
    };
  if (o.valueString !== undefined) return { kind: 'string', value: o.valueString, label: o.valueString };
  if (o.valueInteger !== undefined)
    return { kind: 'integer', value: String(o.valueInteger), label: String(o.valueInteger) };
  return undefined;
}

/** Groups are flattened: their heading becomes display text before their questions. */
function flatten(items: readonly RawItem[], out: InstrumentItem[]): string | undefined {
  for (const i of items) {
    if (i.type === 'group') {
      if (i.text) out.push({ linkId: i.linkId, text: i.text, type: 'display', required: false, options: [] });
      const problem = flatten(i.item ?? [], out);
      if (problem) return problem;
      continue;
    }
    if (!TYPES.includes(i.type as InstrumentItemType))
      return `its question “${i.text ?? i.linkId}” is of type ${i.type}, which FST Companion does not render`;
    const options = (i.answerOption ?? []).map(option).filter((o): o is InstrumentOption => o !== undefined);
    if (i.type === 'choice' && options.length === 0)
      return `its question “${i.text ?? i.linkId}” offers no answers (answerValueSet is not read)`;
    out.push({
      linkId: i.linkId,
      text: i.text ?? '',
      type: i.type as InstrumentItemType,
      required: i.required ?? false,
      options,
    });
  }
  return undefined;
}

/** A configured Questionnaire as an instrument the app can render, or why not (in words). */
export function parseInstrument(
  raw: unknown,
): { ok: true; value: AgencyInstrument } | { ok: false; reason: string } {
  const parsed = questionnaireSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'it is not a Questionnaire with a url and items' };
  const q = parsed.data;
  const items: InstrumentItem[] = [];
  const problem = flatten(q.item, items);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, value: { url: q.url, version: q.version, title: q.title ?? q.name ?? q.url, items } };
}

function answerOf(
  item: InstrumentItem,
  value: InstrumentAnswers[string],
): QuestionnaireResponseItem['answer'] {
  if (value === undefined || (typeof value === 'string' && !value.trim())) return undefined;
  switch (item.type) {
    case 'boolean':
      return [{ valueBoolean: value === true }];
    case 'integer':
      return [{ valueInteger: Number(value) }];
    case 'decimal':
      return [{ valueDecimal: Number(value) }];
    case 'date':
      return [{ valueDate: String(value) }];
    case 'choice': {
      const o = item.options.find((x) => x.value === String(value));
      if (!o) return undefined;
      return o.kind === 'coding'
        ? [{ valueCoding: { ...(o.system ? { system: o.system } : {}), code: o.value, display: o.label } }]
        : o.kind === 'integer'
          ? [{ valueInteger: Number(o.value) }]
          : [{ valueString: o.value }];
    }
    default:
      return [{ valueString: String(value).trim() }];
  }
}

export interface InstrumentResponseDraft {
  requestId: string;
  patientId: string;
  serviceRequestId?: string;
  by: string;
  at: Date;
}

/** The answers as a QuestionnaireResponse: conditional-create by the request id, tagged as an outcome measure. */
export function instrumentResponse(
  instrument: AgencyInstrument,
  answers: InstrumentAnswers,
  d: InstrumentResponseDraft,
): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    meta: { tag: [Tags.outcomeMeasure] },
    identifier: { system: IdentifierSystems.clientRequest, value: d.requestId },
    questionnaire: instrument.version ? `${instrument.url}|${instrument.version}` : instrument.url,
    status: 'completed',
    subject: { reference: `Patient/${d.patientId}` },
    ...(d.serviceRequestId ? { basedOn: [{ reference: `ServiceRequest/${d.serviceRequestId}` }] } : {}),
    authored: d.at.toISOString(),
    author: { reference: d.by },
    item: instrument.items
      .filter((i) => i.type !== 'display')
      .flatMap((i) => {
        const answer = answerOf(i, answers[i.linkId]);
        return answer ? [{ linkId: i.linkId, text: i.text, answer }] : [];
      }),
  };
}

export interface InstrumentResponseSummary {
  id: string;
  /** The canonical URL, without a version. */
  questionnaire: string;
  authored: string;
  answered: number;
  /** Each answered question as written: its text and the answer (a number stays a number, for the trend). */
  answers: InstrumentAnswerRead[];
}

export interface InstrumentAnswerRead {
  linkId: string;
  text: string;
  value: string | number | boolean;
}

const answerValueSchema = z.looseObject({
  valueInteger: z.optional(z.number()),
  valueDecimal: z.optional(z.number()),
  valueBoolean: z.optional(z.boolean()),
  valueString: z.optional(z.string()),
  valueDate: z.optional(z.string()),
  valueCoding: z.optional(z.looseObject({ code: z.optional(z.string()), display: z.optional(z.string()) })),
});

/** An answer as the card shows it; undefined for a form the app does not read. */
function answerValue(raw: unknown): string | number | boolean | undefined {
  const a = answerValueSchema.safeParse(raw);
  if (!a.success) return undefined;
  const v = a.data;
  return (
    v.valueInteger ??
    v.valueDecimal ??
    v.valueBoolean ??
    v.valueString ??
    v.valueDate ??
    v.valueCoding?.display ??
    v.valueCoding?.code
  );
}

const responseSchema = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  id: z.string(),
  questionnaire: z.string(),
  status: z.string(),
  authored: z.string(),
  item: z.optional(
    z.array(
      z.looseObject({
        linkId: z.optional(z.string()),
        text: z.optional(z.string()),
        answer: z.optional(z.array(z.unknown())),
      }),
    ),
  ),
});

/** The family's responses to the agency's instruments, newest first; unreadable ones are left out. */
export function instrumentResponses(resources: readonly unknown[]): InstrumentResponseSummary[] {
  return resources
    .flatMap((r): InstrumentResponseSummary[] => {
      // Only a response the guard judges as an outcome measure (tagged): one classification for both.
      if (recordKindOf(r as { resourceType: string }) !== 'outcome-measure') return [];
      const p = responseSchema.safeParse(r);
      if (!p.success || (p.data.status !== 'completed' && p.data.status !== 'amended')) return [];
      return [
        {
          id: p.data.id,
          questionnaire: p.data.questionnaire.split('|')[0],
          authored: p.data.authored,
          answered: (p.data.item ?? []).filter((i) => (i.answer ?? []).length > 0).length,
          answers: (p.data.item ?? []).flatMap((i): InstrumentAnswerRead[] => {
            const value = answerValue(i.answer?.[0]);
            return value === undefined || !i.linkId
              ? []
              : [{ linkId: i.linkId, text: i.text ?? i.linkId, value }];
          }),
        },
      ];
    })
    .sort((a, b) => b.authored.localeCompare(a.authored));
}
