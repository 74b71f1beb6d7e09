#!/usr/bin/env bash
# Installs what `npm test` needs beyond npm, Python and Terraform, from Debian's packages:
# - postgresql: the server binaries (initdb, postgres, psql) __tests__/remote-state-pg.tf.test.ts starts on
#   loopback for the pg backend;
# - shellcheck: the lint of the app servers' boot script (__tests__/boot.test.ts).
# Installs only what is missing. Debian/Ubuntu (apt); run as root or with sudo.
#   bash scripts/ci-deps.sh
set -euo pipefail

missing=()
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null && ! { [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ]; }; then
  missing+=(postgresql)
fi
command -v shellcheck > /dev/null || missing+=(shellcheck)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ci-deps: PostgreSQL server binaries and shellcheck present"
  exit 0
fi

sudo=''
[ "$(id -u)" -eq 0 ] || sudo='sudo'
echo "ci-deps: installing Debian's ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
