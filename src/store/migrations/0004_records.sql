-- Sales data: custom dataset definitions and the records of every dataset.
-- Records keep typed values in slot columns; a dataset's definition (built-ins in
-- src/core/data/datasets.ts, custom ones in `datasets`) says which field is in which slot.

CREATE TABLE datasets (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  label_en text NOT NULL,
  label_de text NOT NULL,
  fields jsonb NOT NULL,
  currency_field text,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE records (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id bigint GENERATED ALWAYS AS IDENTITY,
  dataset text NOT NULL,
  ext_id text NOT NULL CHECK (length(ext_id) BETWEEN 1 AND 200),
  owner_payee_id uuid,
  t1 text, t2 text, t3 text, t4 text, t5 text, t6 text, t7 text, t8 text, t9 text, t10 text, t11 text, t12 text,
  n1 bigint, n2 bigint, n3 bigint, n4 bigint, n5 bigint, n6 bigint, n7 bigint, n8 bigint,
  d1 date, d2 date, d3 date, d4 date, d5 date, d6 date,
  ts1 timestamptz, ts2 timestamptz, ts3 timestamptz, ts4 timestamptz,
  -- A hash of the stored values: re-importing an unchanged row writes nothing.
  row_hash text NOT NULL,
  import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by_user uuid,
  updated_by_token uuid,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT records_ext_id_key UNIQUE (tenant_id, dataset, ext_id),
  CONSTRAINT records_owner_fkey FOREIGN KEY (tenant_id, owner_payee_id) REFERENCES payees (tenant_id, id) ON DELETE SET NULL (owner_payee_id)
);
CREATE INDEX records_owner_idx ON records (tenant_id, owner_payee_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['datasets', 'records'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
