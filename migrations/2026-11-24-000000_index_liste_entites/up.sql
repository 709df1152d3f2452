-- La liste des entités pour les agents (`entites`) : chaque filtre a son index, et chaque
-- tri un index qui donne l'ordre complet (clé puis identifiant), pour que la pagination par
-- curseur lise une page sans trier toute la table.

-- Filtre par formalité (statut, région, secteur, NCC et dénomination ont déjà le leur).
CREATE INDEX idx_entites_workflow_type_formalite ON entites_workflow (type_formalite);

-- Tri par échéance de décision, la plus proche d'abord, puis par entité. Remplace l'index
-- sur la seule date, qu'il sert aussi.
DROP INDEX idx_entites_workflow_date_limite_decision;
CREATE INDEX idx_entites_workflow_date_limite_decision ON entites_workflow
    (date_limite_decision ASC NULLS LAST, entite_id ASC);

-- Tri par soumission, la plus récente d'abord, les dossiers jamais soumis à la fin.
DROP INDEX idx_entites_workflow_date_soumission;
CREATE INDEX idx_entites_workflow_date_soumission ON entites_workflow
    (date_soumission DESC NULLS LAST, entite_id DESC);

-- Tri alphabétique français de la dénomination (casse et accents ne font que départager).
CREATE INDEX idx_entites_base_denomination_fr ON entites_base
    (denomination COLLATE "fr-x-icu", id);
