#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version of this
# admin-tools image. Safe to run on every `docker compose up`: each step is a no-op when done.
set -eu

# The password comes from SQL_PASSWORD; the flags are those of Temporal's own compose samples.
sql_tool() {
    temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p 5432 -u "$POSTGRES_USER" "$@"
}

for database in temporal temporal_visibility; do
    # `create` fails once the database exists; a real problem fails `setup-schema` just below.
    sql_tool --db "$database" create || echo "database $database exists already"
done

schema=/etc/temporal/schema/postgresql/v12
sql_tool --db temporal setup-schema -v 0.0
sql_tool --db temporal update-schema -d "$schema/temporal/versioned"
sql_tool --db temporal_visibility setup-schema -v 0.0
sql_tool --db temporal_visibility update-schema -d "$schema/visibility/versioned"
echo "Temporal schemas are up to date"
