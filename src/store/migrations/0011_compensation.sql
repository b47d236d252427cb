-- Incentive compensation: comp plan versions, assignments of payees to them, payout runs with
-- their lines, adjustments and disputes (docs/compensation.md). Money is integer minor units
-- (bigint) in the line's currency. Tenant-owned tables only: tenant_id leads every key.
--
-- Immutability: a plan version that a locked run paid from never changes; a locked or paid run
-- and its lines never change (triggers below, on top of the repository's checks). Corrections
-- are adjustment lines in a later run.

CREATE TABLE comp_plan_versions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  plan_id text NOT NULL CHECK (plan_id ~ '^[a-z][a-z0-9_-]{0,63}$'),
  version integer NOT NULL CHECK (version >= 1),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  effective_from date NOT NULL,
  -- Exclusive; NULL = open-ended.
  effective_to date,
  -- The validated plan document (src/core/comp/plan-document.ts), as saved.
  document jsonb NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, plan_id, version),
  CHECK (effective_to IS NULL OR effective_to > effective_from)
);

CREATE TABLE comp_assignments (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  payee_id uuid NOT NULL,
  plan_id text NOT NULL,
  plan_version integer NOT NULL,
  valid_from date NOT NULL,
  -- Exclusive; NULL = open-ended.
  valid_to date,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT comp_assignments_payee_fkey FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT comp_assignments_plan_fkey FOREIGN KEY (tenant_id, plan_id, plan_version) REFERENCES comp_plan_versions (tenant_id, plan_id, version),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX comp_assignments_payee_idx ON comp_assignments (tenant_id, payee_id, valid_from);

CREATE TABLE payout_runs (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  period_key text NOT NULL CHECK (length(period_key) BETWEEN 1 AND 40),
  period_start date NOT NULL,
  -- Exclusive.
  period_end date NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'calculated', 'approved', 'locked', 'paid')),
  -- sha256 of the calculation input: recalculating an unchanged run gives the same hash and lines.
  input_hash text,
  -- Totals per currency, e.g. {"EUR": 1234500}; the per-payee results with warnings.
  totals jsonb NOT NULL DEFAULT '{}'::jsonb,
  result jsonb,
  calculated_at timestamptz,
  approved_by uuid REFERENCES users (id) ON DELETE SET NULL,
  approved_at timestamptz,
  locked_by uuid REFERENCES users (id) ON DELETE SET NULL,
  locked_at timestamptz,
  paid_by uuid REFERENCES users (id) ON DELETE SET NULL,
  paid_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT payout_runs_period_key UNIQUE (tenant_id, period_key),
  CHECK (period_end > period_start)
);

CREATE TABLE payout_lines (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  line_no integer NOT NULL CHECK (line_no >= 1),
  -- The engine's stable id: payee / plan@version / segment / component (/ record).
  line_id text NOT NULL,
  payee_id uuid NOT NULL,
  kind text NOT NULL,
  component_id text,
  label text NOT NULL,
  plan_id text,
  plan_version integer,
  amount_minor bigint NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Credits (down to the records), tier, rate, the arithmetic step by step, and its sentence.
  explanation jsonb NOT NULL,
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  reason text,
  PRIMARY KEY (tenant_id, run_id, line_no),
  CONSTRAINT payout_lines_line_id_key UNIQUE (tenant_id, run_id, line_id),
  CONSTRAINT payout_lines_run_fkey FOREIGN KEY (tenant_id, run_id) REFERENCES payout_runs (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT payout_lines_payee_fkey FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, id)
);
CREATE INDEX payout_lines_payee_idx ON payout_lines (tenant_id, payee_id, run_id);

-- A correction found after a run was locked: paid as an adjustment line in the next run calculated.
CREATE TABLE payout_adjustments (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  payee_id uuid NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  source_run_id uuid,
  dispute_id uuid,
  -- The run whose lines carry it (set when that run is locked; until then every open run of a later period picks it up).
  applied_run_id uuid,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT payout_adjustments_payee_fkey FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, id),
  CONSTRAINT payout_adjustments_source_fkey FOREIGN KEY (tenant_id, source_run_id) REFERENCES payout_runs (tenant_id, id),
  CONSTRAINT payout_adjustments_applied_fkey FOREIGN KEY (tenant_id, applied_run_id) REFERENCES payout_runs (tenant_id, id)
);

CREATE TABLE payout_disputes (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  run_id uuid NOT NULL,
  line_no integer NOT NULL,
  payee_id uuid NOT NULL,
  raised_by uuid REFERENCES users (id) ON DELETE SET NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 5000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  resolution text CHECK (resolution IS NULL OR length(resolution) <= 5000),
  adjustment_id uuid,
  resolved_by uuid REFERENCES users (id) ON DELETE SET NULL,
  resolved_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT payout_disputes_line_fkey FOREIGN KEY (tenant_id, run_id, line_no) REFERENCES payout_lines (tenant_id, run_id, line_no),
  CONSTRAINT payout_disputes_adjustment_fkey FOREIGN KEY (tenant_id, adjustment_id) REFERENCES payout_adjustments (tenant_id, id),
  CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX payout_disputes_payee_idx ON payout_disputes (tenant_id, payee_id, created_at);

-- A locked (or paid) run never changes: only locked → paid may follow; its lines are frozen.
CREATE FUNCTION attain_payout_run_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('locked', 'paid') AND pg_trigger_depth() = 1 THEN
      RAISE EXCEPTION 'payout run % is locked', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'paid' OR (OLD.status = 'locked' AND NOT (NEW.status = 'paid'
      AND NEW.period_key = OLD.period_key AND NEW.input_hash IS NOT DISTINCT FROM OLD.input_hash
      AND NEW.totals = OLD.totals AND NEW.result IS NOT DISTINCT FROM OLD.result)) THEN
    RAISE EXCEPTION 'payout run % is %', OLD.id, OLD.status USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER payout_runs_frozen BEFORE UPDATE OR DELETE ON payout_runs FOR EACH ROW EXECUTE FUNCTION attain_payout_run_frozen();

CREATE FUNCTION attain_payout_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE run_status text;
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  SELECT status INTO run_status FROM payout_runs WHERE tenant_id = COALESCE(NEW.tenant_id, OLD.tenant_id) AND id = COALESCE(NEW.run_id, OLD.run_id);
  IF run_status IN ('locked', 'paid') THEN
    RAISE EXCEPTION 'the lines of a % payout run never change', run_status USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER payout_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON payout_lines FOR EACH ROW EXECUTE FUNCTION attain_payout_lines_frozen();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['comp_plan_versions', 'comp_assignments', 'payout_runs', 'payout_lines', 'payout_adjustments', 'payout_disputes'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
