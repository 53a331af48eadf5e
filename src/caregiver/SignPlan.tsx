/**
 * "Sign the plan": the plan draft the Family Partner sent, in her language (the same document model as the
 * PDF, src/features/discharge/DischargePreview.tsx), the PDF to download, with whom it may be shared (each
 * proposed recipient, in plain words), and her signature — typed or drawn, with what each means. Saved as
 * her Provenance and, when she agrees to share, her Consent, with her request done, in one transaction.
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import type { Resource, Task } from 'fhir/r4';
import type { DischargeDocument } from '../features/discharge/dischargeDocument';
import { DischargePreview } from '../features/discharge/DischargePreview';
import {
  caregiverConsent,
  caregiverSignature,
  completedRequest,
  parseCaregiverRequest,
} from '../fhir/mappers/caregiverRequest';
import type { HerSignature } from '../fhir/mappers/caregiverRequest';
import type { Locale } from '../i18n/catalogues';
import type { CaregiverSession } from './api';
import { fhir, saveFailure, submit } from './api';

const SignatureCanvas = lazy(() =>
  import('../features/discharge/SignatureCanvas').then((m) => ({ default: m.SignatureCanvas })),
);

export default function SignPlan({
  session,
  task,
  locale,
}: {
  session: CaregiverSession;
  task: Task;
  locale: Locale;
}) {
  const intl = useIntl();
  const request = useMemo(() => parseCaregiverRequest(task), [task]);
  const document = useMemo(() => {
    try {
      return request?.planDocument ? (JSON.parse(request.planDocument) as DischargeDocument) : undefined;
    } catch {
      return undefined;
    }
  }, [request]);
  const [share, setShare] = useState<string[]>([]);
  const [how, setHow] = useState<'typed' | 'drawn'>('typed');
  const [name, setName] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [png, setPng] = useState<string>();
  const [requestId] = useState(() => crypto.randomUUID());
  const [saved, setSaved] = useState<{ task: Task; shared: string[] }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [pdf, setPdf] = useState<'making' | 'failed'>();
  if (!request) return null;
  // The plan as she reads it says with whom it is shared as she ticks them, in the PDF too.
  const shown: DischargeDocument | undefined = document && {
    ...document,
    locale: document.locale ?? locale,
    sharedWith: request.shareWith.filter((r) => share.includes(r.reference)).map((r) => r.display),
  };
  const pdfHref = request.planPdf ? `data:application/pdf;base64,${request.planPdf.data}` : undefined;
  const done = saved ? parseCaregiverRequest(saved.task) : undefined;
  if (done?.status === 'completed' && saved)
    return (
      <section className="cg-card" aria-labelledby="cg-sign">
        <h2 id="cg-sign">
          <FormattedMessage id="sign.heading" />
        </h2>
        <p role="status" className="cg-done">
          <FormattedMessage id="sign.done" values={{ date: new Date(done.doneAt ?? '') }} />
        </p>
        <p>
          {saved.shared.length ? (
            <FormattedMessage id="sign.sharedWith" values={{ names: saved.shared.join(', ') }} />
          ) : (
            <FormattedMessage id="sign.sharedNone" />
          )}
        </p>
      </section>
    );
  const sign = async (e: FormEvent) => {
    e.preventDefault();
    const signature: HerSignature | undefined =
      how === 'typed'
        ? name.trim() && confirmed
          ? { kind: 'typed', typedName: name }
          : undefined
        : png
          ? { kind: 'drawn', png }
          : undefined;
    if (!signature) return setError(intl.formatMessage({ id: 'sign.missing' }));
    setBusy(true);
    setError(undefined);
    const at = new Date().toISOString();
    const taskId = session.task.split('/')[1];
    const entries: { fullUrl: string; resource: Resource }[] = [
      {
        fullUrl: `urn:uuid:${requestId}`,
        resource: caregiverSignature(
          taskId,
          session.fhirUser,
          signature,
          at,
          intl.formatMessage({ id: 'sign.statement' }),
        ),
      },
    ];
    const chosen = request.shareWith.filter((r) => share.includes(r.reference));
    if (chosen.length)
      entries.push({
        fullUrl: `urn:uuid:${crypto.randomUUID()}`,
        resource: caregiverConsent(
          requestId,
          taskId,
          session.patient,
          session.fhirUser,
          chosen.map((r) => ({ reference: r.reference, display: r.display })),
          at,
        ),
      });
    try {
      const after = await submit(
        session,
        entries,
        completedRequest(
          task,
          entries.map((x) => x.fullUrl),
          at,
        ),
      );
      // What she agreed to, as the server holds it: the recipients of her consent, read back.
      const written = parseCaregiverRequest(after)?.written ?? [];
      const consent = written.find((r) => r.startsWith('Consent/'));
      const held = consent
        ? await fhir<{ provision?: { actor?: { reference?: { reference?: string; display?: string } }[] } }>(
            session,
            consent,
          )
        : undefined;
      const shared = (held?.provision?.actor ?? []).map(
        (a) => a.reference?.display ?? a.reference?.reference ?? '',
      );
      setSaved({ task: after, shared });
    } catch (err) {
      setError(intl.formatMessage({ id: 'save.failed' }, saveFailure(session, err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <section className="cg-card" aria-labelledby="cg-plan">
        <h2 id="cg-plan">
          <FormattedMessage id="plan.heading" />
        </h2>
        {shown && <DischargePreview document={shown} />}
        {pdfHref ? (
          <a className="cg-secondary" href={pdfHref} download="plan.pdf">
            <FormattedMessage id="plan.pdf" />
          </a>
        ) : (
          shown && (
            <button
              type="button"
              className="cg-secondary"
              disabled={pdf === 'making'}
              onClick={() => {
                setPdf('making');
                import('./planPdf')
                  .then((m) => m.downloadPlanPdf(shown))
                  .then(
                    () => setPdf(undefined),
                    () => setPdf('failed'),
                  );
              }}
            >
              <FormattedMessage id={pdf === 'making' ? 'plan.pdf.making' : 'plan.pdf'} />
            </button>
          )
        )}
        {pdf === 'failed' && (
          <p role="alert" className="cg-error">
            <FormattedMessage id="plan.pdf.failed" />
          </p>
        )}
      </section>
      <form className="cg-card" aria-labelledby="cg-sign" onSubmit={(e) => void sign(e)} noValidate>
        {request.shareWith.length > 0 && (
          <fieldset className="cg-question">
            <legend>
              <FormattedMessage id="share.heading" />
            </legend>
            <p>
              <FormattedMessage id="share.intro" />
            </p>
            {request.shareWith.map((r) => (
              <label key={r.reference} className="cg-choice">
                <input
                  type="checkbox"
                  checked={share.includes(r.reference)}
                  onChange={(e) =>
                    setShare(
                      e.target.checked ? [...share, r.reference] : share.filter((x) => x !== r.reference),
                    )
                  }
                />
                {r.display}
              </label>
            ))}
          </fieldset>
        )}
        <h2 id="cg-sign">
          <FormattedMessage id="sign.heading" />
        </h2>
        <fieldset className="cg-question">
          <legend>
            <FormattedMessage id="sign.how" />
          </legend>
          <label className="cg-choice">
            <input type="radio" name="how" checked={how === 'typed'} onChange={() => setHow('typed')} />
            <FormattedMessage id="sign.typed" />
          </label>
          <label className="cg-choice">
            <input type="radio" name="how" checked={how === 'drawn'} onChange={() => setHow('drawn')} />
            <FormattedMessage id="sign.drawn" />
          </label>
        </fieldset>
        {how === 'typed' ? (
          <>
            <p className="cg-hint">
              <FormattedMessage id="sign.typed.means" />
            </p>
            <label htmlFor="cg-name">
              <FormattedMessage id="sign.name" />
            </label>
            <input id="cg-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            <label className="cg-choice">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              <FormattedMessage id="sign.confirm" />
            </label>
          </>
        ) : (
          <>
            <p className="cg-hint">
              <FormattedMessage id="sign.drawn.means" />
            </p>
            <Suspense fallback={null}>
              <SignatureCanvas
                label={intl.formatMessage({ id: 'sign.canvas' })}
                onChange={(v) => setPng(v.png)}
              />
            </Suspense>
          </>
        )}
        {error && (
          <p role="alert" className="cg-error">
            {error}
          </p>
        )}
        <button type="submit" className="cg-primary" disabled={busy}>
          <FormattedMessage id={busy ? 'saving' : 'sign.submit'} />
        </button>
      </form>
    </>
  );
}
