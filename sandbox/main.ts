/** `npm run sandbox`: the sandbox EHR on its own. */
import './env';
import { optionsFromEnv, startSandbox } from './server';

const started = Date.now();
const options = optionsFromEnv();
const sandbox = await startSandbox(options);
process.stdout.write(
  `Sandbox EHR ready in ${Date.now() - started} ms\n` +
    `  launch page  ${sandbox.baseUrl}/\n` +
    `  FHIR base    ${sandbox.fhirBase}\n` +
    `  SMART        ${options.smartVersion}, auth ${options.auth ? 'on' : 'OFF'}\n` +
    (sandbox.store
      ? `  EHR          limited (reads; DocumentReference create only)\n` +
        `  FST store    ${sandbox.store.fhirBase} (token exchange at ${sandbox.store.tokenEndpoint})\n`
      : ''),
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
