#!/bin/sh
# First start of the postgres container only: the tracker store's database beside the Local Offer one.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "CREATE DATABASE \"$TRACKER_DB_NAME\" OWNER \"$POSTGRES_USER\""
