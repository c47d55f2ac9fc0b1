#!/bin/sh
# One database per service, owned by the default user.
set -e
for db in production operations inventory logistics; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -c "CREATE DATABASE $db OWNER \"$POSTGRES_USER\";"
done
