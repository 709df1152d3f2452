-- Le rappel « échéance proche » part une fois par assignation et par échéance : la tâche
-- périodique note ici l'échéance pour laquelle il est parti (une réassignation qui change
-- l'échéance en appelle un nouveau).
ALTER TABLE assignations_demandes ADD COLUMN rappel_echeance_envoye_pour date;
COMMENT ON COLUMN assignations_demandes.rappel_echeance_envoye_pour IS
    'Échéance pour laquelle l''agent a reçu le rappel « échéance proche ».';
