import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page and returns its violations, briefly; plus one for reflow (WCAG 1.4.10), which
 * axe does not check: at the viewport's width the page must not scroll sideways (tables scroll in their own
 * box), so a phone user never pans to find a button.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<any> } }).axe;
    // Every rule axe ships (WCAG 2.x A / AA and best practices such as one h1 per page and landmarks).
    const result = await axe.run(document, {});
    const violations: AxeViolation[] = result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n: any) => n.target.join(' ')),
    }));
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) {
      const beyond = Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`,
        );
      violations.push({
        id: 'reflow',
        impact: 'serious',
        help: `The page scrolls sideways at ${width} px (WCAG 1.4.10)`,
        nodes: [...new Set(beyond)].slice(0, 3),
      });
    }
    return violations;
  });
}
