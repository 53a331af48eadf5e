/**
 * The link just made for her, as the record store answered it: where it went (the site's sender, or nowhere
 * but this screen), until when it works, the code to tell her, and a QR code to scan from this screen.
 */
import { lazy, Suspense } from 'react';
import type { SentLink } from '../../fhir/caregiverRequests';
import { formatDateTime } from '../../ui/format';

const LinkQr = lazy(() => import('../../ui/LinkQr'));

export function SentLinkView({ sent, timeZone }: { sent: SentLink; timeZone: string }) {
  return (
    <div role="status" className="cg-link">
      <p>
        {sent.sender === 'shown'
          ? 'Give her this link'
          : `Sent to her phone or e-mail by ${sent.sender}; the link`}{' '}
        (works once, until {formatDateTime(sent.expiresAt, timeZone)}):{' '}
        <a href={sent.link} className="break">
          {sent.link}
        </a>
      </p>
      {sent.code && (
        <p>
          Tell her this code: <strong data-testid="cg-code">{sent.code}</strong>
        </p>
      )}
      <Suspense fallback={null}>
        <LinkQr text={sent.link} label="QR code of the link: she scans it with her phone’s camera" />
      </Suspense>
    </div>
  );
}
