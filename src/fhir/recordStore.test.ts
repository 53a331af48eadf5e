import { describe, expect, it } from 'vitest';
import { idTokenExpired, staleIdTokenMessage } from './recordStore';

const jwt = (payload: object) =>
  ['e30', Buffer.from(JSON.stringify(payload)).toString('base64url'), 'sig'].join('.');

describe('an EHR refresh without a new id_token (issue 36)', () => {
  it('is recognised once the first id_token has expired, and said in words that name the way out', () => {
    const now = Date.parse('2026-12-08T00:00:00Z');
    expect(idTokenExpired(jwt({ exp: now / 1000 - 1 }), now)).toBe(true);
    expect(idTokenExpired(jwt({ exp: now / 1000 + 60 }), now)).toBe(false);
    expect(idTokenExpired('not a jwt', now)).toBe(false);
    const message = staleIdTokenMessage('Harbor FST record store');
    expect(message).toContain('without a new id_token');
    expect(message).toContain('Relaunch FST Companion from your EHR');
    expect(message).toContain('EHR administrator');
  });
});
