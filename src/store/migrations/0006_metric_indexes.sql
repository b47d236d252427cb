-- Indexes for the metric evaluator (src/store/metrics). Every metric reads one dataset's
-- records in a date range of the field that attributes them to a period; these turn that
-- into an index range scan instead of a scan of all the tenant's records.
-- d1 holds the created/activity date of the built-in datasets; d2 the deals' close date
-- (and the accounts' churn date, the leads' conversion date); ts1 the tickets' opening time.
-- Measured (bench/metrics.bench.ts, 1M deals, PostgreSQL 15, "revenue per owner for a
-- quarter"): ~180–260 ms with no index (sequential scan), ~35 ms with (tenant_id, dataset, d2).
-- A covering variant (INCLUDE owner, stage, amount) gained nothing measurable with the heap
-- in cache and costs every import, so the indexes stay narrow.
CREATE INDEX records_metric_d1_idx ON records (tenant_id, dataset, d1);
CREATE INDEX records_metric_d2_idx ON records (tenant_id, dataset, d2);
CREATE INDEX records_metric_ts1_idx ON records (tenant_id, dataset, ts1);
