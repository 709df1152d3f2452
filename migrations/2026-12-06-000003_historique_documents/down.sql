-- PostgreSQL has no DROP VALUE: the type is made again without it. The history is
-- append-only; its document lines are removed with its guard set aside for this one change.
ALTER TABLE historique_statuts DISABLE TRIGGER trg_historique_statuts_ajout_seul;
DELETE FROM historique_statuts WHERE objet = 'document';
ALTER TABLE historique_statuts ENABLE TRIGGER trg_historique_statuts_ajout_seul;
-- The check that names the type is set aside around the change.
ALTER TABLE historique_statuts DROP CONSTRAINT historique_statuts_sujet;
ALTER TYPE objet_historique RENAME TO objet_historique_avec_document;
CREATE TYPE objet_historique AS ENUM (
    'workflow', 'conformite', 'assignation', 'rapprochement', 'renouvellement', 'inscription'
);
ALTER TABLE historique_statuts
    ALTER COLUMN objet TYPE objet_historique USING objet::text::objet_historique;
DROP TYPE objet_historique_avec_document;
ALTER TABLE historique_statuts ADD CONSTRAINT historique_statuts_sujet CHECK (
    CASE WHEN objet = 'inscription' THEN compte_entreprise_id IS NOT NULL
         ELSE entite_id IS NOT NULL END
);
