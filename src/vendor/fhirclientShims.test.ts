import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decode, encodeURL, fromUint8Array } from './fhirclientShims';

const require = createRequire(import.meta.url);
// Node's resolution, not Vite's: vite.config.ts points the `js-base64` import at the shim itself.
const jsBase64 = require('js-base64') as typeof import('js-base64');

describe('fhirclient shims give what the libraries they replace give', () => {
  const samples = ['', 'a', 'ab', 'abc', '{"alg":"RS256","typ":"JWT"}', 'María José ñ — 子供 🙂', '?>?>~~'];

  it('encodeURL (PKCE, JWT parts) matches js-base64', () => {
    for (const s of samples) expect(encodeURL(s)).toBe(jsBase64.encodeURL(s));
  });

  it('fromUint8Array matches js-base64, url-safe or not, also for large arrays', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
    expect(fromUint8Array(bytes, true)).toBe(jsBase64.fromUint8Array(bytes, true));
    expect(fromUint8Array(bytes)).toBe(jsBase64.fromUint8Array(bytes));
    expect(fromUint8Array(new Uint8Array([251, 255]), true)).toBe('-_8');
  });

  it('decode reads base64url without padding and standard base64, as UTF-8', () => {
    for (const s of samples) {
      expect(decode(jsBase64.encodeURL(s))).toBe(s);
      expect(decode(jsBase64.encode(s))).toBe(s);
    }
  });

  it('the debug stand-in can be extended and never writes', () => {
    const debug = require('./silentDebug.cjs') as (ns: string) => {
      (...args: unknown[]): void;
      extend(ns: string): (...args: unknown[]) => void;
    };
    const log = debug('FHIR');
    expect(log('state %o', { secret: 1 })).toBeUndefined();
    expect(log.extend('client')('x')).toBeUndefined();
  });
});
