/** Entry of index.html, the SMART redirect URL. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startSession } from './fhir/session';
import { App } from './app/App';
import './ui/base.css';

// Module level, once per page load: StrictMode's double effects must not exchange the code twice.
const session = startSession();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
