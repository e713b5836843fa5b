#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when missing, starts its cluster, makes the test role (it may create
# databases: every test gets one of its own) and prints the connection string the suite takes in HISHOP_TEST_PG.
# Before it prints anything it signs in as that role the way the suite will, and makes and drops a database with the
# extension the migrations need; on any failure it says why on stderr (with the server's log) and exits non-zero.
set -euo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8 # a cluster made here is UTF-8 whatever the caller's locale
say() { echo "ci/postgres: $*" >&2; }
log=
# Any step that fails says where, with the clusters and the server's log.
trap 'say "failed at line $LINENO"; pg_lsclusters >&2 2>/dev/null || true; [ -n "$log" ] && tail -n 30 "$log" >&2 2>/dev/null || true' ERR

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y postgresql >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y postgresql >/dev/null; }
fi
read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1) || true
if [ -z "${version:-}" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster --locale C.UTF-8 "$version" main >/dev/null
    read -r version cluster port status _ < <(pg_lsclusters --no-header | head -1)
fi
log=/var/log/postgresql/postgresql-$version-$cluster.log
conf=/etc/postgresql/$version/$cluster

# Listen on 127.0.0.1 itself, not on whatever "localhost" resolves to here; let the test role sign in with its password
# over TCP and over the local socket (Debian's defaults ask local users for peer authentication). The suite makes a
# database per test and runs many at once: room for more connections than the default 100.
mkdir -p "$conf/conf.d"
printf "listen_addresses = '127.0.0.1'\nmax_connections = 300\n" > "$conf/conf.d/hishop-ci.conf"
chmod 644 "$conf/conf.d/hishop-ci.conf"
if ! grep -q "hishop_test" "$conf/pg_hba.conf"; then
    { echo "local all hishop_test scram-sha-256"; echo "host all hishop_test 127.0.0.1/32 scram-sha-256"; cat "$conf/pg_hba.conf"; } > "$conf/pg_hba.conf.new"
    chown --reference="$conf/pg_hba.conf" "$conf/pg_hba.conf.new"; chmod --reference="$conf/pg_hba.conf" "$conf/pg_hba.conf.new"
    mv "$conf/pg_hba.conf.new" "$conf/pg_hba.conf"
fi
if [ "$status" = "online" ]; then pg_ctlcluster "$version" "$cluster" restart >&2; else pg_ctlcluster "$version" "$cluster" start >&2; fi
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
pg_isready -q -h 127.0.0.1 -p "$port" || say "the server does not answer on 127.0.0.1:$port yet (the probe below tries the socket too)"

su postgres -c "psql -X -q -p $port -v ON_ERROR_STOP=1" >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hishop_test') THEN
    CREATE ROLE hishop_test LOGIN CREATEDB PASSWORD 'hishop_test';
  ELSE
    ALTER ROLE hishop_test LOGIN CREATEDB PASSWORD 'hishop_test';
  END IF;
END \$\$;
SQL

# What the suite does first: sign in, make a database, add unaccent (search), drop it. TCP first; the local socket if
# TCP to 127.0.0.1 does not work on this machine.
works() {
    export PGOPTIONS="-c client_min_messages=warning"
    PGPASSWORD=hishop_test psql -q -X -h "$1" -p "$port" -U hishop_test -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS hishop_ci_probe" -c "CREATE DATABASE hishop_ci_probe" >/dev/null &&
    PGPASSWORD=hishop_test psql -q -X -h "$1" -p "$port" -U hishop_test -d hishop_ci_probe -v ON_ERROR_STOP=1 \
        -c "CREATE EXTENSION IF NOT EXISTS unaccent" -c "SELECT unaccent('Café')" >/dev/null &&
    PGPASSWORD=hishop_test psql -q -X -h "$1" -p "$port" -U hishop_test -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE hishop_ci_probe" >/dev/null
}
host=
for candidate in 127.0.0.1 /var/run/postgresql; do
    if works "$candidate"; then host=$candidate; break; fi
    say "the test role could not use the server through $candidate (see above)"
done
if [ -z "$host" ]; then
    pg_lsclusters >&2 || true
    tail -n 30 "$log" >&2 || true
    exit 1
fi
echo "Host=$host;Port=$port;Username=hishop_test;Password=hishop_test;Database=postgres"
