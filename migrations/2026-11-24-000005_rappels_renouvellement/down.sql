ALTER TABLE entites_workflow
    DROP COLUMN rappel_renouvellement_1_mois_pour,
    DROP COLUMN rappel_renouvellement_3_mois_pour;
