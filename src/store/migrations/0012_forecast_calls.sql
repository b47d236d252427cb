-- Reps' forecast calls: per payee and period, a commit and a best-case amount (docs/territories-quotas-forecasts.md).
-- Append-only: a new call supersedes the earlier ones for the same payee and period (the latest
-- counts in the forecast), the earlier ones stay as history. Money is bigint minor units.
CREATE TABLE forecast_calls (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  payee_id uuid NOT NULL,
  period text NOT NULL CHECK (period ~ '^([0-9]{4}-Q[1-4]|[0-9]{4}-[0-9]{2})$'),
  commit_minor bigint NOT NULL CHECK (commit_minor >= 0),
  best_case_minor bigint NOT NULL CHECK (best_case_minor >= commit_minor),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  submitted_by uuid REFERENCES users (id) ON DELETE SET NULL,
  submitted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT forecast_calls_payee_fkey FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, id) ON DELETE CASCADE
);
-- The latest call per payee and period, and the calls of a period range.
CREATE INDEX forecast_calls_payee_period_idx ON forecast_calls (tenant_id, payee_id, period, submitted_at DESC);
CREATE INDEX forecast_calls_period_idx ON forecast_calls (tenant_id, period);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['forecast_calls'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
