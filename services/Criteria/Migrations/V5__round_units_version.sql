-- A version of what ListRoundUnits answers for a round (its units, their records and their not-applicable marks),
-- moved in the same transaction as any change of them, so a reader (the ranking on every live page and every survey
-- update) can keep the last answer and ask again only when the round says the version moved: never stale, unlike a
-- cache with a lifetime. Triggers rather than each write path, so no path (API, seed, a later one) can forget it.
ALTER TABLE rounds ADD COLUMN units_version bigint NOT NULL DEFAULT 0;

-- Statement-level, with the changed rows as a transition table named "changed": setting 3,321 units moves the
-- round's version once, not 3,321 times.
CREATE FUNCTION bump_round_units_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'evaluated_units' THEN
        UPDATE rounds SET units_version = units_version + 1
        WHERE id IN (SELECT ru.round_id FROM round_units ru JOIN changed c ON c.id = ru.unit_id);
    ELSE
        UPDATE rounds SET units_version = units_version + 1 WHERE id IN (SELECT round_id FROM changed);
    END IF;
    RETURN NULL;
END $$;

-- PostgreSQL allows a transition table only on a trigger of one event: one trigger per event and table.
CREATE TRIGGER round_units_inserted AFTER INSERT ON round_units
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_round_units_version();
CREATE TRIGGER round_units_deleted AFTER DELETE ON round_units
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_round_units_version();
CREATE TRIGGER not_applicable_inserted AFTER INSERT ON not_applicable_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_round_units_version();
CREATE TRIGGER not_applicable_deleted AFTER DELETE ON not_applicable_items
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_round_units_version();
CREATE TRIGGER not_applicable_updated AFTER UPDATE ON not_applicable_items
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_round_units_version();
CREATE TRIGGER evaluated_units_updated AFTER UPDATE ON evaluated_units
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_round_units_version();
