/**
 * Boundary parsing helpers: a resource that lacks what the app needs becomes a typed ParseProblem
 * ("Communication/abc has no sent date"), never an exception in a view.
 */
import type { z } from '../../schema/z';
import type { ParseProblem, Parsed } from '../../domain/model';

export function referenceOf(resource: { resourceType: string; id?: string }): string {
  return `${resource.resourceType}/${resource.id ?? '(no id)'}`;
}

export function parseResource<S extends z.ZodMiniType, T>(
  schema: S,
  resource: { resourceType: string; id?: string },
  toDomain: (data: z.infer<S>) => T,
): Parsed<T> {
  const result = schema.safeParse(resource);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      problem: {
        reference: referenceOf(resource),
        message: `${referenceOf(resource)} ${issue.message}`,
      },
    };
  }
  return { ok: true, value: toDomain(result.data) };
}

/** Splits parsed results into values and problems. */
export function partition<T>(results: Parsed<T>[]): {
  values: T[];
  problems: ParseProblem[];
} {
  const values: T[] = [];
  const problems: ParseProblem[] = [];
  for (const r of results) {
    if (r.ok) values.push(r.value);
    else problems.push(r.problem);
  }
  return { values, problems };
}

/** Each problem once: two reads that met the same record or the same failure report it once. */
export function distinctProblems(problems: readonly ParseProblem[]): ParseProblem[] {
  return problems.filter((p, i, all) => all.findIndex((q) => q.message === p.message) === i);
}
