/**
 * Launch contexts: what the EHR (or the standalone picker) decided for one app launch,
 * kept in memory by opaque launch id and, once authorised, by OAuth grant id.
 */
import { randomBytes } from 'node:crypto';

export interface LaunchContext {
  /** Practitioner id of the signed-in user. */
  user: string;
  patient?: string;
  encounter?: string;
  /** SMART `fhirContext` references, e.g. the open referral `Task/…`. */
  fhirContext?: string[];
  needPatientBanner: boolean;
}

const LAUNCH_TTL_MS = 10 * 60 * 1000;

export class LaunchRegistry {
  private readonly byLaunch = new Map<string, { context: LaunchContext; expires: number }>();
  private readonly byGrant = new Map<string, LaunchContext>();

  create(context: LaunchContext): string {
    const id = randomBytes(18).toString('base64url');
    this.byLaunch.set(id, { context, expires: Date.now() + LAUNCH_TTL_MS });
    return id;
  }

  find(id: string | undefined): LaunchContext | undefined {
    if (!id) return undefined;
    const entry = this.byLaunch.get(id);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.byLaunch.delete(id);
      return undefined;
    }
    return entry.context;
  }

  /** Ends a launch once it has been used: a launch id opens one authorization. */
  consume(id: string): void {
    this.byLaunch.delete(id);
  }

  bindGrant(grantId: string, context: LaunchContext): void {
    this.byGrant.set(grantId, context);
  }

  forGrant(grantId: string | undefined): LaunchContext | undefined {
    return grantId ? this.byGrant.get(grantId) : undefined;
  }
}
