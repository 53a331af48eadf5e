/**
 * The sandbox's record store signs users in with the same token exchange a site runs as its own service
 * (services/token-exchange): this is only its directory, answered from the store's repository.
 */
import { Operator } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { LINKED_RECORD_SYSTEM } from '../../src/fhir/crossServer';
import type { StoreDirectory } from '../../services/token-exchange/exchange';
import type { ValidatingRepository } from '../fhir/repository';

export { createTokenExchange, introspectAt } from '../../services/token-exchange/exchange';
export type { TokenExchange } from '../../services/token-exchange/exchange';

export function repoDirectory(repo: ValidatingRepository): StoreDirectory {
  const idOf = async (resourceType: 'Practitioner' | 'Patient', ehrUrl: string) => {
    const [found] = await repo.searchResources({
      resourceType,
      filters: [
        { code: 'identifier', operator: Operator.EQUALS, value: `${LINKED_RECORD_SYSTEM}|${ehrUrl}` },
      ],
      count: 1,
    });
    return found?.id;
  };
  return {
    staffId: (ehrUrl) => idOf('Practitioner', ehrUrl),
    patientId: (ehrUrl) => idOf('Patient', ehrUrl),
    readStub: async (type, id) => repo.readStored(`${type}/${id}`),
    putStub: async (stub) => {
      if (repo.readStored(`${stub.resourceType}/${stub.id}`)) await repo.updateResource(stub as Resource);
      else await repo.importAsIs(stub as Resource);
    },
  };
}
