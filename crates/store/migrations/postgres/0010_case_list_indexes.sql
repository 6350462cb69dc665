-- Lists walk one index in `id` order and stop after a page (`case/plan.rs`): an index per
-- scope a reader can hold (county, town, village, department, own reports), each with and
-- without the state, so that a queue of one state in one scope is a single ordered range.
CREATE INDEX cases_county ON cases ((substr(area, 1, 6)), id);
CREATE INDEX cases_county_state ON cases ((substr(area, 1, 6)), state, id);
CREATE INDEX cases_town ON cases ((substr(area, 1, 9)), id);
CREATE INDEX cases_town_state ON cases ((substr(area, 1, 9)), state, id);
CREATE INDEX cases_area_state ON cases (area, state, id);
CREATE INDEX cases_department_state ON cases (department_id, state, id);
-- Supervised cases are few: their own walk rather than a filter over every case.
CREATE INDEX cases_supervised ON cases (supervised, id);
-- The open cases whose deadline runs (red and yellow cards), newest first.
CREATE INDEX cases_running ON cases (id) WHERE due_at IS NOT NULL;
DROP INDEX cases_reporter;
CREATE INDEX cases_reporter ON cases (reporter_user_id, id);
