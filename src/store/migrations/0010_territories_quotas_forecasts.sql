-- Territories, quota plans and forecast snapshots (docs/territories-quotas-forecasts.md).
-- Tenant-owned tables only: tenant_id leads every key, unique constraint and foreign key;
-- the row-level security loop at the end guards each. Money is bigint minor units.

-- A territory tree; criteria is src/core/territory TerritoryCriteria (validated at the edge).
CREATE TABLE territories (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  parent_id uuid,
  criteria jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT territories_parent_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES territories (tenant_id, id),
  CONSTRAINT territories_name_key UNIQUE (tenant_id, parent_id, name),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX territories_parent_idx ON territories (tenant_id, parent_id);

-- A rep (payee) or a team on a territory for [valid_from, valid_until).
CREATE TABLE territory_assignments (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  territory_id uuid NOT NULL,
  payee_id uuid,
  team_id uuid,
  role text NOT NULL CHECK (role IN ('owner', 'overlay')),
  valid_from date NOT NULL,
  valid_until date,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT territory_assignments_territory_fkey FOREIGN KEY (tenant_id, territory_id) REFERENCES territories (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT territory_assignments_payee_fkey FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT territory_assignments_team_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE,
  CHECK ((payee_id IS NULL) <> (team_id IS NULL)),
  CHECK (valid_until IS NULL OR valid_until > valid_from)
);
CREATE INDEX territory_assignments_territory_idx ON territory_assignments (tenant_id, territory_id);
CREATE INDEX territory_assignments_payee_idx ON territory_assignments (tenant_id, payee_id);
CREATE INDEX territory_assignments_team_idx ON territory_assignments (tenant_id, team_id);

-- Revenue target, product-line mix and headcount per territory and period (FY2026 / 2026-Q1).
CREATE TABLE territory_plans (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  territory_id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^([0-9]{4}-Q[1-4]|FY[0-9]{4})$'),
  revenue_target_minor bigint NOT NULL CHECK (revenue_target_minor >= 0),
  product_line_mix jsonb NOT NULL DEFAULT '[]',
  headcount integer NOT NULL CHECK (headcount >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, territory_id, period),
  CONSTRAINT territory_plans_territory_fkey FOREIGN KEY (tenant_id, territory_id) REFERENCES territories (tenant_id, id) ON DELETE CASCADE
);

-- A company target for a fiscal year; its versions hold the allocated lines.
CREATE TABLE quota_plans (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 1900 AND 9999),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  target_minor bigint NOT NULL CHECK (target_minor >= 0),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT quota_plans_name_key UNIQUE (tenant_id, fiscal_year, name)
);

CREATE TABLE quota_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  plan_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  method text NOT NULL CHECK (method IN ('equal', 'historical', 'potential', 'capacity')),
  levels text NOT NULL CHECK (levels IN ('teams', 'territories')),
  effective_from date NOT NULL,
  -- Exclusive; null = open-ended.
  effective_to date,
  -- The fiscal months' shares (12 numbers) the periodic lines were split by.
  month_shares jsonb NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  locked_at timestamptz,
  locked_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT quota_versions_plan_fkey FOREIGN KEY (tenant_id, plan_id) REFERENCES quota_plans (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT quota_versions_number_key UNIQUE (tenant_id, plan_id, version),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);

-- One quota per node (rep = payee, team, territory) and period. The FY line carries the
-- allocation tree (parent_key 'team:<id>' …); quarter and month lines split it by season.
CREATE TABLE quota_lines (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  version_id uuid NOT NULL,
  assignee_kind text NOT NULL CHECK (assignee_kind IN ('rep', 'team', 'territory')),
  assignee_id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^([0-9]{4}-Q[1-4]|[0-9]{4}-[0-9]{2}|FY[0-9]{4})$'),
  quota_minor bigint NOT NULL CHECK (quota_minor >= 0),
  parent_key text,
  weight double precision NOT NULL DEFAULT 0,
  is_overridden boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, version_id, assignee_kind, assignee_id, period),
  CONSTRAINT quota_lines_version_fkey FOREIGN KEY (tenant_id, version_id) REFERENCES quota_versions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX quota_lines_assignee_idx ON quota_lines (tenant_id, assignee_id, period);

-- Locked versions never change: neither the version row (but its lock) nor its lines.
CREATE FUNCTION attain_quota_locked_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE locked boolean;
BEGIN
  IF TG_TABLE_NAME = 'quota_versions' THEN
    IF TG_OP = 'UPDATE' AND OLD.locked_at IS NOT NULL THEN
      RAISE EXCEPTION 'quota version % is locked', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' AND OLD.locked_at IS NOT NULL AND pg_trigger_depth() = 1 THEN
      RAISE EXCEPTION 'quota version % is locked', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSE
    SELECT v.locked_at IS NOT NULL INTO locked FROM quota_versions v
      WHERE v.tenant_id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.tenant_id ELSE OLD.tenant_id END)
        AND v.id = (CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END);
    IF coalesce(locked, false) AND pg_trigger_depth() = 1 THEN
      RAISE EXCEPTION 'quota version is locked' USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER quota_versions_locked BEFORE UPDATE OR DELETE ON quota_versions FOR EACH ROW EXECUTE FUNCTION attain_quota_locked_guard();
CREATE TRIGGER quota_lines_locked BEFORE INSERT OR UPDATE OR DELETE ON quota_lines FOR EACH ROW EXECUTE FUNCTION attain_quota_locked_guard();

-- What a forecast said, when: kept so accuracy can be measured once the actuals are in.
CREATE TABLE forecast_snapshots (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  taken_on date NOT NULL,
  group_by text NOT NULL CHECK (group_by IN ('owner', 'team', 'territory', 'company')),
  period_kind text NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
  method text NOT NULL CHECK (method IN ('pipeline')),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE forecast_snapshot_rows (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  snapshot_id uuid NOT NULL,
  group_key text NOT NULL,
  period text NOT NULL,
  forecast_minor bigint NOT NULL,
  PRIMARY KEY (tenant_id, snapshot_id, group_key, period),
  CONSTRAINT forecast_snapshot_rows_snapshot_fkey FOREIGN KEY (tenant_id, snapshot_id) REFERENCES forecast_snapshots (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['territories', 'territory_assignments', 'territory_plans', 'quota_plans', 'quota_versions', 'quota_lines',
                           'forecast_snapshots', 'forecast_snapshot_rows'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
