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
  ];
  if (version === 'v2') capabilities.push('permission-v2', 'authorize-post');
  else capabilities.push('permission-v1');
  return {
    issuer,
    jwks_uri: `${issuer}/jwks`,
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/token/revocation`,
    token_endpoint_auth_methods_supported: ['none'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
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
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    software: { name: 'FST Sandbox EHR (Medplum fhir-router)' },
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
                { url: 'authorize', valueUri: `${issuer}/auth` },
                { url: 'token', valueUri: `${issuer}/token` },
              ],
            },
          ],
          description: version === 'v2' ? 'SMART App Launch 2.x' : 'SMART App Launch 1.0',
        },
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          versioning: 'versioned',
          readHistory: true,
          updateCreate: false,
          conditionalCreate: true,
          conditionalUpdate: true,
          interaction: ['read', 'vread', 'update', 'patch', 'create', 'search-type', 'history-instance'].map(
            (code) => ({ code: code as 'read' }),
          ),
          searchInclude: ['*'],
          searchRevInclude: ['*'],
        })),
      },
    ],
  };
}
