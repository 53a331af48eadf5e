/** `npm run token-exchange`: the record store's token-exchange service, configured by the environment. */
import { ConfigError, configFromEnv, startTokenExchangeService } from './service';

try {
  const config = configFromEnv();
  const service = await startTokenExchangeService(config);
  // Addresses only: never a token, a secret or a person.
  process.stdout.write(
    `Token exchange ready at ${service.url}/token (EHR ${config.ehrIssuer}, store ${config.storeFhirBase})\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void service.close().then(() => process.exit(0)));
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
}
