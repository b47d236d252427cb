-- The credits behind a payout line as one bytea instead of four arrays (migration 0014): a run
-- of a million deals spent seconds encoding, shipping, parsing and pglz-compressing ≈ 4 million
-- array elements (bench/comp-lines.bench.ts). Lines written before keep their arrays (or,
-- before 0014, their explanation->'credits'): a locked run is never rewritten; the readers take
-- all three.
--
-- Format (src/store/repos/payout-lines.ts): a version byte (1); the widths in bytes (1–8) of
-- the record id, credited and attributed fields, as narrow as the line's values allow; then per
-- credit, in the line's order: record id, kind (one byte: 0 owner, 1 split, 2 overlay, 3 team,
-- 4 manager, 5 territory), credited minor units, attributed minor units — integers signed,
-- big-endian. A typical credit takes 10 bytes. Only record ids that are integers written
-- canonically (records.id::text) fit: a line with any other id keeps its credits in its
-- explanation, as before 0014. No credits: NULL.
ALTER TABLE payout_lines ADD COLUMN credits bytea;
ALTER TABLE payout_lines ADD CONSTRAINT payout_lines_credits_format CHECK (
  CASE WHEN credits IS NULL THEN true
       WHEN credit_record_ids IS NOT NULL OR length(credits) < 4 OR get_byte(credits, 0) <> 1 THEN false
       WHEN get_byte(credits, 1) NOT BETWEEN 1 AND 8 OR get_byte(credits, 2) NOT BETWEEN 1 AND 8 OR get_byte(credits, 3) NOT BETWEEN 1 AND 8 THEN false
       ELSE (length(credits) - 4) % (get_byte(credits, 1) + 1 + get_byte(credits, 2) + get_byte(credits, 3)) = 0 END);

-- Stored as written: narrow binary integers gain little from pglz, which cost the most time
-- (and byte reads of an uncompressed value need no decompression).
ALTER TABLE payout_lines ALTER COLUMN credits SET STORAGE EXTERNAL;

-- A signed big-endian integer of `width` bytes at (0-based) `at`: byte arithmetic up to 4 bytes
-- (what lines mostly hold), through a 64-bit string above.
CREATE FUNCTION attain_bytes_int(bytes bytea, at integer, width integer) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE width
    WHEN 1 THEN (get_byte(bytes, at) # 128) - 128
    WHEN 2 THEN (((get_byte(bytes, at) << 8) | get_byte(bytes, at + 1)) # 32768) - 32768
    WHEN 3 THEN ((((get_byte(bytes, at) << 16) | (get_byte(bytes, at + 1) << 8)) | get_byte(bytes, at + 2)) # 8388608) - 8388608
    WHEN 4 THEN (((((get_byte(bytes, at)::bigint << 24) | (get_byte(bytes, at + 1) << 16)) | (get_byte(bytes, at + 2) << 8)) | get_byte(bytes, at + 3)) # 2147483648) - 2147483648
    ELSE ('x' || lpad(encode(substring(bytes FROM at + 1 FOR width), 'hex'), 16, CASE WHEN get_byte(bytes, at) >= 128 THEN 'f' ELSE '0' END))::bit(64)::bigint
  END
$$;

-- A line's credits as rows (credit_no: 1, 2, … in the line's order), for SQL readers (the
-- clawback query, reports). The bytes are read from TOAST once per line, not once per field.
CREATE FUNCTION attain_payout_credits(credits bytea)
RETURNS TABLE (credit_no integer, record_id bigint, kind text, credited_minor bigint, attributed_minor bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (o - 4) / d.stride + 1,
         attain_bytes_int(d.b, o, d.w_id),
         (ARRAY['owner', 'split', 'overlay', 'team', 'manager', 'territory'])[get_byte(d.b, o + d.w_id) + 1],
         attain_bytes_int(d.b, o + d.w_id + 1, d.w_credited),
         attain_bytes_int(d.b, o + d.w_id + 1 + d.w_credited, d.w_attributed)
    FROM (SELECT x.b, get_byte(x.b, 1) AS w_id, get_byte(x.b, 2) AS w_credited, get_byte(x.b, 3) AS w_attributed,
                 get_byte(x.b, 1) + 1 + get_byte(x.b, 2) + get_byte(x.b, 3) AS stride
            FROM (SELECT credits || '\x'::bytea AS b WHERE length(credits) >= 4 OFFSET 0) x) d
   CROSS JOIN generate_series(4, length(d.b) - 1, d.stride) AS o
$$;

-- The freeze triggers of 0014 are per statement on the whole table: they cover the new column.
