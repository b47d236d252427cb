-- Indexes for the lookups every page makes: payees by team (team sizes, a manager's
-- subtree), teams by parent (tree walks) and by manager, and the audit log by tenant, newest first.
CREATE INDEX payees_team_idx ON payees (tenant_id, team_id);
CREATE INDEX payees_user_idx ON payees (tenant_id, user_id);
CREATE INDEX teams_parent_idx ON teams (tenant_id, parent_id);
CREATE INDEX teams_manager_idx ON teams (tenant_id, manager_user_id);
CREATE INDEX invitations_email_idx ON invitations (tenant_id, email);
