-- What a case waits for from its centre (issue 20, approvals are seen): a return to review, an
-- extension or a suspension to decide. The dispatcher's views and their counts walk it.
ALTER TABLE cases ADD COLUMN awaiting TEXT;
UPDATE cases SET awaiting = CASE
    WHEN state = 'returned' AND json_extract(data, '$.returned_from') IS NOT NULL THEN 'review'
    WHEN json_extract(data, '$.pending_extension') IS NOT NULL THEN 'extension'
    WHEN json_extract(data, '$.pending_suspension') IS NOT NULL THEN 'suspension'
END;
CREATE INDEX cases_awaiting ON cases (awaiting, id);
CREATE INDEX cases_awaiting_any ON cases (id) WHERE awaiting IS NOT NULL;
