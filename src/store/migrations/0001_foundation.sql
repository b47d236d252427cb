-- Foundation: tenants, users, memberships, teams, payees, invitations, API tokens,
-- sessions and the audit log.
--
-- Global (reference) tables: tenants, users, sessions, schema_migrations.
-- Every other table is tenant-owned: tenant_id leads its primary key, every unique
-- constraint and every foreign key to another tenant-owned table (what Citus needs to
-- co-locate a tenant's rows), and a row-level security policy guards it.
-- SQL here must run on PostgreSQL 15 and on PGlite (PostgreSQL 18).

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency char(3) NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de')),
  fiscal_year_start_month smallint NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash text,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de')),
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz,
  last_sign_in_at timestamptz,
  CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'finance', 'manager', 'rep', 'partner', 'viewer')),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE teams (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('company', 'region', 'team')),
  parent_id uuid,
  manager_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT teams_parent_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES teams (tenant_id, id),
  CONSTRAINT teams_name_key UNIQUE (tenant_id, parent_id, name),
  CHECK (parent_id IS NULL OR parent_id <> id)
);

CREATE TABLE payees (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('employee', 'partner')),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  email text CHECK (email IS NULL OR email = lower(email)),
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  team_id uuid,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  external_ref text,
  start_date date,
  end_date date,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT payees_team_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id),
  CONSTRAINT payees_user_key UNIQUE (tenant_id, user_id),
  CONSTRAINT payees_external_ref_key UNIQUE (tenant_id, external_ref),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);

CREATE TABLE invitations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('admin', 'finance', 'manager', 'rep', 'partner', 'viewer')),
  token_hash text NOT NULL,
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE api_tokens (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role text NOT NULL CHECK (role IN ('admin', 'finance', 'manager', 'rep', 'partner', 'viewer')),
  token_hash text NOT NULL,
  prefix text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);

-- Sessions are per user (a user may switch between workspaces); the cookie carries
-- the session id and a secret whose hash is stored here.
CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  secret_hash text NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  user_agent text,
  ip text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE audit_log (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id uuid,
  actor_token_id uuid,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  before jsonb,
  after jsonb,
  request_id text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_entity_idx ON audit_log (tenant_id, entity_type, entity_id);

-- The audit log is append-only: no update, no delete (a tenant's deletion cascades
-- through TRUNCATE-free ON DELETE CASCADE only when the tenant itself is removed).
CREATE FUNCTION attain_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION attain_audit_append_only();

-- Row-level security: the second lock behind the tenant-scoped repositories. The app
-- sets app.tenant_id per transaction; app.system is set only by the few code paths that
-- must cross tenants (sign-in, sessions, migrations, seeding).
CREATE FUNCTION attain_tenant_visible(t uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.system', true) = 'on'
      OR t::text = current_setting('app.tenant_id', true)
$$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['memberships', 'teams', 'payees', 'invitations', 'api_tokens', 'audit_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
