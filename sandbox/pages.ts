/**
 * The sandbox EHR's few HTML pages: the launch page and the standalone sign-in / patient picker.
 * Everything interpolated is escaped; the pages are plain forms, operable by role and name.
 */
import type { Patient, Practitioner, PractitionerRole } from '@medplum/fhirtypes';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export interface Persona {
  id: string;
  name: string;
  role: string;
}

export interface PatientChoice {
  id: string;
  label: string;
}

export function personaList(practitioners: Practitioner[], roles: PractitionerRole[]): Persona[] {
  return practitioners.map((p) => {
    const role = roles.find((r) => r.practitioner?.reference === `Practitioner/${p.id}`);
    const name = p.name?.[0];
    return {
      id: p.id ?? '',
      name: [name?.given?.join(' '), name?.family].filter(Boolean).join(' '),
      role: role?.code?.[0]?.text ?? role?.code?.[0]?.coding?.[0]?.display ?? 'Practitioner',
    };
  });
}

export function patientList(patients: Patient[]): PatientChoice[] {
  return patients
    .map((p) => {
      const name = p.name?.[0];
      return {
        id: p.id ?? '',
        label: `${[name?.given?.join(' '), name?.family].filter(Boolean).join(' ')} (born ${p.birthDate ?? 'unknown'})`,
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}
header{background:#234e70;color:#fff;padding:.75rem 1.5rem}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
label{display:block;font-weight:600;margin-top:1rem}
select,input{font:inherit;width:100%;padding:.4rem;margin-top:.25rem}
button{font:inherit;margin-top:1.5rem;padding:.5rem 1.5rem;background:#234e70;color:#fff;border:0;border-radius:4px;cursor:pointer}
.hint{color:#556;font-size:.9rem}
</style></head>
<body><header>FST Sandbox EHR</header><main>${body}</main></body></html>`;
}

function options(items: { value: string; label: string }[], selected?: string): string {
  return items
    .map(
      (i) =>
        `<option value="${escapeHtml(i.value)}"${i.value === selected ? ' selected' : ''}>${escapeHtml(i.label)}</option>`,
    )
    .join('');
}

function personaOptions(personas: Persona[]): { value: string; label: string }[] {
  return personas.map((p) => ({ value: p.id, label: `${p.name} — ${p.role}` }));
}

export function launchPage(
  personas: Persona[],
  patients: PatientChoice[],
  appLaunchUrl: string,
  fhirBase: string,
): string {
  const standalone = `${appLaunchUrl}?iss=${encodeURIComponent(fhirBase)}`;
  return page(
    'FST Sandbox EHR — launch',
    `<h1>Launch FST Companion</h1>
<p class="hint">An EHR launch, as a clinician would start the app from a patient's chart.</p>
<form method="get" action="/launch">
<input type="hidden" name="app" value="${escapeHtml(appLaunchUrl)}">
<label for="user">User</label>
<select id="user" name="user">${options(personaOptions(personas))}</select>
<label for="patient">Patient</label>
<select id="patient" name="patient">${options(patients.map((p) => ({ value: p.id, label: p.label })))}</select>
<button type="submit">Launch</button>
</form>
<p class="hint">Or a <a href="${escapeHtml(standalone)}">standalone launch</a>, as a Family Partner opening the app directly.</p>
<p class="hint">Or <a href="${escapeHtml(`${standalone}&caseload=1`)}">the caseload and quality report</a> (standalone, no patient), as a Family Partner or supervisor reviewing every family.</p>`,
  );
}

export function pickerPage(
  action: string,
  personas: Persona[],
  patients: PatientChoice[] | undefined,
  clientName: string,
): string {
  return page(
    'FST Sandbox EHR — sign in',
    `<h1>Sign in to ${escapeHtml(clientName)}</h1>
<form method="post" action="${escapeHtml(action)}">
<label for="user">Who are you?</label>
<select id="user" name="user">${options(personaOptions(personas))}</select>
${
  patients
    ? `<label for="patient">Patient</label>
<select id="patient" name="patient">${options(patients.map((p) => ({ value: p.id, label: p.label })))}</select>`
    : ''
}
<button type="submit">Continue</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page(
    'FST Sandbox EHR — error',
    `<h1>Something went wrong</h1><p role="alert">${escapeHtml(message)}</p>`,
  );
}

/** An EHR chart page that embeds the app in an iframe, as EHRs with embedded SMART apps do. */
export function embedPage(patientLabel: string, launchPath: string): string {
  return page(
    'FST Sandbox EHR — chart',
    `<h1>Chart: ${escapeHtml(patientLabel)}</h1>
<iframe title="FST Companion" src="${escapeHtml(launchPath)}" style="width:100%;height:70vh;border:1px solid #ccd"></iframe>`,
  ).replace('max-width:40rem', 'max-width:80rem');
}
