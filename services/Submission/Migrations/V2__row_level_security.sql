-- Row-level security (defence in depth behind the service's own tenant checks): a request of a provincial or unit
-- caller sees and writes only its tenant's assessments, items and audit entries, even through a query that forgets
-- its WHERE clause. Items and audit entries carry no tenant of their own: they follow their assessment.
ALTER TABLE assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessments FORCE ROW LEVEL SECURITY;
ALTER TABLE assessment_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE assessment_items FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON assessments USING (tenant_visible(tenant_id));
CREATE POLICY tenant_isolation ON assessment_items
    USING (EXISTS (SELECT 1 FROM assessments a WHERE a.id = assessment_items.assessment_id));
CREATE POLICY tenant_isolation ON audit_log
    USING (EXISTS (SELECT 1 FROM assessments a WHERE a.id = audit_log.assessment_id));
