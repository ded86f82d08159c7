-- bus_seen only spares a refetch for a duplicate delivery; after a database
-- crash a duplicate is simply applied again (idempotent), so it needs no WAL.
ALTER TABLE bus_seen SET UNLOGGED;
