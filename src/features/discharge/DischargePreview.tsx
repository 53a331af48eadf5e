/**
 * The plan as the caregiver will read it, in their language, from the same blocks as the PDF. Loaded
 * lazily with react-intl and the one catalogue it needs.
 */
import { useEffect, useState } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import type { Messages } from '../../i18n/catalogues';
import { LANGUAGE_TAG, loadDischargeMessages } from '../../i18n/catalogues';
import type { DischargeDocument } from './dischargeDocument';
import { documentBlocks } from './dischargeDocument';

export function DischargePreview({ document }: { document: DischargeDocument }) {
  const [messages, setMessages] = useState<{ locale: string; messages: Messages }>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    loadDischargeMessages(document.locale).then(
      (m) => live && setMessages({ locale: document.locale, messages: m }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [document.locale]);
  if (failed) return <p role="alert">The preview could not be loaded. Check the connection and try again.</p>;
  if (!messages || messages.locale !== document.locale) return <p role="status">Loading the preview…</p>;
  const lang = LANGUAGE_TAG[document.locale];
  return (
    // Civil dates are UTC midnights (civilDay): formatted in UTC they are the same day everywhere.
    <IntlProvider locale={lang} messages={messages.messages} timeZone="UTC">
      <Blocks document={document} lang={lang} />
    </IntlProvider>
  );
}

function Blocks({ document, lang }: { document: DischargeDocument; lang: string }) {
  const intl = useIntl();
  const blocks = documentBlocks(document, (id, values) => intl.formatMessage({ id }, values));
  return (
    <article className="plan-preview" lang={lang} aria-label="Preview of the discharge plan">
      {blocks.map((b, i) => {
        switch (b.kind) {
          case 'title':
            return <h3 key={i}>{b.text}</h3>;
          case 'heading':
            return <h4 key={i}>{b.text}</h4>;
          case 'paragraph':
            return (
              <p key={i} className="preserve-lines">
                {b.text}
              </p>
            );
          case 'list':
            return (
              <ul key={i}>
                {b.items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            );
          case 'signature':
            return (
              <img key={i} src={`data:image/png;base64,${b.png}`} alt={b.alt} className="signature-image" />
            );
          case 'signature-line':
            return (
              <p key={i} className="signature-line">
                {b.name}
              </p>
            );
        }
      })}
    </article>
  );
}
