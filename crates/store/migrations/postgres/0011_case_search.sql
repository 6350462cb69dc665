-- Finding a case (issue 20): a keyword in its title, description or address, and the other
-- cases of the same caller by a keyed hash of the phone (never by decrypting it).
ALTER TABLE cases ADD COLUMN search_text TEXT;
-- NULL: not indexed yet (a case from before this migration: the server indexes it at start,
-- since only it holds the key); '' for a case reported without a phone.
ALTER TABLE cases ADD COLUMN phone_index TEXT;
UPDATE cases SET search_text = lower(
    coalesce(data::json->'report'->>'title', '') || ' ' ||
    coalesce(data::json->'report'->>'description', '') || ' ' ||
    coalesce(data::json->'report'->>'address', ''));
UPDATE cases SET phone_index = '' WHERE data::json->'report'->>'reporter_phone_enc' IS NULL;
CREATE INDEX cases_phone ON cases (phone_index, id);
