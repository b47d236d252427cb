-- OKRs: cycles, objectives, key results, check-ins, revisions, comments, approvals,
-- check-in meetings, retrospectives and the workspace's OKR settings (docs/okrs.md).
-- Tenant-owned tables only: tenant_id leads every key, unique constraint and foreign key
-- between them; the row-level security loop at the end guards each.
-- Numbers a user enters (targets, values, weights) are exact decimals (numeric), in the key
-- result's own unit; money key results count in major units of the workspace currency.

-- One row per workspace; absent means the defaults (src/core/okr/guidance.ts, pace.ts).
CREATE TABLE okr_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  objectives_min smallint NOT NULL DEFAULT 3 CHECK (objectives_min >= 0),
  objectives_max smallint NOT NULL DEFAULT 5,
  key_results_min smallint NOT NULL DEFAULT 2 CHECK (key_results_min >= 0),
  key_results_max smallint NOT NULL DEFAULT 5,
  check_outcome_wording boolean NOT NULL DEFAULT true,
  on_track_gap numeric NOT NULL DEFAULT 0.1 CHECK (on_track_gap >= 0 AND on_track_gap <= 1),
  at_risk_gap numeric NOT NULL DEFAULT 0.25 CHECK (at_risk_gap >= 0 AND at_risk_gap <= 1),
  checkin_cadence_days smallint NOT NULL DEFAULT 7 CHECK (checkin_cadence_days BETWEEN 1 AND 31),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id),
  CHECK (objectives_max >= objectives_min),
  CHECK (key_results_max >= key_results_min),
  CHECK (at_risk_gap >= on_track_gap)
);

-- A quarter or a fiscal year on the workspace's fiscal calendar; a quarter may point to its year.
CREATE TABLE okr_cycles (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  key text NOT NULL CHECK (key ~ '^([0-9]{4}-Q[1-4]|FY[0-9]{4})$'),
  kind text NOT NULL CHECK (kind IN ('quarter', 'year')),
  start_date date NOT NULL,
  -- Exclusive: the first day after the cycle.
  end_date date NOT NULL,
  parent_cycle_id uuid,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_cycles_key_key UNIQUE (tenant_id, key),
  CONSTRAINT okr_cycles_parent_fkey FOREIGN KEY (tenant_id, parent_cycle_id) REFERENCES okr_cycles (tenant_id, id),
  CHECK (end_date > start_date),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

CREATE TABLE okr_objectives (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  cycle_id uuid NOT NULL,
  -- A document's id for the objective (attain okr import/export): stable across round trips.
  external_key text CHECK (external_key IS NULL OR length(external_key) BETWEEN 1 AND 100),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  category text NOT NULL CHECK (category IN ('revenue', 'customer', 'product', 'process', 'team')),
  owner_team_id uuid,
  owner_user_id uuid REFERENCES users (id),
  commitment text NOT NULL CHECK (commitment IN ('committed', 'aspirational')),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'proposed', 'active', 'closed')),
  visibility text NOT NULL DEFAULT 'tenant' CHECK (visibility IN ('tenant', 'private')),
  parent_objective_id uuid,
  parent_key_result_id uuid,
  weighting text NOT NULL DEFAULT 'equal' CHECK (weighting IN ('equal', 'explicit', 'target_value')),
  template_id text,
  carried_from_objective_id uuid,
  -- Frozen at cycle close.
  final_score numeric CHECK (final_score IS NULL OR final_score BETWEEN 0 AND 1),
  self_assessment text CHECK (self_assessment IS NULL OR length(self_assessment) <= 5000),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  -- clock_timestamp: objectives made in one transaction (an import) keep their order.
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_objectives_cycle_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES okr_cycles (tenant_id, id),
  CONSTRAINT okr_objectives_team_fkey FOREIGN KEY (tenant_id, owner_team_id) REFERENCES teams (tenant_id, id),
  CONSTRAINT okr_objectives_parent_fkey FOREIGN KEY (tenant_id, parent_objective_id) REFERENCES okr_objectives (tenant_id, id) ON DELETE SET NULL (parent_objective_id),
  CONSTRAINT okr_objectives_carried_fkey FOREIGN KEY (tenant_id, carried_from_objective_id) REFERENCES okr_objectives (tenant_id, id) ON DELETE SET NULL (carried_from_objective_id),
  CONSTRAINT okr_objectives_external_key_key UNIQUE (tenant_id, cycle_id, external_key),
  -- Owned by exactly one team or one person.
  CHECK ((owner_team_id IS NULL) <> (owner_user_id IS NULL)),
  CHECK (parent_objective_id IS NULL OR parent_key_result_id IS NULL),
  CHECK (parent_objective_id IS NULL OR parent_objective_id <> id)
);
CREATE INDEX okr_objectives_cycle_idx ON okr_objectives (tenant_id, cycle_id);
CREATE INDEX okr_objectives_owner_team_idx ON okr_objectives (tenant_id, owner_team_id);
CREATE INDEX okr_objectives_owner_user_idx ON okr_objectives (tenant_id, owner_user_id);
CREATE INDEX okr_objectives_parent_idx ON okr_objectives (tenant_id, parent_objective_id);
CREATE INDEX okr_objectives_parent_kr_idx ON okr_objectives (tenant_id, parent_key_result_id);

CREATE TABLE okr_objective_contributors (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  objective_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (tenant_id, objective_id, user_id),
  CONSTRAINT okr_contributors_objective_fkey FOREIGN KEY (tenant_id, objective_id) REFERENCES okr_objectives (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX okr_contributors_user_idx ON okr_objective_contributors (tenant_id, user_id);

CREATE TABLE okr_key_results (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  objective_id uuid NOT NULL,
  external_key text CHECK (external_key IS NULL OR length(external_key) BETWEEN 1 AND 100),
  position integer NOT NULL DEFAULT 0,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  owner_user_id uuid REFERENCES users (id),
  weight numeric NOT NULL DEFAULT 1 CHECK (weight >= 0),
  unit text NOT NULL DEFAULT 'number' CHECK (unit IN ('count', 'money', 'percent', 'days', 'hours', 'number')),
  kind text NOT NULL CHECK (kind IN ('metric', 'number', 'percent', 'currency', 'milestone', 'checklist', 'guardrail')),
  direction text NOT NULL DEFAULT 'increase' CHECK (direction IN ('increase', 'decrease')),
  start_value numeric,
  target_value numeric,
  -- "+10 % against last quarter": the target is the baseline period's value changed by this percentage.
  baseline_period text CHECK (baseline_period IN ('previous_period', 'same_period_last_year')),
  baseline_change_percent numeric,
  metric_key text,
  metric_version integer,
  -- product, region, channel …; scope 'owner' reads the metric for the objective's owner team/person.
  metric_parameters jsonb NOT NULL DEFAULT '{}',
  checklist jsonb NOT NULL DEFAULT '[]',
  guardrail_mode text CHECK (guardrail_mode IN ('stay_above', 'stay_below')),
  guardrail_limit numeric,
  tracking_note text,
  carried_from_key_result_id uuid,
  -- The latest check-in, kept here for lists; history is in okr_checkins / okr_kr_daily_values.
  current_value numeric,
  current_at timestamptz,
  final_score numeric CHECK (final_score IS NULL OR final_score BETWEEN 0 AND 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_key_results_objective_fkey FOREIGN KEY (tenant_id, objective_id) REFERENCES okr_objectives (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT okr_key_results_carried_fkey FOREIGN KEY (tenant_id, carried_from_key_result_id) REFERENCES okr_key_results (tenant_id, id) ON DELETE SET NULL (carried_from_key_result_id),
  CONSTRAINT okr_key_results_external_key_key UNIQUE (tenant_id, objective_id, external_key),
  CHECK ((kind = 'metric') = (metric_key IS NOT NULL)),
  CHECK ((kind = 'guardrail') = (guardrail_mode IS NOT NULL AND guardrail_limit IS NOT NULL)),
  CHECK ((baseline_period IS NULL) = (baseline_change_percent IS NULL))
);
CREATE INDEX okr_key_results_objective_idx ON okr_key_results (tenant_id, objective_id);
CREATE INDEX okr_key_results_carried_idx ON okr_key_results (tenant_id, carried_from_key_result_id);

-- An objective may align to a key result above it (added here: the tables reference each other).
ALTER TABLE okr_objectives ADD CONSTRAINT okr_objectives_parent_kr_fkey
  FOREIGN KEY (tenant_id, parent_key_result_id) REFERENCES okr_key_results (tenant_id, id) ON DELETE SET NULL (parent_key_result_id);

-- Append-only: every check-in as it was entered (or read from the metric).
CREATE TABLE okr_checkins (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  key_result_id uuid NOT NULL,
  -- The day the value is for (a check-in may catch up on an earlier day).
  value_date date NOT NULL,
  value numeric,
  -- Checklist key results: which items are done, in item order.
  checklist_done jsonb,
  confidence smallint CHECK (confidence BETWEEN 1 AND 10),
  note text CHECK (note IS NULL OR length(note) <= 5000),
  blockers text CHECK (blockers IS NULL OR length(blockers) <= 5000),
  source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'metric', 'import', 'close')),
  author_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_checkins_key_result_fkey FOREIGN KEY (tenant_id, key_result_id) REFERENCES okr_key_results (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX okr_checkins_key_result_idx ON okr_checkins (tenant_id, key_result_id, at);

-- One value per key result and day (the day's latest check-in): guardrail scoring and sparklines.
CREATE TABLE okr_kr_daily_values (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  key_result_id uuid NOT NULL,
  day date NOT NULL,
  value numeric NOT NULL,
  PRIMARY KEY (tenant_id, key_result_id, day),
  CONSTRAINT okr_daily_key_result_fkey FOREIGN KEY (tenant_id, key_result_id) REFERENCES okr_key_results (tenant_id, id) ON DELETE CASCADE
);

-- Append-only: a change to a key result's target or definition, with the reason. `before`
-- holds the definition that was in effect until `at`, so older scores stay reproducible.
CREATE TABLE okr_kr_revisions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  key_result_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  author_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  before jsonb NOT NULL,
  after jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_revisions_key_result_fkey FOREIGN KEY (tenant_id, key_result_id) REFERENCES okr_key_results (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX okr_revisions_key_result_idx ON okr_kr_revisions (tenant_id, key_result_id, at);

CREATE TABLE okr_comments (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  objective_id uuid NOT NULL,
  key_result_id uuid,
  kind text NOT NULL CHECK (kind IN ('comment', 'kudos')),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  author_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_comments_objective_fkey FOREIGN KEY (tenant_id, objective_id) REFERENCES okr_objectives (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT okr_comments_key_result_fkey FOREIGN KEY (tenant_id, key_result_id) REFERENCES okr_key_results (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX okr_comments_objective_idx ON okr_comments (tenant_id, objective_id, created_at);

-- Append-only: the approval trail (proposed, approved, rejected) of each objective.
CREATE TABLE okr_approvals (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  objective_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('proposed', 'approved', 'rejected')),
  actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  note text CHECK (note IS NULL OR length(note) <= 2000),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_approvals_objective_fkey FOREIGN KEY (tenant_id, objective_id) REFERENCES okr_objectives (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX okr_approvals_objective_idx ON okr_approvals (tenant_id, objective_id, at);

-- A team's check-in meeting: its notes, and the point the next meeting's "what changed" starts from.
CREATE TABLE okr_meetings (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  team_id uuid NOT NULL,
  cycle_id uuid NOT NULL,
  held_at timestamptz NOT NULL DEFAULT now(),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT okr_meetings_team_fkey FOREIGN KEY (tenant_id, team_id) REFERENCES teams (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT okr_meetings_cycle_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES okr_cycles (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX okr_meetings_team_idx ON okr_meetings (tenant_id, team_id, held_at);

-- End-of-cycle learnings of one owner (a team or a person).
CREATE TABLE okr_retrospectives (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  cycle_id uuid NOT NULL,
  owner_kind text NOT NULL CHECK (owner_kind IN ('team', 'user')),
  owner_id uuid NOT NULL,
  learnings text NOT NULL DEFAULT '' CHECK (length(learnings) <= 20000),
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, cycle_id, owner_kind, owner_id),
  CONSTRAINT okr_retrospectives_cycle_fkey FOREIGN KEY (tenant_id, cycle_id) REFERENCES okr_cycles (tenant_id, id) ON DELETE CASCADE
);

-- History is never lost: check-ins, revisions and approvals are append-only (the cascade
-- when their key result, objective or workspace is deleted is the one exception).
CREATE FUNCTION attain_okr_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['okr_checkins', 'okr_kr_revisions', 'okr_approvals'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION attain_okr_append_only()', t || '_append_only', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['okr_settings', 'okr_cycles', 'okr_objectives', 'okr_objective_contributors', 'okr_key_results', 'okr_checkins',
                           'okr_kr_daily_values', 'okr_kr_revisions', 'okr_comments', 'okr_approvals', 'okr_meetings', 'okr_retrospectives'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (attain_tenant_visible(tenant_id)) WITH CHECK (attain_tenant_visible(tenant_id))', t);
  END LOOP;
END $$;
