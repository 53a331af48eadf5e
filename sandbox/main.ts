/** `npm run sandbox`: the sandbox EHR on its own. */
import './env';
import { optionsFromEnv, startSandbox } from './server';
import { credentialsPath, writeCredentials } from './auth/backendClient';

const started = Date.now();
const options = optionsFromEnv();
const sandbox = await startSandbox(options);
process.stdout.write(
  `Sandbox EHR ready in ${Date.now() - started} ms\n` +
    `  launch page  ${sandbox.baseUrl}/\n` +
    `  FHIR base    ${sandbox.fhirBase}\n` +
    `  SMART        ${options.smartVersion}, auth ${options.auth ? 'on' : 'OFF'}\n` +
    (sandbox.store
      ? (options.ehr === 'limited'
          ? `  EHR          limited (reads; DocumentReference create only)\n`
          : `  EHR          full (accepts FST writes), with a record store beside it\n`) +
        `  FST store    ${sandbox.store.fhirBase} (token exchange at ${sandbox.store.tokenEndpoint})\n`
      : ''),
);
// The measures job's key, where `npm run measures` looks for it (a site's own key stays with the site).
const { privateJwk, ...client } = sandbox.measuresClient;
if (privateJwk) {
  const path = credentialsPath(new URL(sandbox.baseUrl).port);
  writeCredentials(path, { ...client, privateJwk });
  process.stdout.write(`  measures job  client ${client.clientId}, key in ${path}\n`);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
