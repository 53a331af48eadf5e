/**
 * SMART `smart_style_url`: the EHR's colours, applied as CSS custom properties so an embedded app
 * matches its host. Only plain colour values and a font-family list are accepted: the style document
 * is not trusted to inject CSS.
 */
import { z } from '../schema/z';

const COLOUR = /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\))$/;
const FONTS = /^[\w\s,'"-]{1,200}$/;

const styleSchema = z.looseObject({
  color_background: z.optional(z.string().check(z.regex(COLOUR))),
  color_text: z.optional(z.string().check(z.regex(COLOUR))),
  color_highlight: z.optional(z.string().check(z.regex(COLOUR))),
  font_family_body: z.optional(z.string().check(z.regex(FONTS))),
});

export function styleVariables(json: unknown): Record<string, string> {
  const parsed = styleSchema.safeParse(json);
  if (!parsed.success) return {};
  const s = parsed.data;
  const vars: Record<string, string> = {};
  if (s.color_background) vars['--bg'] = s.color_background;
  if (s.color_text) vars['--fg'] = s.color_text;
  if (s.color_highlight) vars['--accent'] = s.color_highlight;
  if (s.font_family_body) vars['--font-body'] = s.font_family_body;
  return vars;
}

export async function applySmartStyle(
  url: string | undefined,
  root: HTMLElement = document.documentElement,
): Promise<void> {
  if (!url || !/^https?:\/\//.test(url)) return;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return;
    for (const [name, value] of Object.entries(styleVariables(await response.json())))
      root.style.setProperty(name, value);
  } catch {
    // Styling is cosmetic: the app keeps its own colours.
  }
}
