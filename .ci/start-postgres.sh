#!/usr/bin/env bash
# Start a PostgreSQL cluster on 127.0.0.1:5432 with a claimgraph role and test database.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
bin=/usr/lib/postgresql/$ver/bin
data=/tmp/claimgraph-pg
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  rm -rf "$data" && mkdir -p "$data" && chown postgres "$data"
  su postgres -c "$bin/initdb -D $data -A trust -U postgres" >/dev/null
  su postgres -c "$bin/pg_ctl -D $data -o '-c listen_addresses=127.0.0.1 -p 5432 -k /tmp' -l $data/log -w start" >/dev/null
fi
psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_roles WHERE rolname='claimgraph'" | grep -q 1 ||
  psql -h 127.0.0.1 -U postgres -qc "CREATE ROLE claimgraph LOGIN PASSWORD 'claimgraph' CREATEDB"
psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='claimgraph_test'" | grep -q 1 ||
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE claimgraph_test OWNER claimgraph"
