/** Small, pure date helpers for display. The compliance clocks have their own calendar module. */

/** Whole years between an ISO birth date (YYYY[-MM[-DD]]) and `today`. */
export function ageInYears(birthDate: string | undefined, today: Date): number | undefined {
  if (!birthDate) return undefined;
  const [y, m = 1, d = 1] = birthDate.split('-').map(Number);
  if (!y) return undefined;
  let age = today.getFullYear() - y;
  const beforeBirthday = today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}
