-- The outbox becomes a real one (see Outbox.cs): rows name their event by its stable [MessageName] instead of the CLR
-- type's assembly-qualified name, a failed publish waits for next_attempt_at (exponential backoff) without holding up
-- the rows behind it, and published rows are deleted after a retention period.

ALTER TABLE outbox_messages ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now();
-- The W3C traceparent of the request that stored the event: its publish continues that trace.
ALTER TABLE outbox_messages ADD COLUMN trace_parent text;

-- Stored names become stable names. Rows of the events that were removed because nothing consumed them (a
-- self-assessment approved, a criteria set published, a round scheduled, units' lineage, a ranking published) were
-- going to an exchange no queue is bound to: they are marked as dispatched, with the reason, and age out.
UPDATE outbox_messages SET message_type = CASE split_part(message_type, ',', 1)
        WHEN 'ParPlatform.Contracts.Events.AppraisalFinalized' THEN 'par.submission.appraisal-finalized.v1'
        WHEN 'ParPlatform.Contracts.Events.SurveyScoresUpdated' THEN 'par.survey.survey-scores-updated.v1'
        WHEN 'ParPlatform.Contracts.Events.RoundApplicabilityChanged' THEN 'par.criteria.round-applicability-changed.v1'
        WHEN 'ParPlatform.Contracts.Events.PlatformPing' THEN 'par.platform.ping.v1'
        ELSE message_type END
WHERE message_type LIKE '%,%';

UPDATE outbox_messages
SET dispatched_at = now(), last_error = 'Not published: the event was removed because no service consumes it.'
WHERE dispatched_at IS NULL AND split_part(message_type, ',', 1) IN (
    'ParPlatform.Contracts.Events.SelfAssessmentApproved', 'ParPlatform.Contracts.Events.CriteriaSetPublished',
    'ParPlatform.Contracts.Events.RoundScheduled', 'ParPlatform.Contracts.Events.UnitLineageChanged',
    'ParPlatform.Contracts.Events.RankingPublished');

-- The dispatcher takes due rows oldest first; the clean-up finds published rows by age.
DROP INDEX outbox_messages_pending;
CREATE INDEX outbox_messages_pending ON outbox_messages (created_at, id) WHERE dispatched_at IS NULL;
CREATE INDEX outbox_messages_dispatched ON outbox_messages (dispatched_at) WHERE dispatched_at IS NOT NULL;
