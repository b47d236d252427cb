-- A dispute follows its payout line by the engine's stable line id, not by the line's number:
-- recalculating an open run rewrites its lines (numbers may move, a line may go away), and a
-- foreign key on (run, line_no) made that recalculation fail for any run with a dispute.
-- What the payee disputed is kept with the dispute (label, amount, currency as they saw them).
ALTER TABLE payout_disputes ADD COLUMN line_id text;
ALTER TABLE payout_disputes ADD COLUMN line_label text;
ALTER TABLE payout_disputes ADD COLUMN line_amount_minor bigint;
ALTER TABLE payout_disputes ADD COLUMN line_currency text;
UPDATE payout_disputes d SET line_id = l.line_id, line_label = l.label, line_amount_minor = l.amount_minor, line_currency = l.currency
  FROM payout_lines l WHERE l.tenant_id = d.tenant_id AND l.run_id = d.run_id AND l.line_no = d.line_no;
ALTER TABLE payout_disputes ALTER COLUMN line_id SET NOT NULL;
ALTER TABLE payout_disputes ALTER COLUMN line_label SET NOT NULL;
ALTER TABLE payout_disputes ALTER COLUMN line_amount_minor SET NOT NULL;
ALTER TABLE payout_disputes ALTER COLUMN line_currency SET NOT NULL;
ALTER TABLE payout_disputes DROP CONSTRAINT payout_disputes_line_fkey;
ALTER TABLE payout_disputes ADD CONSTRAINT payout_disputes_run_fkey FOREIGN KEY (tenant_id, run_id) REFERENCES payout_runs (tenant_id, id);
CREATE INDEX payout_disputes_line_idx ON payout_disputes (tenant_id, run_id, line_id);
