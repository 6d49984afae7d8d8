#!/usr/bin/env bash
# The SQL checked at compile time (`sqlx::query!`, `query_as!`, `query_scalar!`): the macros
# check each statement against a database when DATABASE_URL is set, and otherwise read what
# that check found from `.sqlx/` (committed; scripts/env.sh sets SQLX_OFFLINE=true, so every
# build reads it and none needs a database).
#
#   scripts/sqlx-prepare.sh          # after changing a checked query or a migration: rewrites .sqlx/
#   scripts/sqlx-prepare.sh --check  # (scripts/test.sh) fails if .sqlx/ is not what the code
#                                    # and the migrations give, or if a query does not fit the schema
#
# Both build a database from `migrations/` alone (the sqlite3 CLI, file by file, as the server's
# migrator does at start-up), compile the app's server side against it, and collect the query
# data the macros write. This is what `cargo sqlx prepare` does, without installing sqlx-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

check=false
[ "${1:-}" = "--check" ] && check=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/schema.sqlite"
for migration in migrations/*.sql; do
  sqlite3 -bail "$db" < "$migration"
done
mkdir "$work/queries"

# Every macro of the app expanded again (cargo rebuilds a crate whose file is newer).
touch app/src/lib.rs
SQLX_OFFLINE=false DATABASE_URL="sqlite://$db" SQLX_OFFLINE_DIR="$work/queries" \
  RUSTFLAGS="--cfg erase_components" cargo check -p app --features ssr --lib --quiet

if $check; then
  if ! diff -r .sqlx "$work/queries" >"$work/diff"; then
    head -40 "$work/diff"
    echo "✗ .sqlx/ is not what the code and the migrations give: run scripts/sqlx-prepare.sh and commit .sqlx/" >&2
    exit 1
  fi
  echo "✓ .sqlx/: $(ls .sqlx | wc -l) queries, as the code and the migrations give"
else
  rm -rf .sqlx
  cp -r "$work/queries" .sqlx
  echo "✓ .sqlx/ written: $(ls .sqlx | wc -l) queries"
fi
