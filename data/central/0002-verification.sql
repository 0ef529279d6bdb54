-- Consent Kiosk central archive, schema version 2: verification attempts,
-- the organisation's use of the paid package, staff reveals and central
-- retention purges.
SET LOCAL search_path = ck, pg_catalog;

-- Each finished attempt, sent with the `verification` event that seals it
-- (the event's detail holds the SHA-256 of the attempt's canonical form;
-- `consentctl central check` recomputes it). Whether the vendor charged it
-- is the database's rule (docs/VERIFICATION.md), not the kiosk's word.
CREATE TABLE ck.attempts (
  kiosk_id text NOT NULL,
  verification_seq bigint NOT NULL,
  consent_uuid text NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  started_ms bigint NOT NULL,
  started_at text NOT NULL,
  duration_ms bigint NOT NULL,
  provider text NOT NULL,
  outcome text NOT NULL,
  http_status integer NOT NULL,
  provider_status text,
  provider_message text,
  request_id text,
  error_code text,
  error_message text,
  detail text,
  body bytea,
  body_truncated boolean NOT NULL,
  demo boolean NOT NULL,
  claimed_by text NOT NULL,
  billed text GENERATED ALWAYS AS (
    CASE WHEN demo OR provider = 'demo' THEN 'no'
         WHEN outcome = 'interrupted' THEN 'maybe'
         WHEN http_status = 200 AND outcome <> 'in-progress' THEN 'yes'
         ELSE 'no' END) STORED,
  PRIMARY KEY (kiosk_id, consent_uuid, number),
  FOREIGN KEY (kiosk_id, verification_seq) REFERENCES ck.links (kiosk_id, seq)
);
CREATE INDEX attempts_started ON ck.attempts (started_at) WHERE billed <> 'no';

-- The paid calls of consents a kiosk purged, as its purge kept them
-- (no consent id), sent with the purge event that kept them.
CREATE TABLE ck.purged_calls (
  kiosk_id text NOT NULL,
  local_id bigint NOT NULL,
  purge_seq bigint NOT NULL,
  started_ms bigint NOT NULL,
  started_at text NOT NULL,
  provider text NOT NULL,
  outcome text NOT NULL,
  http_status integer NOT NULL,
  request_id text,
  billed text NOT NULL CHECK (billed IN ('yes', 'maybe')),
  demo boolean NOT NULL,
  PRIMARY KEY (kiosk_id, local_id),
  FOREIGN KEY (kiosk_id, purge_seq) REFERENCES ck.links (kiosk_id, seq)
);

-- Every charged call of the organisation once: a purged call whose attempt
-- reached the archive before the purge is that attempt.
CREATE VIEW ck.org_calls AS
  SELECT kiosk_id, started_ms, started_at, provider, outcome, http_status, request_id, billed
    FROM ck.attempts WHERE billed <> 'no'
  UNION ALL
  SELECT p.kiosk_id, p.started_ms, p.started_at, p.provider, p.outcome, p.http_status,
         p.request_id, p.billed
    FROM ck.purged_calls p
   WHERE NOT p.demo AND NOT EXISTS (
         SELECT 1 FROM ck.attempts a
          WHERE a.kiosk_id = p.kiosk_id AND a.started_ms = p.started_ms
            AND a.provider = p.provider AND a.request_id IS NOT DISTINCT FROM p.request_id);

-- The package's usage by every kiosk since a day (YYYY-MM-DD, NULL for all
-- time): what a kiosk may read of the others.
CREATE FUNCTION ck.org_usage (since text)
  RETURNS TABLE (billed bigint, maybe_billed bigint, kiosks bigint)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog
  AS $$ SELECT count (*) FILTER (WHERE billed = 'yes'),
               count (*) FILTER (WHERE billed = 'maybe'),
               (SELECT count (*) FROM ck.kiosks)
          FROM ck.org_calls WHERE since IS NULL OR started_at >= since $$;

-- Whole ID numbers shown to staff from the archive, as the kiosk's
-- `reveal` events record them locally.
CREATE TABLE ck.reveals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now (),
  by_role name NOT NULL DEFAULT session_user,
  operator text NOT NULL CHECK (length (operator) BETWEEN 1 AND 256),
  what text NOT NULL CHECK (length (what) <= 2000)
);

-- Retention in the archive: ck.purge_before () removes the personal data
-- (the consent's row, its PDFs, its attempts' bodies) of consents signed
-- before a day, keeps every link (seq and hash) so that the chains still
-- verify, and records itself here.
CREATE TABLE ck.central_purges (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now (),
  by_role name NOT NULL DEFAULT session_user,
  operator text NOT NULL CHECK (length (operator) BETWEEN 1 AND 256),
  before text NOT NULL CHECK (before ~ '^\d{4}-\d{2}-\d{2}$'),
  consents bigint NOT NULL,
  links jsonb NOT NULL
);

CREATE FUNCTION ck.purge_before (before text, operator text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog
  AS $$
DECLARE
  gone jsonb;
  n bigint;
BEGIN
  IF before !~ '^\d{4}-\d{2}-\d{2}$' THEN
    RAISE EXCEPTION 'before must be YYYY-MM-DD' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  WITH d AS (DELETE FROM ck.consents WHERE sign_date < before
             RETURNING kiosk_id, seq, hash, uuid),
       p AS (DELETE FROM ck.pdfs x USING d
              WHERE x.kiosk_id = d.kiosk_id AND x.consent_uuid = d.uuid RETURNING 1),
       a AS (UPDATE ck.attempts x SET body = NULL, provider_message = NULL
               FROM d WHERE x.kiosk_id = d.kiosk_id AND x.consent_uuid = d.uuid RETURNING 1)
  SELECT coalesce (jsonb_agg (jsonb_build_array (kiosk_id, seq, hash) ORDER BY kiosk_id, seq), '[]'),
         count (*)
    INTO gone, n FROM d;
  INSERT INTO ck.central_purges (operator, before, consents, links)
    VALUES (operator, before, n, gone);
  RETURN n;
END $$;

REVOKE ALL ON FUNCTION ck.org_usage (text), ck.purge_before (text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ck.org_usage (text) TO ck_kiosk, ck_staff;
GRANT EXECUTE ON FUNCTION ck.purge_before (text, text) TO ck_purger;

GRANT INSERT ON ck.attempts, ck.purged_calls TO ck_kiosk;
ALTER TABLE ck.attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.purged_calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.reveals ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.central_purges ENABLE ROW LEVEL SECURITY;
CREATE POLICY kiosk_insert ON ck.attempts FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));
CREATE POLICY kiosk_insert ON ck.purged_calls FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));

GRANT SELECT ON ck.attempts, ck.purged_calls, ck.org_calls, ck.central_purges, ck.reveals TO ck_staff;
GRANT INSERT (operator, what) ON ck.reveals TO ck_staff;
CREATE POLICY staff_read ON ck.attempts FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.purged_calls FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.central_purges FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.reveals FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_reveal ON ck.reveals FOR INSERT TO ck_staff
  WITH CHECK (by_role = session_user);
