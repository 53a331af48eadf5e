/** The sandbox's discovery documents: `/metadata` and `/.well-known/smart-configuration`. */
import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { SmartVersion } from '../auth/provider';

const RESOURCE_TYPES = [
  'Patient',
  'RelatedPerson',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'CarePlan',
  'CareTeam',
  'Goal',
  'Encounter',
  'ServiceRequest',
  'Task',
  'Communication',
  'DocumentReference',
  'Provenance',
  'Consent',
  // Referral admission checklists and continuing-stay reviews; incident reports.
  'QuestionnaireResponse',
  'AdverseEvent',
] as const;

export function smartConfiguration(issuer: string, version: SmartVersion): Record<string, unknown> {
  const capabilities = [
    'launch-ehr',
    'launch-standalone',
    'client-public',
    'context-ehr-patient',
    'context-ehr-encounter',
    'context-standalone-patient',
    'context-banner',
    'context-style',
    'sso-openid-connect',
    'permission-patient',
    'permission-user',
    'permission-offline',
    'permission-online',
    // SMART Backend Services: the measures job (client_credentials, private_key_jwt, system/ scopes).
    'client-confidential-asymmetric',
  ];
  if (version === 'v2') capabilities.push('permission-v2', 'authorize-post');
  else capabilities.push('permission-v1');
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/token/revocation`,
    // For resource servers (the agency's record store), with their own credentials.
    introspection_endpoint: `${issuer}/token/introspection`,
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes_supported: [
      'openid',
      'fhirUser',
      'launch',
      'launch/patient',
      'launch/encounter',
      'online_access',
      'offline_access',
      ...(version === 'v2'
        ? ['patient/*.cruds', 'user/*.cruds']
        : ['patient/*.read', 'patient/*.write', 'user/*.read', 'user/*.write']),
    ],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities,
  };
}

export function capabilityStatement(
  fhirBase: string,
  issuer: string,
  version: SmartVersion,
): CapabilityStatement {
  return statementOf({
    fhirBase,
    software: 'FST Sandbox EHR (Medplum fhir-router)',
    oauth: { authorize: `${issuer}/auth`, token: `${issuer}/token` },
    security: version === 'v2' ? 'SMART App Launch 2.x' : 'SMART App Launch 1.0',
    system: ['transaction', 'batch', 'search-system'],
    resources: RESOURCE_TYPES.map((type) => ({ type, interactions: ALL_INTERACTIONS })),
  });
}

const ALL_INTERACTIONS = ['read', 'vread', 'update', 'patch', 'create', 'search-type', 'history-instance'];
const READS = ['read', 'vread', 'search-type', 'history-instance'];

/**
 * SANDBOX_EHR=limited: the EHR as many vendors' public APIs are — the chart read, and of the FST writes only a
 * clinical note (DocumentReference create). No transactions.
 */
export const LIMITED_EHR: ReadonlyMap<string, readonly string[]> = new Map([
  ...(
    [
      'Patient',
      'RelatedPerson',
      'Practitioner',
      'PractitionerRole',
      'Organization',
      'CarePlan',
      'CareTeam',
      'Goal',
      'Encounter',
      'ServiceRequest',
    ] as const
  ).map((t) => [t, READS] as const),
  ['DocumentReference', [...READS, 'create']],
]);

export function limitedCapabilityStatement(fhirBase: string, issuer: string): CapabilityStatement {
  return statementOf({
    fhirBase,
    software: 'FST Sandbox EHR, limited (SANDBOX_EHR=limited)',
    oauth: { authorize: `${issuer}/auth`, token: `${issuer}/token` },
    security: 'SMART App Launch 2.x',
    system: ['batch'],
    resources: [...LIMITED_EHR].map(([type, interactions]) => ({ type, interactions })),
  });
}

/** The agency's FST record store: every FST record type; sign-in by token exchange at `tokenEndpoint`. */
export function storeCapabilityStatement(fhirBase: string, tokenEndpoint: string): CapabilityStatement {
  return statementOf({
    fhirBase,
    software: 'FST record store (sandbox)',
    oauth: { token: tokenEndpoint },
    security: 'OAuth 2.0 Token Exchange (RFC 8693) of the EHR id_token',
    system: ['transaction', 'batch', 'search-system'],
    resources: RESOURCE_TYPES.map((type) => ({ type, interactions: ALL_INTERACTIONS })),
  });
}

export function storeSmartConfiguration(tokenEndpoint: string): Record<string, unknown> {
  return {
    token_endpoint: tokenEndpoint,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['user/*.cruds'],
    capabilities: ['permission-user', 'permission-v2', 'client-public'],
  };
}

interface StatementParts {
  fhirBase: string;
  software: string;
  oauth: { authorize?: string; token: string };
  security: string;
  system: string[];
  resources: { type: string; interactions: readonly string[] }[];
}

function statementOf(p: StatementParts): CapabilityStatement {
  const { fhirBase } = p;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    software: { name: p.software },
    implementation: {
      description: 'Local SMART on FHIR sandbox',
      url: fhirBase,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                ...(p.oauth.authorize ? [{ url: 'authorize', valueUri: p.oauth.authorize }] : []),
                { url: 'token', valueUri: p.oauth.token },
              ],
            },
          ],
          description: p.security,
        },
        interaction: p.system.map((code) => ({ code: code as 'batch' })),
        resource: p.resources.map(({ type, interactions }) => ({
          type: type as 'Patient',
          versioning: 'versioned',
          readHistory: true,
          updateCreate: false,
          conditionalCreate: true,
          conditionalUpdate: true,
          interaction: interactions.map((code) => ({ code: code as 'read' })),
          searchInclude: ['*'],
          searchRevInclude: ['*'],
        })),
      },
    ],
  };
}
