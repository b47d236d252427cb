-- A team's own check-in cadence (7 = weekly, 14 = bi-weekly). NULL: the nearest team above
-- with one, else the workspace's (okr_settings.checkin_cadence_days).

ALTER TABLE teams ADD COLUMN checkin_cadence_days integer CHECK (checkin_cadence_days BETWEEN 1 AND 31);
