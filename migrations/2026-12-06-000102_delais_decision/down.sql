ALTER TABLE entites_workflow
    DROP COLUMN alerte_delai_depasse_pour,
    DROP COLUMN motif_prolongation,
    DROP COLUMN delai_prolonge_pour;
