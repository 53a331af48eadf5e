/**
 * SMART Backend Services clients of the sandbox's authorization server (client_credentials with
 * `private_key_jwt`): the measures job (jobs/measures) signs in as `fst-measures` with a key pair of its own.
 *
 * The sandbox generates the job's key pair at start and writes the private key where `npm run measures` finds it
 * (`.sandbox/measures-client-<port>.json`, readable by its owner only); the authorization server knows only the
 * public JWKS. A site registers the job with its own JWKS instead (docs/deploy.md, "The measures job"):
 * `SANDBOX_MEASURES_JWKS=path/to/jwks.json` does the same here.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { MEASURES_SCOPES } from '../../jobs/measures/scopes';

export const MEASURES_CLIENT_ID = 'fst-measures';

/** What the measures job may do, nothing more (jobs/measures/scopes.ts): anything wider is refused. */
export { MEASURES_SCOPES };

/** The signing algorithm SMART Backend Services names first (RS384; ES384 is the other). */
export const BACKEND_ALG = 'RS384' as const;

export interface BackendClient {
  clientId: string;
  /** The public keys the client's assertions are verified with. */
  jwks: { keys: JWK[] };
  scopes: readonly string[];
}

/** What the job reads to sign in to a sandbox: its client id, the token endpoint, its private key. */
export interface BackendCredentials {
  clientId: string;
  tokenEndpoint: string;
  fhirBase: string;
  privateJwk: JWK;
}

/** A fresh key pair for the measures job: the client to register and the private key the job signs with. */
export async function generateMeasuresClient(): Promise<{ client: BackendClient; privateJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(BACKEND_ALG, { extractable: true });
  const kid = `measures-${Date.now().toString(36)}`;
  const common = { alg: BACKEND_ALG, use: 'sig', kid };
  return {
    client: {
      clientId: MEASURES_CLIENT_ID,
      jwks: { keys: [{ ...(await exportJWK(publicKey)), ...common }] },
      scopes: MEASURES_SCOPES,
    },
    privateJwk: { ...(await exportJWK(privateKey)), ...common },
  };
}

/** A site's own JWKS (public keys only: a private member is refused, it must never be handed over). */
export function readSiteJwks(path: string): { keys: JWK[] } {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: JWK[] };
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0)
    throw new Error(`SANDBOX_MEASURES_JWKS ${path} holds no "keys"`);
  if (parsed.keys.some((k) => 'd' in k))
    throw new Error(`SANDBOX_MEASURES_JWKS ${path} holds a private key: give the public JWKS only`);
  return { keys: parsed.keys };
}

/** Where `npm start` leaves the job's credentials for a sandbox on `port`. */
export function credentialsPath(port: number | string, root = process.cwd()): string {
  return `${root}/.sandbox/measures-client-${port}.json`;
}

export function writeCredentials(path: string, credentials: BackendCredentials): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}
