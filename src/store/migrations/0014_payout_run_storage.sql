-- Payout runs stored so that one payee can be recalculated without rewriting the whole run
-- (docs/compensation.md → Performance):
-- * payout_run_payees: one row per run and payee with what the engine computed (it was one
--   document of every payee in payout_runs.result, rewritten on every change);
-- * payout_run_owners: the input hash in parts, one digest per deal owner (was in the same
--   document); the run keeps their sum, so one owner's part is replaced on its own;
-- * the credits behind a line as four parallel arrays instead of an object per credit inside
--   the explanation (a run of a million deals wrote ≈ 100 MB of jsonb). Lines written before
--   keep their credits in explanation->'credits'; the readers take either.
-- A locked or paid run's rows (lines, payees, owners) are frozen by one check per statement
-- instead of a query per row (attain_payout_lines_frozen of migration 0011).

CREATE TABLE payout_run_payees (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  payee_id uuid NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  earnings_minor bigint NOT NULL,
  total_minor bigint NOT NULL,
  draw_balance_out_minor bigint NOT NULL,
  -- The engine's per-payee result without its lines: segments, quota, credited, attainment, draws, adjustments.
  result jsonb NOT NULL,
  PRIMARY KEY (tenant_id, run_id, payee_id),
  CONSTRAINT payout_run_payees_run_fkey FOREIGN KEY (tenant_id, run_id) REFERENCES payout_runs (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT payout_run_payees_payee_fkey FOREIGN KEY (tenant_id, payee_id) REFERENCES payees (tenant_id, id)
);

CREATE TABLE payout_run_owners (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  -- The deal owner as the engine names it (a payee id).
  owner_id text NOT NULL,
  -- sha256 (first 128 bits, hex) of the owner's deals in the period, in id order.
  digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{32}$'),
  -- Revenue of those deals per currency, minor units: {"EUR": 123400}.
  revenue jsonb NOT NULL,
  PRIMARY KEY (tenant_id, run_id, owner_id),
  CONSTRAINT payout_run_owners_run_fkey FOREIGN KEY (tenant_id, run_id) REFERENCES payout_runs (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE payout_lines ADD COLUMN credit_record_ids text[];
ALTER TABLE payout_lines ADD COLUMN credit_kinds text[];
ALTER TABLE payout_lines ADD COLUMN credit_credited_minor bigint[];
ALTER TABLE payout_lines ADD COLUMN credit_attributed_minor bigint[];
ALTER TABLE payout_lines ADD CONSTRAINT payout_lines_credit_arrays CHECK (
  (credit_record_ids IS NULL AND credit_kinds IS NULL AND credit_credited_minor IS NULL AND credit_attributed_minor IS NULL)
  OR (cardinality(credit_kinds) = cardinality(credit_record_ids) AND cardinality(credit_credited_minor) = cardinality(credit_record_ids)
      AND cardinality(credit_attributed_minor) = cardinality(credit_record_ids)));

-- Runs calculated before: their per-payee results and owner digests move into the new tables
-- (the run rows themselves are left as they were: a locked run never changes).
INSERT INTO payout_run_payees (tenant_id, run_id, payee_id, currency, earnings_minor, total_minor, draw_balance_out_minor, result)
SELECT r.tenant_id, r.id, (p->>'payeeId')::uuid, p->>'currency', (p->>'earningsMinor')::bigint, (p->>'totalMinor')::bigint, (p->>'drawBalanceOutMinor')::bigint, p
  FROM payout_runs r CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.result->'payees') = 'array' THEN r.result->'payees' ELSE '[]'::jsonb END) p;
INSERT INTO payout_run_owners (tenant_id, run_id, owner_id, digest, revenue)
SELECT r.tenant_id, r.id, o.key, o.value->>'digest', o.value->'revenue'
  FROM payout_runs r CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(r.result->'inputs'->'owners') = 'object' THEN r.result->'inputs'->'owners' ELSE '{}'::jsonb END) o;

-- A locked or paid run's rows never change: checked once per statement over the rows it touched
-- (a row trigger ran a query per row: seconds for a run of 20,000 lines).
CREATE FUNCTION attain_payout_rows_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE frozen text;
BEGIN
  -- Deleting a run deletes its rows by cascade: the run's own trigger decides whether it may go.
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT r.status INTO frozen FROM (SELECT DISTINCT n.tenant_id, n.run_id FROM new_rows n) t
      JOIN payout_runs r ON r.tenant_id = t.tenant_id AND r.id = t.run_id WHERE r.status IN ('locked', 'paid') LIMIT 1;
  END IF;
  IF frozen IS NULL AND TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT r.status INTO frozen FROM (SELECT DISTINCT o.tenant_id, o.run_id FROM old_rows o) t
      JOIN payout_runs r ON r.tenant_id = t.tenant_id AND r.id = t.run_id WHERE r.status IN ('locked', 'paid') LIMIT 1;
  END IF;
  IF frozen IS NOT NULL THEN
    RAISE EXCEPTION 'the lines of a % payout run never change', frozen USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;

DROP TRIGGER payout_lines_frozen ON payout_lines;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payout_lines', 'payout_run_payees', 'payout_run_owners'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attain_payout_rows_frozen()', t || '_frozen_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attain_payout_rows_frozen()', t || '_frozen_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attain_payout_rows_frozen()', t || '_frozen_delete', t);
  END LOOP;
END $$;
DROP FUNCTION attain_payout_lines_frozen();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['payout_run_payees', 'payout_run_owners'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;

-- Row-level security read the tenant setting per row as text compared with the row's uuid cast
-- to text: ≈ 1 µs a row, seconds for a payout run reading a million deals. The same rule,
-- comparing uuids (the store only ever sets app.tenant_id to a uuid, see store.ts inTenant).
CREATE OR REPLACE FUNCTION attain_tenant_visible(t uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT t = nullif(current_setting('app.tenant_id', true), '')::uuid
      OR current_setting('app.system', true) = 'on'
$$;
