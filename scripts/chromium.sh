#!/usr/bin/env bash
# Debian Chromium as the tests and benches launch it (playwright.config.ts, scripts/bench-ui.mts): every
# --disable-features the launcher passes, merged into one (Chromium reads only the last such switch, so a
# second one would drop Playwright's), plus the omnibox popup's WebUI. Headless Chromium preloads that
# popup in a renderer of its own for every new window: ~1 s of CPU per browser context, on a 2-core
# machine taken from the app and the sandbox under test.
disabled=WebUIOmniboxPopup,WebUIOmniboxAimPopup
args=()
for arg in "$@"; do
  case "$arg" in
    --disable-features=*) disabled="${arg#--disable-features=},$disabled" ;;
    *) args+=("$arg") ;;
  esac
done
exec "${CHROMIUM_PATH:-/usr/bin/chromium}" "${args[@]}" "--disable-features=$disabled"
