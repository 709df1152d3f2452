-- Les rappels de renouvellement (3 mois puis 1 mois avant la fin de l'agrément) partent une
-- fois par agrément : la tâche périodique note ici la date de fin pour laquelle chacun est
-- parti. Un renouvellement approuvé reporte la date de fin et rouvre donc les deux rappels.
-- (Les colonnes rappel_*_le de `renouvellements` datent une demande ; un rappel précède toute
-- demande, d'où ces colonnes sur le dossier.)
ALTER TABLE entites_workflow
    ADD COLUMN rappel_renouvellement_3_mois_pour date,
    ADD COLUMN rappel_renouvellement_1_mois_pour date;
COMMENT ON COLUMN entites_workflow.rappel_renouvellement_3_mois_pour IS
    'Fin d''agrément pour laquelle le rappel de renouvellement à 3 mois est parti.';
COMMENT ON COLUMN entites_workflow.rappel_renouvellement_1_mois_pour IS
    'Fin d''agrément pour laquelle le rappel de renouvellement à 1 mois est parti.';

