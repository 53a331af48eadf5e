import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { Workspace } from '../../fhir/workspace';
import { useSession } from '../../app/SessionContext';

/** `tel:` keeps only what a dialer needs. */
const telHref = (tel: string) => `tel:${tel.replace(/[^+0-9]/g, '')}`;

/** Emergency and crisis short codes, and North American numbers with or without area code. */
const PHONE = /(?<![\d-])(?:911|988|(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])?\d{3}[ .-]\d{4})(?![\d-])/g;

/** Text with every telephone number in it as a tap-to-call link (a step says "call 911"). */
export function WithPhoneLinks({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(PHONE)) {
    parts.push(text.slice(last, m.index));
    parts.push(
      <a key={m.index} href={telHref(m[0])}>
        {m[0]}
      </a>,
    );
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

/**
 * The agency's crisis protocol (seed 000 process 12, staffing 9), one tap away on every youth's screen: the
 * steps, the numbers as tap-to-call links, and the youth's safety plan when the chart has one. Everything
 * comes from what is already loaded — opening it makes no request, so it works with no signal.
 */
export function CrisisProtocol({ ws }: { ws: Workspace }) {
  const session = useSession();
  const id = useId();
  const [open, setOpen] = useState(false);
  const { steps, numbers } = session.ehr.crisis;
  return (
    <div className="crisis no-print">
      <button
        type="button"
        className="crisis-button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
      >
        Crisis
      </button>
      {open && (
        <section id={`${id}-panel`} className="card crisis-panel" aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>Crisis protocol</h2>
          <ol>
            {steps.map((s) => (
              <li key={s}>
                <WithPhoneLinks text={s} />
              </li>
            ))}
          </ol>
          <ul className="plain crisis-numbers" aria-label="Crisis numbers">
            {numbers.map((n) => (
              <li key={n.label}>
                <a href={telHref(n.tel)}>
                  {n.label}: {n.tel}
                </a>
                {n.when && <span className="muted"> ({n.when})</span>}
              </li>
            ))}
          </ul>
          <h3>Safety plan</h3>
          {ws.safetyPlans.length === 0 ? (
            <p>No safety plan is in the chart.</p>
          ) : (
            ws.safetyPlans.map((plan) => (
              <div key={plan.id}>
                <p>
                  <strong>{plan.title}</strong>
                  {plan.description && <> — {plan.description}</>}
                </p>
                {plan.steps.length > 0 && (
                  <ol aria-label={`Steps of ${plan.title}`}>
                    {plan.steps.map((s) => (
                      <li key={s}>
                        <WithPhoneLinks text={s} />
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            ))
          )}
        </section>
      )}
    </div>
  );
}
