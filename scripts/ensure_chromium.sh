#!/usr/bin/env bash
# The browser tests and the screenshots drive Debian's Chromium (Playwright cannot download
# its own browser here). Installs it when missing and we are root; otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium and chromium-driver for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
The browser tests need Chromium at /usr/bin/chromium, and it is not installed.
Install it (Debian/Ubuntu) with:
    sudo apt-get update && sudo apt-get install -y chromium chromium-driver
then run `make test` again. (The browser tests never skip: they are how the web app is tested.)
MSG
exit 1
