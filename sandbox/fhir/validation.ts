/**
 * Write-time validation for the sandbox: structure and cardinality (by @medplum/core),
 * required terminology bindings (which @medplum/core only collects), and our own profiles
 * when `meta.profile` names one. Any error becomes a 400 OperationOutcome.
 */
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type {
  CodeSystemConcept,
  Coding,
  OperationOutcomeIssue,
  Resource,
  ValueSet,
} from '@medplum/fhirtypes';
import { getCodeSystem, getProfile, getValueSet, loadDefinitions } from './definitions';

/** undefined = the value set cannot be expanded here (filters, external code system): not checked. */
const expansionCache = new Map<string, Set<string> | undefined>();

function flatten(concepts: CodeSystemConcept[] | undefined, system: string, into: Set<string>): void {
  for (const c of concepts ?? []) {
    into.add(`${system}|${c.code}`);
    flatten(c.concept, system, into);
  }
}

export function expandValueSet(url: string, seen = new Set<string>()): Set<string> | undefined {
  const key = url.split('|')[0];
  if (expansionCache.has(key)) return expansionCache.get(key);
  if (seen.has(key)) return undefined;
  seen.add(key);
  const vs = getValueSet(key);
  const result = vs ? computeExpansion(vs, seen) : undefined;
  expansionCache.set(key, result);
  return result;
}

function computeExpansion(vs: ValueSet, seen: Set<string>): Set<string> | undefined {
  if (vs.expansion?.contains?.length) {
    return new Set(vs.expansion.contains.map((c) => `${c.system}|${c.code}`));
  }
  const codes = new Set<string>();
  for (const inc of vs.compose?.include ?? []) {
    if (inc.filter?.length) return undefined;
    const parts: Set<string>[] = [];
    if (inc.system) {
      const part = new Set<string>();
      if (inc.concept?.length) {
        for (const c of inc.concept) part.add(`${inc.system}|${c.code}`);
      } else {
        const cs = getCodeSystem(inc.system);
        if (!cs?.concept?.length) return undefined;
        flatten(cs.concept, inc.system, part);
      }
      parts.push(part);
    }
    for (const ref of inc.valueSet ?? []) {
      const part = expandValueSet(ref, seen);
      if (!part) return undefined;
      parts.push(part);
    }
    // Within one include, system and valueSet constraints intersect.
    const [first, ...rest] = parts;
    for (const code of first ?? []) if (rest.every((p) => p.has(code))) codes.add(code);
  }
  for (const exc of vs.compose?.exclude ?? []) {
    for (const c of exc.concept ?? []) codes.delete(`${exc.system}|${c.code}`);
  }
  return codes;
}

function codingInSet(coding: Coding, codes: Set<string>): boolean {
  if (!coding.code) return false;
  if (coding.system) return codes.has(`${coding.system}|${coding.code}`);
  return false;
}

function codeInSet(code: string, codes: Set<string>): boolean {
  for (const entry of codes) if (entry.endsWith(`|${code}`)) return true;
  return false;
}

interface CollectedToken {
  type: string;
  value: unknown;
  path: string;
}

function checkBinding(valueSetUrl: string, token: CollectedToken): OperationOutcomeIssue | undefined {
  const codes = expandValueSet(valueSetUrl);
  if (!codes) return undefined;
  let ok: boolean;
  let shown: string;
  if (token.type === 'code' || token.type === 'string' || token.type === 'uri') {
    ok = codeInSet(String(token.value), codes);
    shown = String(token.value);
  } else if (token.type === 'Coding') {
    const coding = token.value as Coding;
    ok = codingInSet(coding, codes);
    shown = `${coding.system ?? ''}|${coding.code ?? ''}`;
  } else if (token.type === 'CodeableConcept') {
    const codings = (token.value as { coding?: Coding[] }).coding ?? [];
    ok = codings.some((c) => codingInSet(c, codes));
    shown = codings.map((c) => `${c.system ?? ''}|${c.code ?? ''}`).join(', ') || '(no coding)';
  } else {
    return undefined;
  }
  if (ok) return undefined;
  return {
    severity: 'error',
    code: 'code-invalid',
    details: {
      text: `Value "${shown}" is not in the required value set ${valueSetUrl}`,
    },
    expression: [token.path],
  };
}

/** Throws OperationOutcomeError (400) when the resource is invalid. */
export function validateForWrite(resource: Resource): void {
  loadDefinitions();
  const issues: OperationOutcomeIssue[] = [];
  const targets = [undefined, ...(resource.meta?.profile ?? [])];
  for (const profileUrl of targets) {
    const profile = profileUrl ? getProfile(profileUrl) : undefined;
    if (profileUrl && !profile) {
      issues.push({
        severity: 'error',
        code: 'not-supported',
        details: { text: `Unknown profile ${profileUrl}` },
        expression: ['meta.profile'],
      });
      continue;
    }
    const tokens: Record<string, CollectedToken[]> = {};
    try {
      issues.push(
        ...validateResource(resource, { profile, collect: { tokens } }).filter((i) => i.severity === 'error'),
      );
    } catch (err) {
      if (err instanceof OperationOutcomeError) issues.push(...(err.outcome.issue ?? []));
      else throw err;
    }
    for (const [valueSetUrl, values] of Object.entries(tokens)) {
      for (const token of values) {
        const issue = checkBinding(valueSetUrl, token);
        if (issue) issues.push(issue);
      }
    }
  }
  if (issues.length) {
    throw new OperationOutcomeError({
      resourceType: 'OperationOutcome',
      issue: dedupe(issues),
    });
  }
}

function dedupe(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.details?.text}|${i.expression?.join()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
