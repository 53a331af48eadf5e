/**
 * Provenance ⇄ Correction: the audit trail of amendments and withdrawals. A Provenance targets the record
 * (unversioned, so `_revinclude=Provenance:target` finds it on every server) and names the version it
 * replaced as an entity with role `revision`; activity UPDATE (amended) or NULLIFY (withdrawn).
 */
import type { Provenance } from 'fhir/r4';
import { z } from '../../schema/z';
import type { Correction } from '../../domain/model';
import { codeableConceptSchema, referenceSchema, textOf } from './datatypes';

const ACTIVITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-DataOperation';

const provenanceSchema = z.looseObject({
  resourceType: z.literal('Provenance'),
  target: z.array(referenceSchema),
  recorded: z.string(),
  activity: z.optional(codeableConceptSchema),
  reason: z.optional(z.array(codeableConceptSchema)),
  agent: z.optional(z.array(z.looseObject({ who: z.optional(referenceSchema) }))),
});

/** The corrections in `resources`, by the unversioned reference of the record they correct. */
export function correctionsByTarget(
  resources: readonly { resourceType: string }[],
): Map<string, Correction[]> {
  const map = new Map<string, Correction[]>();
  for (const resource of resources) {
    const parsed = provenanceSchema.safeParse(resource);
    if (!parsed.success) continue;
    const p = parsed.data;
    const code = p.activity?.coding?.find((c) => c.system === ACTIVITY_SYSTEM)?.code;
    // Other Provenance (e.g. a signature) is not a correction.
    if (code !== 'UPDATE' && code !== 'NULLIFY') continue;
    const correction: Correction = {
      kind: code === 'UPDATE' ? 'amended' : 'withdrawn',
      at: p.recorded,
      by: p.agent?.[0]?.who?.reference,
      reason: p.reason?.map(textOf).find(Boolean),
    };
    for (const t of p.target) {
      const ref = t.reference?.replace(/\/_history\/.*$/, '');
      if (ref) map.set(ref, [...(map.get(ref) ?? []), correction]);
    }
  }
  for (const list of map.values()) list.sort((a, b) => (a.at < b.at ? -1 : 1));
  return map;
}

export interface CorrectionWrite {
  /** `Communication/abc`. */
  target: string;
  /** The version the correction replaces. */
  replacedVersion: string;
  kind: Correction['kind'];
  by: string;
  at: string;
  reason?: string;
}

/**
 * Finds an earlier save of this correction (R4 Provenance has no identifier): the same record corrected
 * at the same instant. Servers answer 412 to a conditional create that matches several, so the query
 * uses parameters every server indexes (target, recorded), not the entity's versioned reference.
 */
export function correctionQuery(c: Pick<CorrectionWrite, 'target' | 'at'>): string {
  return `target=${encodeURIComponent(c.target)}&recorded=${encodeURIComponent(c.at)}`;
}

export function correctionProvenance(c: CorrectionWrite): Provenance {
  return {
    resourceType: 'Provenance',
    target: [{ reference: c.target }],
    recorded: c.at,
    activity: {
      coding: [
        c.kind === 'amended'
          ? { system: ACTIVITY_SYSTEM, code: 'UPDATE', display: 'revise' }
          : { system: ACTIVITY_SYSTEM, code: 'NULLIFY', display: 'nullify' },
      ],
    },
    reason: c.reason ? [{ text: c.reason }] : undefined,
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'author',
            },
          ],
        },
        who: { reference: c.by },
      },
    ],
    entity: [{ role: 'revision', what: { reference: `${c.target}/_history/${c.replacedVersion}` } }],
  };
}
