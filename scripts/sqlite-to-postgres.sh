#!/usr/bin/env bash
# Copies every row of an nscl SQLite database into the PostgreSQL schema
# of a new nscl database, in one transaction: users, tokens, sessions and
# the audit log with the programme, which the JSON exchange leaves out.
#
#   scripts/sqlite-to-postgres.sh BACKUP.db 'postgres://USER@HOST:5432/DB?sslmode=disable' SCHEMA
#
# BACKUP.db is a copy taken with `nscl backup` (or the database itself, with
# the server stopped). The schema must hold nscl's tables, empty, at the
# same schema version: create them with the same nscl, by running
# `nscl check --db 'postgres://…&search_path=SCHEMA'` once. Needs sqlite3
# and psql (Debian: apt-get install sqlite3 postgresql-client).
# Steps and checks: docs/operations.md.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 BACKUP.db POSTGRES-URL SCHEMA" >&2
  exit 2
fi
src="$1" pg="$2" schema="$3"
export PGOPTIONS="-c client_min_messages=warning -c search_path=\"$schema\""
q() { psql -X -q -At -F'|' -v ON_ERROR_STOP=1 -d "$pg" "$@"; }

have="$(sqlite3 "$src" 'SELECT max(version_id) FROM goose_db_version')"
want="$(q -c 'SELECT max(version_id) FROM goose_db_version')"
if [ "$have" != "$want" ]; then
  echo "schema version $have in $src, $want in $schema: create the schema with the nscl that wrote $src" >&2
  exit 1
fi
columns="$(q -c "SELECT table_name, column_name, data_type FROM information_schema.columns
  WHERE table_schema = '$schema' AND table_name <> 'goose_db_version' ORDER BY table_name, ordinal_position")"
# audit_chain (the audit log's head), tree_version, plan_version,
# lock_version and user_version (the counts of changes to the tree, the
# plans, the locks and the users) are one row each, which a new schema
# holds from the start: the copy replaces them with the source's.
for t in $(echo "$columns" | cut -d'|' -f1 | sort -u | grep -vx -e audit_chain -e tree_version -e plan_version -e lock_version -e user_version); do
  if [ "$(q -c "SELECT EXISTS (SELECT 1 FROM $t)")" = t ]; then
    echo "$schema.$t already holds rows: copy into a new, empty schema" >&2
    exit 1
  fi
done

sql="$(mktemp)" # holds password hashes: mktemp makes it the owner's only
trap 'rm -f "$sql"' EXIT
echo "DELETE FROM audit_chain; DELETE FROM tree_version; DELETE FROM plan_version; DELETE FROM lock_version; DELETE FROM user_version;" > "$sql"
# Tables in the order they were created, so that a row's references are
# copied before it; rows in the order they were written.
for t in $(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'table'
    AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY rowid"); do
  select=""
  while IFS='|' read -r table col type; do
    [ "$table" = "$t" ] || continue
    # SQLite keeps booleans as 0 and 1, which PostgreSQL does not cast.
    if [ "$type" = boolean ]; then
      select="$select${select:+, }CASE WHEN \"$col\" THEN 'true' ELSE 'false' END AS \"$col\""
    elif [ "$type" = bytea ]; then
      # sqlite3 writes a BLOB as X'…', which PostgreSQL reads as bits; a
      # text '\x…' is bytea's own hex form (the portal's files).
      select="$select${select:+, }'\\x' || hex(\"$col\") AS \"$col\""
    else
      select="$select${select:+, }\"$col\""
    fi
  done <<< "$columns"
  if [ -z "$select" ]; then
    echo "table $t of $src is not in $schema" >&2
    exit 1
  fi
  # A table without rowid (tree_reach) is read in the order of its key.
  order="ORDER BY rowid"
  [ "$(sqlite3 "$src" "SELECT wr FROM pragma_table_list WHERE name = '$t'")" = 1 ] && order=""
  # sqlite3 writes a line break in a text as replace('…','\n',char(10));
  # PostgreSQL's name for char() is chr().
  sqlite3 -cmd '.headers on' -cmd ".mode insert $t" "$src" "SELECT $select FROM \"$t\" $order" |
    sed -e "s/',char(10))/',chr(10))/g" -e "s/',char(13))/',chr(13))/g" >> "$sql"
  # New rows continue after the copied ids.
  if echo "$columns" | grep -q "^$t|id|"; then
    echo "SELECT setval(pg_get_serial_sequence('$t', 'id'), max(id)) FROM $t HAVING max(id) IS NOT NULL;" >> "$sql"
  fi
done
q --single-transaction -f "$sql" > /dev/null
echo "copied $src into $schema; now run nscl check on it"
