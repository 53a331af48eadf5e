/**
 * Who may do what in FST Companion, decided once from the user's roles. Views ask `decide` to hide or
 * disable an action with its reason; the sandbox enforces the same rules where the data is
 * (sandbox/fhir/guard.ts, through the policy table of src/domain/policy.ts).
 *
 * Roles come from the user's PractitionerRole codes, mapped per EHR in config.json (`roles`): an EHR
 * names its own role codes, the app thinks in these six.
 */

export type StaffRole =
  | 'family-partner'
  | 'senior-family-partner'
  | 'fst-supervisor'
  | 'program-manager'
  | 'care-coordinator'
  | 'clinician';

export const STAFF_ROLES: readonly StaffRole[] = [
  'family-partner',
  'senior-family-partner',
  'fst-supervisor',
  'program-manager',
  'care-coordinator',
  'clinician',
];

export const ROLE_LABEL: Record<StaffRole, string> = {
  'family-partner': 'Family Partner',
  'senior-family-partner': 'Senior Family Partner',
  'fst-supervisor': 'FST supervisor',
  'program-manager': 'Program manager',
  'care-coordinator': 'Care coordinator',
  clinician: 'Clinician',
};

/** Per role, the PractitionerRole codes that mean it: `system|code`, or a bare `code` for any system. */
export type RoleMapping = Record<StaffRole, readonly string[]>;

export interface RoleCode {
  system?: string;
  code?: string;
}

export function rolesFromCodes(codes: readonly RoleCode[], mapping: RoleMapping): Set<StaffRole> {
  const roles = new Set<StaffRole>();
  for (const role of STAFF_ROLES) {
    for (const token of mapping[role]) {
      const bar = token.lastIndexOf('|');
      const system = bar >= 0 ? token.slice(0, bar) : undefined;
      const code = bar >= 0 ? token.slice(bar + 1) : token;
      if (codes.some((c) => c.code === code && (system === undefined || c.system === system)))
        roles.add(role);
    }
  }
  return roles;
}

export type UserKind = 'Practitioner' | 'PractitionerRole' | 'Patient' | 'RelatedPerson' | 'unknown';

export interface AppUser {
  kind: UserKind;
  /** The user's own references: `Practitioner/…` and each of their `PractitionerRole/…`. */
  references: readonly string[];
  roles: ReadonlySet<StaffRole>;
}

export type Action =
  | 'log-contact'
  | 'amend-contact'
  | 'withdraw-contact'
  | 'refer'
  | 'accept-referral'
  | 'assign-family-partner'
  | 'waitlist'
  | 'cancel-referral'
  | 'end-service'
  | 'manage-services'
  | 'discharge'
  | 'report-incident'
  | 'review-incident'
  | 'manage-staff'
  | 'read-family'
  | 'read-staff-records'
  | 'review-claims'
  | 'request-measures-run';

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** What the action is done to, where the rule depends on it. */
export interface ActionSubject {
  /** The contact's author (`Communication.sender`). */
  authorReference?: string;
  /** The referral's owner when a Family Partner is assigned (`Task.owner`). */
  assignedReference?: string;
  /** Who referred (`Task.requester`). */
  requesterReference?: string;
  /**
   * The EHR launched the user on this youth (a patient-level grant): the EHR judged the treating relationship,
   * as a clinician opening the chart.
   */
  launchedOnYouth?: boolean;
  /**
   * The Family Partners the family was moved away from (a transfer), with when: they no longer serve it, and
   * are told so (src/domain/referral.ts `formerPartners`).
   */
  formerlyAssigned?: readonly { reference: string; until: string }[];
}

const FST_STAFF: readonly StaffRole[] = ['family-partner', 'senior-family-partner', 'fst-supervisor'];
const SUPERVISORS: readonly StaffRole[] = ['senior-family-partner', 'fst-supervisor'];
const REFERRERS: readonly StaffRole[] = ['clinician', 'care-coordinator'];
/**
 * Who oversees the whole program: its supervisors and its program managers. A program manager serves no
 * family and writes no clinical record; they read the agency's caseload, quality report and staff records, and
 * their own training is kept like everyone's (seed 000 staffing 6).
 */
const OVERSIGHT: readonly StaffRole[] = [...SUPERVISORS, 'program-manager'];

const hasAny = (user: AppUser, roles: readonly StaffRole[]) => roles.some((r) => user.roles.has(r));

export function isFstStaff(user: Pick<AppUser, 'roles'>): boolean {
  return FST_STAFF.some((r) => user.roles.has(r));
}

export function isSupervisor(user: AppUser): boolean {
  return hasAny(user, SUPERVISORS);
}

/** Reads the agency's caseload, quality report and every staff record (read-only unless a supervisor). */
export function overseesProgram(user: AppUser): boolean {
  return hasAny(user, OVERSIGHT);
}

/** A patient or family member signed in: the app is for staff and says so, in plain words. */
export function staffOnlyRefusal(user: AppUser): string | undefined {
  if (user.kind === 'Patient' || user.kind === 'RelatedPerson')
    return 'FST Companion is for the staff who provide and coordinate Family Support and Training. Families can ask their Family Partner for their records.';
  return undefined;
}

const ok: Decision = { allowed: true };
const no = (reason: string): Decision => ({ allowed: false, reason });

/**
 * Why a Family Partner the family was moved away from (a transfer) may no longer write its record; undefined
 * when she may (a supervisor; the one assigned now, or moved back). Said with the day, so she knows what
 * happened and whom to ask.
 */
function notServingRefusal(user: AppUser, subject: ActionSubject): Decision | undefined {
  if (isSupervisor(user)) return undefined;
  const own = (ref: string | undefined) => ref !== undefined && user.references.includes(ref);
  const moved = (subject.formerlyAssigned ?? []).find((f) => own(f.reference));
  if (moved && !own(subject.assignedReference))
    return no(
      `This family was moved to another Family Partner on ${moved.until.slice(0, 10)}: you no longer serve it, so you cannot write to its record. Ask an FST supervisor if something of yours is missing.`,
    );
  return undefined;
}

export function decide(user: AppUser, action: Action, subject: ActionSubject = {}): Decision {
  const refusal = staffOnlyRefusal(user);
  if (refusal) return no(refusal);
  const own = (ref: string | undefined) => ref !== undefined && user.references.includes(ref);
  switch (action) {
    case 'log-contact':
      return isFstStaff(user)
        ? (notServingRefusal(user, subject) ?? ok)
        : no('Only Family Partners and FST supervisors log FST contacts; they count toward the FST clocks.');
    case 'amend-contact':
    case 'withdraw-contact':
      if (isSupervisor(user)) return ok;
      if (isFstStaff(user) && own(subject.authorReference)) return notServingRefusal(user, subject) ?? ok;
      return no('Only the contact’s author or an FST supervisor can correct it.');
    case 'refer':
      return hasAny(user, REFERRERS) ? ok : no('Only clinicians and care coordinators refer to FST.');
    case 'accept-referral':
    case 'assign-family-partner':
    case 'waitlist':
      return isSupervisor(user)
        ? ok
        : no('Only an FST supervisor can accept, assign or waitlist a referral.');
    case 'cancel-referral':
      // SDOHCC: either side may cancel — the referrer, or the FST provider's supervisor.
      if (isSupervisor(user) || (hasAny(user, REFERRERS) && own(subject.requesterReference))) return ok;
      return no('Only the referring clinician or an FST supervisor can cancel a referral.');
    case 'end-service':
      return isSupervisor(user)
        ? ok
        : no('Only an FST supervisor can cancel an episode in service; ask them, or plan the discharge.');
    case 'manage-services':
      if (isSupervisor(user) || (isFstStaff(user) && own(subject.assignedReference))) return ok;
      return (
        (isFstStaff(user) ? notServingRefusal(user, subject) : undefined) ??
        no('Only the assigned Family Partner or an FST supervisor can start, hold or resume services.')
      );
    case 'discharge':
      if (isSupervisor(user) || (isFstStaff(user) && own(subject.assignedReference))) return ok;
      return (
        (isFstStaff(user) ? notServingRefusal(user, subject) : undefined) ??
        no('Only the assigned Family Partner or an FST supervisor can discharge.')
      );
    case 'report-incident':
      return isFstStaff(user)
        ? ok
        : no('Incident reports here are FST staff’s; report through your own agency.');
    case 'review-incident':
      return isSupervisor(user) ? ok : no('Only an FST supervisor reviews and closes an incident report.');
    case 'manage-staff':
      return isSupervisor(user)
        ? ok
        : no('Only FST supervisors record supervision, training and credentials.');
    case 'read-family':
      // The record store's read rule (src/domain/policy.ts `read`): who serves, oversees or treats the family.
      if (overseesProgram(user)) return ok;
      if (isFstStaff(user) && own(subject.assignedReference)) return ok;
      if (hasAny(user, REFERRERS) && (own(subject.requesterReference) || subject.launchedOnYouth === true))
        return ok;
      return no(
        'A family’s FST record is read by its assigned Family Partner, FST supervisors, program managers and the youth’s treaters (who referred, or whom the EHR opened the chart for).',
      );
    case 'read-staff-records':
      return ok;
    case 'review-claims':
      // Billing is the agency's: who oversees the program prepares it; a Family Partner sees her contacts.
      return overseesProgram(user)
        ? ok
        : no('H2014 claim lines are reviewed by FST supervisors and program managers.');
    case 'request-measures-run':
      // A program manager reads and writes nothing (staffing 6): the supervisor asks.
      return isSupervisor(user)
        ? ok
        : no('A fresh run of the agency’s figures is asked for by an FST supervisor.');
  }
}
