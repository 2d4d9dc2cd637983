/** The role the daemon's connections act as: it may read and append the journal, and nothing else of it. */
export const POSTGRES_RUNTIME_ROLE = "vigil_runtime";

/**
 * The runtime role, made by the first migration. NOLOGIN: nobody logs in as it; the store URL's
 * login (the database's owner, who migrates) is granted it and its runtime pool takes it on at
 * connection (`-c role=vigil_runtime`), so the one URL of `store.url` both migrates and runs, and
 * what the running daemon may do to its history is bounded by privileges, not by its code. Roles
 * are the cluster's, not the database's: a role another Vigil database made already is reused.
 * The `vigil` schema and its `schema_version` table are created by the migration runner itself.
 */
export const POSTGRES_RUNTIME_ROLE_SCHEMA = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${POSTGRES_RUNTIME_ROLE}') THEN
    BEGIN
      CREATE ROLE ${POSTGRES_RUNTIME_ROLE} NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database's migration made it a moment ago
    END;
  END IF;
  IF NOT pg_catalog.pg_has_role(current_user, '${POSTGRES_RUNTIME_ROLE}', 'MEMBER') THEN
    EXECUTE pg_catalog.format('GRANT ${POSTGRES_RUNTIME_ROLE} TO %I', current_user);
  END IF;
END
$$;
REVOKE ALL ON SCHEMA vigil FROM PUBLIC;
GRANT USAGE ON SCHEMA vigil TO ${POSTGRES_RUNTIME_ROLE};
REVOKE ALL ON vigil.schema_version FROM PUBLIC;
GRANT SELECT ON vigil.schema_version TO ${POSTGRES_RUNTIME_ROLE};
`;
