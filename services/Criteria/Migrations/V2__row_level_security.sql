-- Row-level security (defence in depth behind the service's own tenant checks): a province's units, lineage, rounds
-- and own criteria sets are invisible to requests of another province, even through a query that forgets its WHERE
-- clause. The Ministry's sets are the exception every tenant needs: once no longer drafts they are readable by all
-- (writes to them still need the national scope). Nodes, round units and not-applicable items follow their parent.
ALTER TABLE criteria_sets ENABLE ROW LEVEL SECURITY;
ALTER TABLE criteria_sets FORCE ROW LEVEL SECURITY;
ALTER TABLE criteria_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE criteria_nodes FORCE ROW LEVEL SECURITY;
ALTER TABLE evaluated_units ENABLE ROW LEVEL SECURITY;
ALTER TABLE evaluated_units FORCE ROW LEVEL SECURITY;
ALTER TABLE lineage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE lineage_events FORCE ROW LEVEL SECURITY;
ALTER TABLE rounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE rounds FORCE ROW LEVEL SECURITY;
ALTER TABLE round_units ENABLE ROW LEVEL SECURITY;
ALTER TABLE round_units FORCE ROW LEVEL SECURITY;
ALTER TABLE not_applicable_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE not_applicable_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON criteria_sets USING (tenant_visible(tenant_id));
CREATE POLICY national_sets_readable ON criteria_sets FOR SELECT USING (tenant_id = 'national' AND status <> 'draft');
CREATE POLICY tenant_isolation ON criteria_nodes
    USING (EXISTS (SELECT 1 FROM criteria_sets s WHERE s.id = criteria_nodes.set_id));
CREATE POLICY tenant_isolation ON evaluated_units USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON lineage_events USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON rounds USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON round_units
    USING (EXISTS (SELECT 1 FROM rounds r WHERE r.id = round_units.round_id));
CREATE POLICY tenant_isolation ON not_applicable_items
    USING (EXISTS (SELECT 1 FROM rounds r WHERE r.id = not_applicable_items.round_id));
