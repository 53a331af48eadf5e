/**
 * Bulk Data `$export` in the sandbox (issue 40): kick-off, status, manifest and NDJSON files, `_type` and `_since`,
 * through the same access rules as every read — a backend client's system token, each type within its scopes.
 */
import './env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import { MEASURES_SCOPES } from './auth/backendClient';
import type { Sandbox } from './server';
import { signIn } from '../jobs/measures/signIn';
import { kickOff, readNdjson, removeExport, waitForManifest } from '../jobs/measures/bulk';
import { DEFAULT_CASELOAD_SCOPES } from '../src/config/config';
import { launchToken, startTestSandbox } from '../test/support/testSandbox';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  token = (
    await signIn({
      clientId: sandbox.measuresClient.clientId,
      tokenEndpoint: sandbox.measuresClient.tokenEndpoint,
      privateJwk: sandbox.measuresClient.privateJwk as JWK,
      scope: MEASURES_SCOPES.join(' '),
    })
  ).accessToken;
}, 60_000);
afterAll(async () => sandbox?.close());

const stored = async (type: string) =>
  (await sandbox.repo.searchResources({ resourceType: type, count: 100_000 } as never)).length;

async function exportAll(types: string[], since?: string) {
  const status = await kickOff({ fhirBase: sandbox.fhirBase, token, types, since });
  const manifest = await waitForManifest(status, token);
  const files: Record<string, { id: string; resourceType: string }[]> = {};
  for (const file of manifest.output) {
    const list = (files[file.type] ??= []);
    for await (const r of readNdjson<{ id: string; resourceType: string }>(file.url, token)) list.push(r);
  }
  return { status, manifest, files };
}

describe('$export', () => {
  it('kicks off (202, Content-Location), reports 200 with a manifest, and serves each type as NDJSON', async () => {
    const { status, manifest, files } = await exportAll(['Task', 'Communication', 'Patient']);
    expect(status).toMatch(`${sandbox.fhirBase}/_export/`);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(Date.parse(manifest.transactionTime)).toBeLessThanOrEqual(Date.now());
    for (const type of ['Task', 'Communication', 'Patient']) {
      expect(files[type]?.length, type).toBe(await stored(type));
      expect(files[type].every((r) => r.resourceType === type)).toBe(true);
      expect(manifest.output.find((o) => o.type === type)?.count).toBe(files[type].length);
    }
    // Only the types asked.
    expect(Object.keys(files).sort()).toEqual(['Communication', 'Patient', 'Task']);
    await removeExport(status, token);
    expect((await fetch(status, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });

  it('_since: only what changed after the last export’s transactionTime', async () => {
    const first = await exportAll(['Patient']);
    const youth = (await sandbox.repo.readResource('Patient', 'youth-01')) as never as Record<
      string,
      unknown
    >;
    await sandbox.repo.updateResource({ ...youth, language: 'en' } as never);
    const next = await exportAll(['Patient', 'Task'], first.manifest.transactionTime);
    expect(next.files.Patient?.map((p) => p.id)).toEqual(['youth-01']);
    // A type with nothing new is not in the manifest.
    expect(next.files.Task).toBeUndefined();
  });

  it('is refused without Prefer: respond-async, to a user token, and beyond the token’s scopes', async () => {
    const plain = await fetch(`${sandbox.fhirBase}/$export?_type=Task`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(plain.status).toBe(400);
    const user = await launchToken(
      sandbox,
      'youth-01',
      'lc-grace',
      `launch openid fhirUser ${DEFAULT_CASELOAD_SCOPES.join(' ')}`,
    );
    const asUser = await fetch(`${sandbox.fhirBase}/$export?_type=Task`, {
      headers: { authorization: `Bearer ${user}`, prefer: 'respond-async' },
    });
    expect(asUser.status).toBe(403);
    // RelatedPerson is not among the job's scopes.
    const wide = await fetch(`${sandbox.fhirBase}/$export?_type=RelatedPerson`, {
      headers: { authorization: `Bearer ${token}`, prefer: 'respond-async' },
    });
    expect(wide.status).toBe(403);
    const anonymous = await fetch(`${sandbox.fhirBase}/$export?_type=Task`, {
      headers: { prefer: 'respond-async' },
    });
    expect(anonymous.status).toBe(401);
  });
});
