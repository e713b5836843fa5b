#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when missing, starts its cluster on 127.0.0.1, makes the test role (it may
# create databases: every test gets one of its own) and prints the connection string the suite takes in HISHOP_TEST_PG.
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y postgresql >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y postgresql >/dev/null; }
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
if [ -z "${version:-}" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster "$version" main >/dev/null
    read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
fi
if [ "$status" != "online" ]; then pg_ctlcluster "$version" "$cluster" start; fi
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hishop_test') THEN
    CREATE ROLE hishop_test LOGIN CREATEDB PASSWORD 'hishop_test';
  END IF;
END \$\$;
SQL
echo "Host=127.0.0.1;Port=$port;Username=hishop_test;Password=hishop_test;Database=postgres"
