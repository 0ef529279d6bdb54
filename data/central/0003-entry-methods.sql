-- Consent Kiosk central archive, schema version 3: how the name and the ID
-- number of each consent were entered (issue 18), as the kiosk's store
-- keeps them since its schema 10.
SET LOCAL search_path = ck, pg_catalog;

-- A CkEntryMethod's nick, or NULL: not recorded (a consent signed before
-- the kiosk recorded it, or synced before this version). Outside the
-- consent's hash, as in the kiosk's chain: the PDF's signing record, which
-- the hash covers through pdf_sha256, says the same. Rows already here keep
-- NULL; nothing guesses.
ALTER TABLE ck.consents
  ADD COLUMN name_method text CHECK (name_method IN ('typed', 'handwriting', 'pinyin', 'card')),
  ADD COLUMN id_method text CHECK (id_method IN ('typed', 'handwriting', 'pinyin', 'card'));
