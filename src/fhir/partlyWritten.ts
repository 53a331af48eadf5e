import { FhirError } from './http';

/**
 * A write across both servers whose EHR part is stored and whose store part is not: the user is told exactly
 * what is where, and that writing again finishes it (the EHR part is a conditional create: never twice).
 */
export class PartlyWrittenError extends Error {
  override name = 'PartlyWrittenError';
  constructor(
    readonly storeName: string,
    override readonly cause: unknown,
  ) {
    const why = cause instanceof FhirError ? ` (${cause.message})` : '';
    super(
      `The part written to the EHR is there; ${storeName} did not save its part${why}. Save again to finish: nothing will be written twice.`,
    );
  }
}
