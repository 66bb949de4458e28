-- A published finding version never changes and is never deleted (the service refuses too).
-- Only the content columns are guarded, so an account deletion can still null `created_by`.
CREATE TRIGGER research_versions_immutable BEFORE UPDATE ON research_finding_versions
WHEN OLD.published_at IS NOT NULL AND (
  NEW.body_md IS NOT OLD.body_md OR NEW.changelog IS NOT OLD.changelog OR NEW.number IS NOT OLD.number
  OR NEW.finding_id IS NOT OLD.finding_id OR NEW.published_at IS NOT OLD.published_at)
BEGIN
  SELECT RAISE(ABORT, 'published research versions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER research_versions_no_delete BEFORE DELETE ON research_finding_versions
WHEN OLD.published_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'published research versions are immutable');
END;
