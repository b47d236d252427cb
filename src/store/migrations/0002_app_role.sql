-- The application role. Requests run as attain_app (SET LOCAL ROLE per transaction),
-- a role without superuser or BYPASSRLS rights, so the row-level security policies of
-- 0001 hold even when Attain connects as a superuser (as the embedded store does).
-- Where the connecting role may not create roles (some managed servers), this step is
-- skipped and Attain relies on connecting as a non-superuser; /api/health reports which.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'attain_app') THEN
    BEGIN
      CREATE ROLE attain_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;  -- created concurrently
      WHEN insufficient_privilege THEN
        RAISE NOTICE 'attain: cannot create role attain_app; row-level security relies on a non-superuser connection';
        RETURN;
    END;
  END IF;
  EXECUTE 'GRANT USAGE ON SCHEMA public TO attain_app';
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO attain_app';
  EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO attain_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO attain_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO attain_app';
  -- Migrations stay with the owner.
  EXECUTE 'REVOKE ALL ON schema_migrations FROM attain_app';
  EXECUTE 'GRANT SELECT ON schema_migrations TO attain_app';
  IF NOT pg_has_role(current_user, 'attain_app', 'MEMBER') THEN
    EXECUTE format('GRANT attain_app TO %I', current_user);
  END IF;
END $$;
