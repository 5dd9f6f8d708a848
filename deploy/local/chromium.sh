#!/usr/bin/env bash
# chromium.sh installs Debian's chromium package, the browser the dashboard's browser tests drive
# (web/playwright.config.ts points Playwright at /usr/bin/chromium, so that it never downloads a
# browser of its own). It does nothing when /usr/bin/chromium exists.
#
# Usage: deploy/local/chromium.sh
#
# Installing needs root, or sudo (sudo -n when there is no terminal), as for PostgreSQL in
# deploy/local/postgres.sh.
set -euo pipefail

readonly BROWSER=/usr/bin/chromium

log() { printf 'chromium.sh: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

[[ -x "$BROWSER" ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null 2>&1 || die "Chromium is not installed, and installing it needs root or sudo"
	sudo=(sudo)
	[[ -t 0 ]] || sudo=(sudo -n)
fi
command -v apt-get >/dev/null 2>&1 || die "Chromium is not installed, and this system has no apt-get to install it with"
log "installing Chromium from Debian's packages"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >&2
[[ -x "$BROWSER" ]] || die "apt-get install chromium finished but $BROWSER does not exist"
