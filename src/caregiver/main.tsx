/**
 * Entry of caregiver.html (issue 39): the caregiver's own pages, on her phone, in her language. Small: React,
 * react-intl and this folder; nothing of the staff screens. The link's token is read from the address's
 * fragment (never sent to a server as part of a URL) and the fragment is removed at once.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CaregiverApp } from './CaregiverApp';
import './caregiver.css';

const params = new URLSearchParams(location.hash.slice(1));
const link = params.get('link') ?? sessionStorage.getItem('fst-caregiver-link') ?? '';
const at = params.get('at') ?? sessionStorage.getItem('fst-caregiver-at') ?? '';
if (params.get('link')) {
  // A reload before she confirms keeps the link in this tab; the address bar and history never show it.
  sessionStorage.setItem('fst-caregiver-link', link);
  sessionStorage.setItem('fst-caregiver-at', at);
  history.replaceState(null, '', location.pathname);
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <CaregiverApp link={link} at={at} />
  </StrictMode>,
);
