-- The staff's working list: the dossiers awaiting ARTCI's verification (soumis,
-- en_verification, en_attente_complements), soonest decision deadline first. The
-- (date_limite_decision, entite_id) index of every dossier serves that order but walks the
-- decided ones first (their deadlines are older): on 100,000 dossiers a page of 50 read
-- 47,000 index entries. This one holds the awaited dossiers only, so a page reads its 51
-- rows. A filter on any of these statuses, or several, is served by it.
CREATE INDEX idx_entites_workflow_a_verifier_date_limite
    ON entites_workflow (date_limite_decision, entite_id)
    WHERE statut IN ('soumis', 'en_verification', 'en_attente_complements');
