-- Getting data in: import jobs (status, progress, counts, the first errors), column
-- mappings saved per source, and the signing secrets of the records webhook.

CREATE TABLE import_mappings (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  dataset text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  mapping jsonb NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT import_mappings_name_key UNIQUE (tenant_id, dataset, name)
);

CREATE TABLE imports (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  dataset text NOT NULL,
  -- Where the file came from: 'upload' (API), 'cli'.
  source text NOT NULL CHECK (source IN ('upload', 'cli')),
  file_name text,
  mapping jsonb NOT NULL,
  mapping_name text,
  -- queued → validating → writing → completed; rejected (the file has errors, nothing written); failed.
  status text NOT NULL CHECK (status IN ('queued', 'validating', 'writing', 'completed', 'rejected', 'failed')),
  mode text NOT NULL CHECK (mode IN ('atomic', 'valid_only')),
  dry_run boolean NOT NULL DEFAULT false,
  total_rows integer NOT NULL DEFAULT 0,
  validated_rows integer NOT NULL DEFAULT 0,
  valid_rows integer NOT NULL DEFAULT 0,
  written_rows integer NOT NULL DEFAULT 0,
  inserted integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  error_count integer NOT NULL DEFAULT 0,
  -- The first 1,000 errors: [{ row, column, value, code, message }].
  errors jsonb NOT NULL DEFAULT '[]',
  -- Dry runs: the first rows as parsed values.
  preview jsonb,
  ignored_columns jsonb NOT NULL DEFAULT '[]',
  failure text,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_by_token uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- Touched while the job runs; a job whose heartbeat stops was interrupted.
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX imports_created_idx ON imports (tenant_id, created_at DESC);

-- Webhook signing secrets. HMAC verification needs the secret itself, so it is stored as
-- is (shown once when created, never returned again); revoke and create a new one to rotate.
CREATE TABLE webhook_secrets (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  secret text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['import_mappings', 'imports', 'webhook_secrets'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
