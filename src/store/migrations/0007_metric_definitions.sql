-- Custom metric definitions, versioned: editing a metric adds a version, old versions
-- stay (every evaluation names the key and version it used). Catalogue metrics live in
-- code (src/core/metrics/catalogue.ts); a custom key never reuses a catalogue key.

CREATE TABLE metric_definitions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,59}$'),
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key, version)
);

-- Versions are append-only (a workspace's deletion still cascades).
CREATE FUNCTION attain_metric_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.definition = OLD.definition AND NEW.key = OLD.key AND NEW.version = OLD.version AND NEW.tenant_id = OLD.tenant_id THEN
    RETURN NEW;  -- created_by set to NULL when the user is deleted
  END IF;
  RAISE EXCEPTION 'metric definition versions are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER metric_definitions_append_only BEFORE UPDATE OR DELETE ON metric_definitions
  FOR EACH ROW EXECUTE FUNCTION attain_metric_versions_append_only();

ALTER TABLE metric_definitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_definitions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON metric_definitions USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id));
