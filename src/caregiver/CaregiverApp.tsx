/**
 * The caregiver's pages: the link's state, "is it you", then what the Family Partner asked (sign the plan, or
 * answer the survey), with her next meeting, her Family Partner and the crisis lines. Every confirmation is
 * read back from the server; every failure names the server.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { FormattedMessage, IntlProvider, useIntl } from 'react-intl';
import type { Practitioner, Task } from 'fhir/r4';
import type { Locale, Messages } from '../i18n/catalogues';
import type { CaregiverSession, LinkInfo } from './api';
import { linkInfo, loadHome, openLink, ServerError } from './api';
import { CRISIS_NUMBERS } from './crisis';

const SignPlan = lazy(() => import('./SignPlan'));
const Survey = lazy(() => import('./Survey'));

const CATALOGUES: Record<Locale, () => Promise<{ default: Messages }>> = {
  en: () => import('../i18n/caregiver/en.json'),
  es: () => import('../i18n/caregiver/es.json'),
};
const TAG: Record<Locale, string> = { en: 'en-US', es: 'es-US' };
const localeOf = (tag: string | undefined): Locale | undefined =>
  tag?.toLowerCase().startsWith('es') ? 'es' : tag?.toLowerCase().startsWith('en') ? 'en' : undefined;

/** The servers config.json lists: a link naming any other is refused (it could be someone else's page). */
async function listedServers(): Promise<string[]> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  const config = (await res.json()) as { ehrs?: { iss?: string[]; recordStore?: { fhirBase?: string } }[] };
  return (config.ehrs ?? []).flatMap((e) => [
    ...(e.iss ?? []),
    ...(e.recordStore?.fhirBase ? [e.recordStore.fhirBase] : []),
  ]);
}

export function CaregiverApp({ link, at }: { link: string; at: string }) {
  const [locale, setLocale] = useState<Locale>(localeOf(navigator.language) ?? 'en');
  const [messages, setMessages] = useState<{ locale: Locale; messages: Messages }>();
  useEffect(() => {
    let live = true;
    void CATALOGUES[locale]().then((m) => live && setMessages({ locale, messages: m.default }));
    return () => {
      live = false;
    };
  }, [locale]);
  useEffect(() => {
    document.documentElement.lang = TAG[locale];
  }, [locale]);
  if (!messages || messages.locale !== locale) return <p role="status">Loading… · Cargando…</p>;
  return (
    <IntlProvider locale={TAG[locale]} messages={messages.messages}>
      <div className="cg-page">
        <header className="cg-header">
          <h1>
            <FormattedMessage id="title" />
          </h1>
          <button
            type="button"
            className="cg-language"
            lang={locale === 'en' ? 'es' : 'en'}
            onClick={() => setLocale(locale === 'en' ? 'es' : 'en')}
          >
            <FormattedMessage id="language" />
          </button>
        </header>
        <main>
          <Flow link={link} at={at} locale={locale} onLanguage={(l) => setLocale(l)} />
        </main>
        <Crisis locale={locale} />
      </div>
    </IntlProvider>
  );
}

type Phase =
  | { kind: 'checking' }
  | { kind: 'closed'; state: LinkInfo['state'] }
  | { kind: 'failed'; server: string }
  | { kind: 'confirm'; info: LinkInfo }
  | { kind: 'open'; session: CaregiverSession; purpose: NonNullable<LinkInfo['purpose']> };

function Flow({
  link,
  at,
  locale,
  onLanguage,
}: {
  link: string;
  at: string;
  locale: Locale;
  onLanguage: (l: Locale) => void;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  useEffect(() => {
    let live = true;
    (async () => {
      if (!link || !at || !(await listedServers()).includes(at))
        return { kind: 'closed', state: 'unknown' } as const;
      const info = await linkInfo(at, link);
      const language = localeOf(info.language);
      if (language) onLanguage(language);
      return info.state === 'sent' && info.purpose
        ? ({ kind: 'confirm', info } as const)
        : ({ kind: 'closed', state: info.state } as const);
    })().then(
      (p) => live && setPhase(p),
      (err: unknown) =>
        live &&
        setPhase({
          kind: 'failed',
          server: err instanceof ServerError ? err.server : new URL(at || location.href).host,
        }),
    );
    return () => {
      live = false;
    };
    // The link is read once; the language it names is only a first choice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [link, at]);
  switch (phase.kind) {
    case 'checking':
      return (
        <p role="status">
          <FormattedMessage id="loading" />
        </p>
      );
    case 'closed':
      return (
        <p role="alert" className="cg-notice">
          <FormattedMessage
            id={`link.${phase.state === 'opened' ? 'used' : phase.state === 'sent' ? 'unknown' : phase.state}`}
          />
        </p>
      );
    case 'failed':
      return (
        <p role="alert" className="cg-notice">
          <FormattedMessage id="link.failed" values={{ server: phase.server }} />
        </p>
      );
    case 'confirm':
      return (
        <Confirm
          info={phase.info}
          at={at}
          link={link}
          onOpen={(session) => {
            sessionStorage.removeItem('fst-caregiver-link');
            setPhase({ kind: 'open', session, purpose: phase.info.purpose ?? 'answer-survey' });
          }}
        />
      );
    case 'open':
      return <Home session={phase.session} purpose={phase.purpose} locale={locale} />;
  }
}

function Confirm({
  info,
  at,
  link,
  onOpen,
}: {
  info: LinkInfo;
  at: string;
  link: string;
  onOpen: (s: CaregiverSession) => void;
}) {
  const intl = useIntl();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const proof = info.proof ?? 'birth-date';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await openLink(at, link, answer);
      if (result.ok) return onOpen(result.session);
      const left = /(\d+) tries left/.exec(result.message)?.[1];
      setError(
        left
          ? intl.formatMessage({ id: 'confirm.wrong' }, { left: Number(left) })
          : intl.formatMessage({
              id: /locked/.test(result.message)
                ? 'link.locked'
                : /used/.test(result.message)
                  ? 'link.used'
                  : /expired/.test(result.message)
                    ? 'link.expired'
                    : 'link.unknown',
            }),
      );
    } catch (err) {
      setError(
        intl.formatMessage({ id: 'link.failed' }, { server: err instanceof ServerError ? err.server : at }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="cg-card" noValidate>
      <h2>
        <FormattedMessage id="confirm.heading" />
      </h2>
      <p>
        <FormattedMessage id={`confirm.purpose.${info.purpose ?? 'answer-survey'}`} />
      </p>
      <label htmlFor="cg-answer">
        <FormattedMessage id={`confirm.${proof}`} />
      </label>
      <input
        id="cg-answer"
        type={proof === 'birth-date' ? 'date' : 'text'}
        inputMode={proof === 'code' ? 'numeric' : undefined}
        autoComplete="off"
        value={answer}
        onChange={(e) => setAnswer(e.target.value)}
        aria-describedby="cg-why"
        aria-invalid={error ? true : undefined}
        required
      />
      <p id="cg-why" className="cg-hint">
        <FormattedMessage id="confirm.why" />
      </p>
      {error && (
        <p role="alert" className="cg-error">
          {error}
        </p>
      )}
      <button type="submit" className="cg-primary" disabled={busy || !answer.trim()}>
        <FormattedMessage id="confirm.submit" />
      </button>
    </form>
  );
}

function Home({
  session,
  purpose,
  locale,
}: {
  session: CaregiverSession;
  purpose: NonNullable<LinkInfo['purpose']>;
  locale: Locale;
}) {
  const [home, setHome] = useState<{ task: Task; fp?: Practitioner; nextMeeting?: string }>();
  const [failed, setFailed] = useState<string>();
  useEffect(() => {
    loadHome(session).then(setHome, (err: unknown) =>
      setFailed(err instanceof ServerError ? err.server : ''),
    );
  }, [session]);
  if (failed !== undefined)
    return (
      <p role="alert" className="cg-notice">
        <FormattedMessage id="link.failed" values={{ server: failed }} />
      </p>
    );
  if (!home)
    return (
      <p role="status">
        <FormattedMessage id="loading" />
      </p>
    );
  const fallback = (
    <p role="status">
      <FormattedMessage id="loading" />
    </p>
  );
  return (
    <>
      <Suspense fallback={fallback}>
        {purpose === 'sign-plan' ? (
          <SignPlan session={session} task={home.task} locale={locale} />
        ) : (
          <Survey session={session} task={home.task} locale={locale} />
        )}
      </Suspense>
      <Section heading="meeting.heading">
        {home.nextMeeting ? (
          <p>
            <FormattedMessage id="meeting.when" values={{ date: new Date(home.nextMeeting) }} />
          </p>
        ) : (
          <p>
            <FormattedMessage id="meeting.none" />
          </p>
        )}
      </Section>
      {home.fp && <FamilyPartner fp={home.fp} />}
    </>
  );
}

function Section({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <section className="cg-card" aria-labelledby={`cg-${heading}`}>
      <h2 id={`cg-${heading}`}>
        <FormattedMessage id={heading} />
      </h2>
      {children}
    </section>
  );
}

function FamilyPartner({ fp }: { fp: Practitioner }) {
  const name = [fp.name?.[0]?.given?.join(' '), fp.name?.[0]?.family].filter(Boolean).join(' ');
  const phone = fp.telecom?.find((t) => t.system === 'phone')?.value;
  return (
    <Section heading="fp.heading">
      <p className="cg-name">{name}</p>
      {phone && (
        <a className="cg-call" href={`tel:${phone.replace(/[^\d+]/g, '')}`}>
          <FormattedMessage id="fp.call" values={{ name: fp.name?.[0]?.given?.[0] ?? name }} /> · {phone}
        </a>
      )}
    </Section>
  );
}

/** The crisis lines are part of this page's code: they show without a connection. */
function Crisis({ locale }: { locale: Locale }) {
  return (
    <aside className="cg-card cg-crisis" aria-labelledby="cg-crisis">
      <h2 id="cg-crisis">
        <FormattedMessage id="crisis.heading" />
      </h2>
      <p>
        <FormattedMessage id="crisis.danger" />
      </p>
      <ul>
        {CRISIS_NUMBERS.map((n) => {
          const label = (locale === 'es' && n.es?.label) || n.label;
          const when = (locale === 'es' && n.es?.when) || n.when;
          return (
            <li key={n.tel}>
              <a className="cg-call" href={`tel:${n.tel.replace(/[^\d+]/g, '')}`}>
                <FormattedMessage id="crisis.call" values={{ label }} /> · {n.tel}
              </a>
              {when && <span className="cg-hint"> ({when})</span>}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
