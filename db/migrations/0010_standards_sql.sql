-- A standard's versions are immutable: once saved, a version is never rewritten or deleted.
-- Cascading deletes fire these triggers too, so standards are never deleted: they are abandoned
-- or withdrawn. The timeline of transitions is append-only.
CREATE TRIGGER standard_versions_no_update BEFORE UPDATE ON standard_versions
BEGIN
  SELECT RAISE(ABORT, 'standard versions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER standard_versions_no_delete BEFORE DELETE ON standard_versions
BEGIN
  SELECT RAISE(ABORT, 'standard versions are immutable');
END;
--> statement-breakpoint
CREATE TRIGGER standard_transitions_no_update BEFORE UPDATE ON standard_transitions
BEGIN
  SELECT RAISE(ABORT, 'the standards timeline is append-only');
END;
