-- Le tableau de bord de l'ARTCI (`tableauDeBord`) compte, par agent, les assignations ouvertes
-- (index sur le statut), celles reçues sur la période et celles validées sur la période : ces
-- deux dates ont ici leur index, pour qu'un tableau du jour ne lise pas toutes les
-- assignations de l'histoire du registre. (La date de soumission des dossiers a déjà le sien.)
CREATE INDEX idx_assignations_demandes_date_assignation
    ON assignations_demandes (date_assignation);
-- Une assignation n'a de date de validation qu'une fois validée.
CREATE INDEX idx_assignations_demandes_valide_le ON assignations_demandes (valide_le)
    WHERE valide_le IS NOT NULL;
