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

const zoneNames = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at `at` ("ET", "PT"): named beside every time shown, exported or printed. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  let f = zoneNames.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortGeneric' });
    zoneNames.set(timeZone, f);
  }
  return f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

const partialFormats = {
  month: new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short' }),
};

/** A date without a day stays what it is ("Nov 2026", "2026"): never a made-up instant. */
function formatPartial(value: string): string | undefined {
  if (/^\d{4}$/.test(value)) return value;
  if (/^\d{4}-\d{2}$/.test(value)) return partialFormats.month.format(new Date(`${value}-01T00:00:00Z`));
  return undefined;
}

/** A FHIR date (YYYY-MM-DD) has no time zone: format it as the calendar date it names. */
export function formatDate(value: string | undefined, timeZone: string): string {
  if (!value) return '—';
  const partial = formatPartial(value);
  if (partial) return partial;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    // 2013-02-30 would roll over to March 2: a day that does not exist is shown as written, and said so.
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
      return `${value} (not a valid date)`;
    return formatter('UTC', false).format(date);
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : formatter(timeZone, false).format(date);
}

/** Date and time in the provider's zone, with the zone named: "Nov 20, 2026, 10:00 AM ET". */
export function formatDateTime(value: string | undefined, timeZone: string): string {
  if (!value) return '—';
  const partial = formatPartial(value);
  if (partial) return partial;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value, timeZone);
  const date = new Date(value);
  return Number.isNaN(date.getTime())
    ? value
    : `${formatter(timeZone, true).format(date)} ${zoneLabel(timeZone, date)}`;
}

/**
 * Isolates text from its surroundings for bidirectional display (FSI … PDI), for places that take a
 * string (an <option>, a title). Elsewhere names are wrapped in <bdi>. A right-to-left override inside a
 * name then cannot reorder the text around it.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
