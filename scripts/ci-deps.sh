#!/usr/bin/env bash
# Installs what `npm test` needs beyond npm, Python and Terraform, each only when it is missing
# (Debian/Ubuntu, apt; run as root or with sudo):
#   - the PostgreSQL server binaries (initdb, postgres, psql) that __tests__/remote-state-pg.tf.test.ts starts
#     on loopback for the pg backend;
#   - shellcheck, the lint of the app servers' boot script (__tests__/boot.test.ts);
#   - Chromium, which __tests__/diagram.test.ts runs headless to render the architecture diagrams to PNG
#     (CHROMIUM_BIN names another Chromium or Chrome binary).
# Usage:
#   bash scripts/ci-deps.sh
set -euo pipefail

missing=()
if compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null || { [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ]; }; then
  echo "ci-deps: PostgreSQL server binaries present"
else
  missing+=(postgresql)
fi
if command -v shellcheck > /dev/null; then
  echo "ci-deps: shellcheck present"
else
  missing+=(shellcheck)
fi
if command -v "${CHROMIUM_BIN:-chromium}" > /dev/null; then
  echo "ci-deps: Chromium present"
else
  missing+=(chromium)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=''
[ "$(id -u)" -eq 0 ] || sudo='sudo'
echo "ci-deps: installing Debian's ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
