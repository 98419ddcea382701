-- Bonus and penalty items are scored like the others; the set's caps are copied with the item definitions so the
-- rules stay local (a published set never changes). Existing items are regular ones.
ALTER TABLE assessments ADD COLUMN bonus_cap numeric;
ALTER TABLE assessments ADD COLUMN penalty_cap numeric;
ALTER TABLE assessment_items ADD COLUMN kind text NOT NULL DEFAULT 'regular'
    CHECK (kind IN ('regular', 'bonus', 'penalty'));

-- Who, by name (the token's name claim), next to the user id; older entries show their user id.
ALTER TABLE audit_log ADD COLUMN user_name text;

-- Every appraised value per item, per appraisal round and per finalisation cycle (revision at the time): reopening a
-- finalised appraisal and appraising again no longer overwrites what the earlier cycle decided. Append-only.
CREATE TABLE appraisal_history (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id   uuid        NOT NULL REFERENCES assessments (id),
    code            text        NOT NULL,
    revision        int         NOT NULL,
    appraisal_round int         NOT NULL,
    score           numeric     NOT NULL,
    comment         text,
    user_id         text        NOT NULL,
    user_name       text,
    at              timestamptz NOT NULL
);
CREATE INDEX appraisal_history_item ON appraisal_history (assessment_id, code, id);
CREATE TRIGGER appraisal_history_append_only BEFORE UPDATE OR DELETE ON appraisal_history
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
ALTER TABLE appraisal_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE appraisal_history FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON appraisal_history
    USING (EXISTS (SELECT 1 FROM assessments a WHERE a.id = appraisal_history.assessment_id));

-- The values appraised before this migration become the first entries of their history.
INSERT INTO appraisal_history (assessment_id, code, revision, appraisal_round, score, comment, user_id, at)
SELECT i.assessment_id, i.code, 0, r.round, r.score, i.appraiser_comment, coalesce(i.updated_by, 'unknown'), coalesce(i.updated_at, a.updated_at)
FROM assessment_items i
JOIN assessments a ON a.id = i.assessment_id
CROSS JOIN LATERAL (VALUES (1, i.appraised_score_1), (2, i.appraised_score_2)) AS r (round, score)
WHERE r.score IS NOT NULL;
