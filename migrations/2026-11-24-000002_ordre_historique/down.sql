ALTER TABLE historique_statuts DROP COLUMN numero;
