#!/usr/bin/env bash
# Installs what `npm test` needs beyond npm and Terraform: the PostgreSQL server binaries (initdb,
# postgres, psql) that __tests__/remote-state-pg.tf.test.ts starts on loopback for the pg backend.
# Does nothing when they are already there. Debian/Ubuntu (apt); run as root or with sudo.
#   bash scripts/ci-deps.sh
set -euo pipefail

if compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null || { [ -n "${PG_BIN_DIR:-}" ] && [ -x "$PG_BIN_DIR/initdb" ]; }; then
  echo "ci-deps: PostgreSQL server binaries present"
  exit 0
fi

sudo=''
[ "$(id -u)" -eq 0 ] || sudo='sudo'
echo "ci-deps: installing Debian's postgresql (initdb, postgres, psql)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql
