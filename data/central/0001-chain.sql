-- Consent Kiosk central archive, schema version 1: every kiosk's hash chain.
--
-- Applied by `consentctl central init` (or `migrate`) in one transaction,
-- as the role ck_owner, which owns everything here. Kiosks log in as their
-- own roles, members of ck_kiosk; what they may do is decided by the grants
-- and row-level security policies below, not by the kiosk's code
-- (docs/CENTRAL.md). Nothing here ever trusts a value a kiosk computed when
-- PostgreSQL can compute it: each row's hash is recomputed by a CHECK, each
-- PDF's SHA-256 too, and the chain's continuity is a foreign key.

CREATE SCHEMA ck AUTHORIZATION ck_owner;
SET LOCAL search_path = ck, pg_catalog;

CREATE TABLE ck.schema_migrations (
  version integer PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now (),
  applied_by name NOT NULL DEFAULT session_user
);

-- The kiosks allowed to sync, each with the database role it logs in as.
CREATE TABLE ck.kiosks (
  kiosk_id text PRIMARY KEY CHECK (length (kiosk_id) BETWEEN 1 AND 128),
  branch text NOT NULL DEFAULT '' CHECK (length (branch) <= 128),
  role_name name NOT NULL UNIQUE,
  added_at timestamptz NOT NULL DEFAULT now ()
);

-- The kiosk the calling role syncs for (NULL for any other role).
CREATE FUNCTION ck.kiosk_of (role name) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = pg_catalog
  AS $$ SELECT kiosk_id FROM ck.kiosks WHERE role_name = role $$;

-- The canonical form of a chain record, field by field: docs/STORAGE.md
-- ("The canonical record"). The database is UTF-8 (init checks), so
-- octet_length is the length in UTF-8 bytes.
CREATE FUNCTION ck.canon (k text, v text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT k || ':' || CASE WHEN v IS NULL THEN '-' ELSE octet_length (v)::text || ':' || v END || E'\n' $$;

CREATE FUNCTION ck.consent_hash (prev text, seq bigint, uuid text, created_at text, name text,
                                 id_number text, sign_date text, org_name text, org_business text,
                                 org_purpose text, template_sha256 text, pdf_path text,
                                 pdf_sha256 text, pdf_size bigint, signature bytea,
                                 kiosk_id text, operator text, demo boolean) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT encode (sha256 (convert_to (
    E'ck-consent/1\n' || ck.canon ('prev', prev) || ck.canon ('seq', seq::text) ||
    ck.canon ('uuid', uuid) || ck.canon ('created_at', created_at) || ck.canon ('name', name) ||
    ck.canon ('id_number', id_number) || ck.canon ('sign_date', sign_date) ||
    ck.canon ('org_name', org_name) || ck.canon ('org_business', org_business) ||
    ck.canon ('org_purpose', org_purpose) || ck.canon ('template_sha256', template_sha256) ||
    ck.canon ('pdf_path', pdf_path) || ck.canon ('pdf_sha256', pdf_sha256) ||
    ck.canon ('pdf_size', pdf_size::text) ||
    ck.canon ('signature_sha256', encode (sha256 (signature), 'hex')) ||
    ck.canon ('kiosk_id', kiosk_id) || ck.canon ('operator', operator) ||
    ck.canon ('demo', CASE WHEN demo THEN '1' ELSE '0' END), 'UTF8')), 'hex') $$;

CREATE FUNCTION ck.event_hash (prev text, seq bigint, at text, kind text, consent_uuid text,
                               operator text, detail text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT encode (sha256 (convert_to (
    E'ck-event/1\n' || ck.canon ('prev', prev) || ck.canon ('seq', seq::text) ||
    ck.canon ('at', at) || ck.canon ('kind', kind) || ck.canon ('consent_uuid', consent_uuid) ||
    ck.canon ('operator', operator) || ck.canon ('detail', detail), 'UTF8')), 'hex') $$;

-- One row a link of a kiosk's chain, in the kiosk's order. The chain's
-- continuity is PostgreSQL's to enforce: each link names the one before by
-- seq and hash (a foreign key), only the first has none. A 'cut' link is
-- one the kiosk purged before it was synced: only its hash is known (from
-- the purge event, later in the chain).
CREATE TABLE ck.links (
  kiosk_id text NOT NULL REFERENCES ck.kiosks (kiosk_id),
  seq bigint NOT NULL CHECK (seq >= 1),
  kind text NOT NULL CHECK (kind IN ('consent', 'event', 'cut')),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  prev_hash text CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  prev_seq bigint GENERATED ALWAYS AS (seq - 1) STORED,
  prev text GENERATED ALWAYS AS (coalesce (prev_hash, repeat ('0', 64))) STORED,
  received_at timestamptz NOT NULL DEFAULT now (),
  PRIMARY KEY (kiosk_id, seq),
  UNIQUE (kiosk_id, seq, hash),
  UNIQUE (kiosk_id, seq, hash, prev),
  FOREIGN KEY (kiosk_id, prev_seq, prev_hash) REFERENCES ck.links (kiosk_id, seq, hash),
  CHECK ((seq = 1) = (prev_hash IS NULL))
);

-- A consent as the kiosk stored it. Its hash is recomputed from its columns
-- and must be its link's; kiosk_id is the kiosk that synced it, record_kiosk_id
-- the [kiosk] id written in the record when it was signed.
CREATE TABLE ck.consents (
  kiosk_id text NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  prev text NOT NULL,
  uuid text NOT NULL,
  created_at text NOT NULL,
  name text NOT NULL,
  id_number text NOT NULL,
  id_reversed text GENERATED ALWAYS AS (reverse (id_number)) STORED,
  sign_date text NOT NULL CHECK (sign_date ~ '^\d{4}-\d{2}-\d{2}$'),
  org_name text NOT NULL,
  org_business text NOT NULL,
  org_purpose text NOT NULL,
  template_sha256 text NOT NULL,
  pdf_path text NOT NULL,
  pdf_sha256 text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  pdf_size bigint NOT NULL CHECK (pdf_size > 0),
  signature bytea NOT NULL,
  record_kiosk_id text NOT NULL,
  operator text,
  demo boolean NOT NULL,
  PRIMARY KEY (kiosk_id, seq),
  UNIQUE (kiosk_id, uuid),
  UNIQUE (kiosk_id, uuid, pdf_sha256, pdf_size),
  FOREIGN KEY (kiosk_id, seq, hash, prev) REFERENCES ck.links (kiosk_id, seq, hash, prev),
  CONSTRAINT consents_hash CHECK (hash = ck.consent_hash (prev, seq, uuid, created_at, name, id_number,
    sign_date, org_name, org_business, org_purpose, template_sha256, pdf_path, pdf_sha256, pdf_size,
    signature, record_kiosk_id, operator, demo))
);
-- Staff queries: a name's first characters, an ID number's last ones, a
-- sign date range, a consent id; byte order (COLLATE "C") as the kiosk's.
CREATE INDEX consents_name ON ck.consents ((name COLLATE "C"));
CREATE INDEX consents_id_reversed ON ck.consents ((id_reversed COLLATE "C"));
CREATE INDEX consents_sign_date ON ck.consents (sign_date, kiosk_id, seq);
CREATE INDEX consents_uuid ON ck.consents (uuid);

CREATE TABLE ck.events (
  kiosk_id text NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  prev text NOT NULL,
  at text NOT NULL,
  kind text NOT NULL,
  consent_uuid text,
  operator text,
  detail text,
  PRIMARY KEY (kiosk_id, seq),
  FOREIGN KEY (kiosk_id, seq, hash, prev) REFERENCES ck.links (kiosk_id, seq, hash, prev),
  CONSTRAINT events_hash CHECK (hash = ck.event_hash (prev, seq, at, kind, consent_uuid, operator, detail))
);
CREATE INDEX events_consent ON ck.events (kiosk_id, consent_uuid);
CREATE INDEX events_kind ON ck.events (kind, kiosk_id, seq);

-- The PDFs, away from the rows: the consent's as signed (seq = its link),
-- and each revision a seal or a document timestamp appended later (seq =
-- its pdf-revision event). Each is the whole file up to that revision.
CREATE TABLE ck.pdfs (
  kiosk_id text NOT NULL,
  seq bigint NOT NULL,
  consent_uuid text NOT NULL,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (kiosk_id, seq),
  FOREIGN KEY (kiosk_id, seq) REFERENCES ck.links (kiosk_id, seq),
  CONSTRAINT pdfs_size CHECK (octet_length (data) = size),
  CONSTRAINT pdfs_sha256 CHECK (sha256 = encode (sha256 (data), 'hex'))
);
CREATE INDEX pdfs_consent ON ck.pdfs (kiosk_id, consent_uuid);

-- A link arrives whole or not at all: at commit, a consent link has its
-- row and its PDF (the one the row names), an event link its row.
CREATE FUNCTION ck.link_complete () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog
  AS $$
BEGIN
  IF NEW.kind = 'consent' AND NOT EXISTS (
       SELECT 1 FROM ck.consents c JOIN ck.pdfs p
         ON p.kiosk_id = c.kiosk_id AND p.seq = c.seq
        AND p.sha256 = c.pdf_sha256 AND p.size = c.pdf_size
        AND p.consent_uuid = c.uuid
       WHERE c.kiosk_id = NEW.kiosk_id AND c.seq = NEW.seq) THEN
    RAISE EXCEPTION 'consent link % of kiosk % arrived without its record or its PDF', NEW.seq, NEW.kiosk_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NEW.kind = 'event' AND NOT EXISTS (
       SELECT 1 FROM ck.events e WHERE e.kiosk_id = NEW.kiosk_id AND e.seq = NEW.seq) THEN
    RAISE EXCEPTION 'event link % of kiosk % arrived without its record', NEW.seq, NEW.kiosk_id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER links_complete AFTER INSERT ON ck.links
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ck.link_complete ();

-- A kiosk's report that the archive refused what it sent (a link that
-- differs from the one stored: a chain rewritten on the kiosk).
CREATE TABLE ck.sync_conflicts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kiosk_id text NOT NULL REFERENCES ck.kiosks (kiosk_id),
  seq bigint NOT NULL,
  kiosk_hash text NOT NULL,
  central_hash text,
  message text NOT NULL CHECK (length (message) <= 2000),
  reported_at timestamptz NOT NULL DEFAULT now (),
  reported_by name NOT NULL DEFAULT session_user
);

-- Least privilege. Kiosks: insert their own kiosk's rows, read their own
-- links' seq and hash (their receipts); never update, delete or read
-- another kiosk's anything.
REVOKE ALL ON SCHEMA ck FROM PUBLIC;
GRANT USAGE ON SCHEMA ck TO ck_kiosk, ck_staff, ck_purger;
REVOKE ALL ON FUNCTION ck.kiosk_of (name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ck.kiosk_of (name) TO ck_kiosk, ck_staff;
REVOKE ALL ON FUNCTION ck.link_complete () FROM PUBLIC;

GRANT INSERT ON ck.links, ck.consents, ck.events, ck.pdfs, ck.sync_conflicts TO ck_kiosk;
GRANT SELECT (kiosk_id, seq, hash, received_at) ON ck.links TO ck_kiosk;
GRANT SELECT ON ck.schema_migrations TO ck_kiosk;

ALTER TABLE ck.links ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.consents ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.pdfs ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.sync_conflicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ck.kiosks ENABLE ROW LEVEL SECURITY;

CREATE POLICY kiosk_insert ON ck.links FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));
CREATE POLICY kiosk_receipts ON ck.links FOR SELECT TO ck_kiosk
  USING (kiosk_id = ck.kiosk_of (current_user));
CREATE POLICY kiosk_insert ON ck.consents FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));
CREATE POLICY kiosk_insert ON ck.events FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));
CREATE POLICY kiosk_insert ON ck.pdfs FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));
CREATE POLICY kiosk_insert ON ck.sync_conflicts FOR INSERT TO ck_kiosk
  WITH CHECK (kiosk_id = ck.kiosk_of (current_user));

-- Staff and compliance: read everything, change nothing.
GRANT SELECT ON ck.schema_migrations, ck.kiosks, ck.links, ck.consents, ck.events, ck.pdfs,
  ck.sync_conflicts TO ck_staff;
CREATE POLICY staff_read ON ck.kiosks FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.links FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.consents FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.events FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.pdfs FOR SELECT TO ck_staff USING (true);
CREATE POLICY staff_read ON ck.sync_conflicts FOR SELECT TO ck_staff USING (true);
