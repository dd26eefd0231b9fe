#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version of this
# admin-tools image. Safe to run on every `docker compose up`: each step is a no-op when done.
set -eu

# The password comes from SQL_PASSWORD; the flags are those of Temporal's own compose samples.
sql_tool() {
    temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p 5432 -u "$POSTGRES_USER" "$@"
}

# Each step is idempotent in temporal-sql-tool itself, so any failure here is a real one (a wrong
# password, an unreachable server): `create` treats Postgres's duplicate_database as done,
# `setup-schema -v 0.0` leaves a schema already past 0.0 alone, and `update-schema` applies only
# the versions the database lacks.
for database in temporal temporal_visibility; do
    sql_tool --db "$database" create
done

schema=/etc/temporal/schema/postgresql/v12
sql_tool --db temporal setup-schema -v 0.0
sql_tool --db temporal update-schema -d "$schema/temporal/versioned"
sql_tool --db temporal_visibility setup-schema -v 0.0
sql_tool --db temporal_visibility update-schema -d "$schema/visibility/versioned"
echo "Temporal schemas are up to date"
