#!/usr/bin/env node
/**
 * `npm run headers -- <config.json> [out]`: writes the security headers (`_headers`, Netlify / Cloudflare
 * Pages format) for a deployed config.json, so adding an EHR (a new connect-src or frame-ancestors origin)
 * needs no rebuild: edit config.json, run this, redeploy the two files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseConfig } from '../src/config/config.ts';
import { headersFile } from '../src/config/securityHeaders.ts';

const [configPath = 'dist/config.json', out = 'dist/_headers'] = process.argv.slice(2);
const config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')));
writeFileSync(out, headersFile(config));
process.stdout.write(`${out} written from ${configPath}\n`);
