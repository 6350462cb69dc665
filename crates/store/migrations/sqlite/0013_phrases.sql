-- 常用语: phrases kept to be picked instead of typed. `owner` is the user whose own it is (NULL:
-- shared with everyone under `area`; '' reaches everyone). Removed when no longer wanted.
CREATE TABLE phrases (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    owner      TEXT,
    area       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX phrases_owner ON phrases (owner, kind);
CREATE INDEX phrases_area ON phrases (area, kind);

-- The shipped ones, for every desk from the first day (an admin may remove them).
INSERT INTO phrases (id, kind, text, owner, area, created_at) VALUES
    ('default-instruction-1', 'instruction', '请于时限内办结并上传处置前后照片。', NULL, '', 0),
    ('default-instruction-2', 'instruction', '请尽快到现场核实处置，并及时回复来电人。', NULL, '', 0),
    ('default-instruction-3', 'instruction', '该问题群众反映强烈，请优先办理。', NULL, '', 0),
    ('default-rejection-1', 'rejection', '处置结果与诉求不符，请重新办理。', NULL, '', 0),
    ('default-rejection-2', 'rejection', '缺少处置后照片，请补充后再报。', NULL, '', 0),
    ('default-rejection-3', 'rejection', '属于本部门职责范围，请继续办理。', NULL, '', 0),
    ('default-rejection-4', 'rejection', '延期理由不充分，请按原时限办结。', NULL, '', 0),
    ('default-feedback-1', 'feedback', '已到现场处置完毕，现场已恢复正常。', NULL, '', 0),
    ('default-feedback-2', 'feedback', '已联系来电人说明情况，来电人表示认可。', NULL, '', 0),
    ('default-feedback-3', 'feedback', '经现场核实，问题已由责任单位整改到位。', NULL, '', 0);
