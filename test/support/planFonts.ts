/** The discharge plan's fonts (Noto Sans 400 / 700, WOFF) read from node_modules, for tests that build the PDF. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const font = (weight: number) =>
  new Uint8Array(
    readFileSync(require.resolve(`@fontsource/noto-sans/files/noto-sans-latin-${weight}-normal.woff`)),
  );

export const planFonts = () => ({ regular: font(400), bold: font(700) });
