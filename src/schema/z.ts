/**
 * zod for the app: the tree-shakable `zod/mini` (≈ 6 kB gzip of the initial JS instead of ≈ 24 kB for
 * classic zod), with plain-English messages for the issues a schema does not word itself. Every module
 * imports `z` from here, never from zod, so the messages are configured before anything is parsed.
 */
import { z } from 'zod/mini';
import type { core } from 'zod/mini';

/**
 * A predicate about the thing parsed, worded like the schemas' own messages ("has no sent date"), so
 * that "Communication/abc " + message reads as a sentence. Only the path is named, never the value:
 * values are patient data.
 */
export function defaultMessage(issue: core.$ZodRawIssue): string {
  const where = issue.path?.length ? issue.path.join('.') : '';
  const what = where ? `${where} ` : 'a value ';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `has no ${where || 'value'}`
        : `has ${what}of the wrong type (${issue.expected} expected)`;
    case 'invalid_value':
    case 'invalid_union':
      return `has ${what}that is not one of the allowed values`;
    case 'invalid_format':
      return `has ${what}that is not a valid ${issue.format}`;
    case 'too_small':
      return `has ${what}that is too short or too small`;
    case 'too_big':
      return `has ${what}that is too long or too large`;
    default:
      return `has ${what}that cannot be read`;
  }
}

z.config({ customError: defaultMessage });

export { z };
