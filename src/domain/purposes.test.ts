import { describe, expect, it } from 'vitest';
import { noFstPurpose, purposeWarning, SEED_PURPOSES } from './purposes';

// Seed 000 service component 3b: "meet one or more of the following purposes: educating, supporting, coaching,
// modeling, guiding"; 3c: "and may include: education, teaching … how to navigate …, … linkages to peer/parent
// support …, teaching … how to identify formal and community-based resources".
describe('service component 3b–c: the purposes of an FST activity', () => {
  it.each(SEED_PURPOSES.map((p) => [p]))('%s is an FST purpose, with or without crisis', (p) => {
    expect(noFstPurpose({ purposes: [p] })).toBe(false);
    expect(noFstPurpose({ purposes: ['crisis', p] })).toBe(false);
  });
  it('the 3c activities count; crisis alone does not; nothing recorded is not judged', () => {
    for (const p of ['system-navigation', 'peer-support-linkage', 'community-resources'])
      expect(noFstPurpose({ purposes: [p] })).toBe(false);
    expect(noFstPurpose({ purposes: ['crisis'] })).toBe(true);
    expect(noFstPurpose({ purposes: [] })).toBe(false);
    expect(purposeWarning(['crisis'])).toMatch(/^A crisis contact alone is not FST coaching toward a goal/);
    expect(purposeWarning(['crisis', 'guiding'])).toBeUndefined();
  });
});
