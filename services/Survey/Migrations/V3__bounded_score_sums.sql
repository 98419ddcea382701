-- Bounded, exact survey aggregates (issue 11). The running sum used to be an unbounded numeric: a normalised score
-- such as 7/9 (a 1-10 scale) carried 28 decimals, the sum kept them all, and once a sum passed about 7.9 it no longer
-- fitted .NET's decimal (28-29 significant digits), so every later response of that unit failed to store.
--
-- The choice: a normalised score is defined to 12 decimals (rounded half away from zero at validation; the column
-- enforces it for anything else), so every sum of scores is exact in numeric(28,12): 16 integer digits hold 10^16
-- answers of score 1, and 28 digits always fit a decimal. The rounding moves a unit's points by less than
-- 5e-13 x max points, far below the 4 decimals the points are rounded to.
ALTER TABLE responses ALTER COLUMN scores TYPE numeric(13,12)[];
ALTER TABLE answer_aggregates ALTER COLUMN score_sum TYPE numeric(28,12);

-- The stored scores were rounded by the type change: rebuild the running sums from the stored rows, so they keep
-- equalling a recomputation (the migration runs in the all-tenants scope).
DELETE FROM answer_aggregates;
INSERT INTO answer_aggregates (tenant_id, round_id, unit_id, questionnaire_id, sub_criterion_code, responses, answers, score_sum)
SELECT r.tenant_id, r.round_id, r.unit_id, r.questionnaire_id, s.code, count(DISTINCT r.response_id), count(*), sum(s.score)
FROM responses r CROSS JOIN LATERAL unnest(r.sub_criteria, r.scores) AS s(code, score)
GROUP BY r.tenant_id, r.round_id, r.unit_id, r.questionnaire_id, s.code;
