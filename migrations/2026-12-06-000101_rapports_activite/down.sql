DROP TABLE rappels_rapport_activite;
DROP TABLE rapports_activite;
DROP TYPE statut_rapport_activite;
