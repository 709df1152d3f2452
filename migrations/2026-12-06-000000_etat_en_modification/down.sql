-- PostgreSQL has no DROP VALUE: the type is made again without it. A dossier still being
-- amended goes back to `valide` (its approval stands; the amendment is lost with the tables
-- of the next migration, already undone). The partial index whose predicate names the type
-- and the triggers and checks that name the column are dropped and made again around the change.
DROP INDEX idx_entites_workflow_a_verifier_date_limite;
DROP TRIGGER trg_entites_workflow_publie_sur_carte ON entites_workflow;
DROP TRIGGER entites_workflow_notifier_modification ON entites_workflow;
ALTER TABLE entites_workflow
    DROP CONSTRAINT entites_workflow_rejet_motive,
    DROP CONSTRAINT entites_workflow_validation_datee;
ALTER TYPE statut_workflow RENAME TO statut_workflow_avec_modification;
CREATE TYPE statut_workflow AS ENUM (
    'brouillon', 'brouillon_artci', 'soumis', 'en_verification', 'en_attente_complements',
    'conforme', 'conforme_sous_reserve', 'valide', 'publie', 'rejete', 'expire'
);
ALTER TABLE entites_workflow ALTER COLUMN statut DROP DEFAULT;
ALTER TABLE entites_workflow
    ALTER COLUMN statut TYPE statut_workflow
    USING (CASE statut::text
               WHEN 'en_modification' THEN 'valide'
               ELSE statut::text
           END)::statut_workflow;
ALTER TABLE entites_workflow ALTER COLUMN statut SET DEFAULT 'brouillon';
DROP TYPE statut_workflow_avec_modification;
ALTER TABLE entites_workflow
    ADD CONSTRAINT entites_workflow_rejet_motive
        CHECK (statut <> 'rejete' OR motif_rejet IS NOT NULL),
    ADD CONSTRAINT entites_workflow_validation_datee
        CHECK (statut NOT IN ('valide', 'publie')
               OR (date_validation IS NOT NULL AND date_expiration IS NOT NULL));
CREATE INDEX idx_entites_workflow_a_verifier_date_limite
    ON entites_workflow (date_limite_decision, entite_id)
    WHERE statut IN ('soumis', 'en_verification', 'en_attente_complements');
CREATE TRIGGER trg_entites_workflow_publie_sur_carte
    AFTER INSERT OR UPDATE OF statut ON entites_workflow
    FOR EACH ROW EXECUTE FUNCTION synchroniser_publie_sur_carte();
CREATE TRIGGER entites_workflow_notifier_modification
    AFTER UPDATE ON entites_workflow
    FOR EACH ROW
    WHEN (OLD.statut IS DISTINCT FROM NEW.statut OR OLD.version IS DISTINCT FROM NEW.version
          OR OLD.assigned_to IS DISTINCT FROM NEW.assigned_to
          OR OLD.date_expiration IS DISTINCT FROM NEW.date_expiration)
    EXECUTE FUNCTION notifier_dossier();
