/** Display formatting in the provider's configured time zone. */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      ...(withTime ? { hour: 'numeric', minute: '2-digit' } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

/** A FHIR date (YYYY-MM-DD) has no time zone: format it as the calendar date it names. */
export function formatDate(value: string | undefined, timeZone: string): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return formatter('UTC', false).format(new Date(`${value}T00:00:00Z`));
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : formatter(timeZone, false).format(date);
}

export function formatDateTime(value: string | undefined, timeZone: string): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : formatter(timeZone, true).format(date);
}
