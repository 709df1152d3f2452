-- Défait v2.1 : tables (dans l'ordre inverse des dépendances), fonctions, types, extensions.
-- Les triggers et index disparaissent avec leurs tables.

DROP TABLE renouvellements;
DROP TABLE historique_statuts;
DROP TABLE certifications_securite;
DROP TABLE mesures_securite;
DROP TABLE securite_conformite;
DROP TABLE transferts_internationaux;
DROP TABLE sous_traitance;
DROP TABLE finalites_bases_legales;
DROP TABLE categories_donnees;
DROP TABLE registre_traitements;
DROP TABLE demandes_rapprochement;
DROP TABLE documents_joints;
DROP TABLE conformite_administrative;
DROP TABLE dpo;
DROP TABLE responsables_legaux;
DROP TABLE entites_conformite;
DROP TABLE entites_localisation;
DROP TABLE entites_workflow;
DROP TABLE entites_contact;
DROP TABLE entites_base;
DROP TABLE comptes_entreprises;
DROP TABLE users;

DROP FUNCTION refuser_modification_historique();
DROP FUNCTION verifier_total_pourcentages();
DROP FUNCTION synchroniser_publie_sur_carte();
DROP FUNCTION set_updated_at();

DROP TYPE statut_renouvellement;
DROP TYPE acteur_type;
DROP TYPE objet_historique;
DROP TYPE nom_certification;
DROP TYPE code_mesure_securite;
DROP TYPE type_mesure_securite;
DROP TYPE statut_autorisation_transfert;
DROP TYPE base_legale;
DROP TYPE code_categorie_donnees;
DROP TYPE statut_traitement;
DROP TYPE statut_verification_document;
DROP TYPE type_document;
DROP TYPE statut_designation_dpo;
DROP TYPE type_responsable_legal;
DROP TYPE statut_rapprochement;
DROP TYPE type_dpo;
DROP TYPE statut_conformite;
DROP TYPE methode_localisation;
DROP TYPE type_formalite;
DROP TYPE statut_workflow;
DROP TYPE origine_saisie;
DROP TYPE motif_rejet_inscription;
DROP TYPE statut_inscription;
DROP TYPE role_utilisateur;
DROP TYPE secteur_activite;
DROP TYPE region;

DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS postgis;
