/** Entry of index.html, the SMART redirect URL. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startSession } from './fhir/session';
import { App } from './app/App';
import { startApp } from './app/start';
import './ui/base.css';

// Module level, once per page load: StrictMode's double effects must not exchange the code twice; and a
// patient's first read leaves as soon as the token is there, not after React's first render.
const start = startApp(startSession());

// React logs errors caught by boundaries to the console by default; ours may quote server text about a
// patient, so they are shown on screen by the boundary and logged nowhere.
const silent = () => undefined;
createRoot(document.getElementById('root') as HTMLElement, {
  onCaughtError: silent,
  onUncaughtError: silent,
  onRecoverableError: silent,
}).render(
  <StrictMode>
    <App start={start} />
  </StrictMode>,
);
