-- (b) the staff page: entites(filtre: {statuts: [SOUMIS, EN_VERIFICATION,
-- EN_ATTENTE_COMPLEMENTS]}, tri: DATE_LIMITE_DECISION, first: 50) with each dossier's
-- localisation, conformite, workflow and assignations with their agent, as the server sends
-- it: the bearer token's session and user, the page (51 rows: one more tells whether a next
-- page exists), its count, then one batched query per part (DataLoaders) and the agents.
-- bench/run passes, with -D: session and utilisateur (the token's), statuts, ids (the
-- page's 50 entities) and agents (the agents of their assignations).
\set limite 1
\set limite_page 51
SELECT "sessions"."id", "sessions"."compte_entreprise_id", "sessions"."user_id", "sessions"."restreinte", "sessions"."ip", "sessions"."user_agent", "sessions"."expires_at", "sessions"."revoquee_le", "sessions"."motif_revocation", "sessions"."created_at", "sessions"."updated_at"
  FROM "sessions" WHERE ("sessions"."id" = :session) LIMIT :limite;
SELECT "users"."id", "users"."nom", "users"."prenom", "users"."email", "users"."password_hash", "users"."role", "users"."superieur_id", "users"."telephone", "users"."est_actif", "users"."derniere_connexion", "users"."password_last_changed", "users"."password_expires_at", "users"."doit_changer_mot_de_passe", "users"."tentatives_connexion_echouees", "users"."verrouille_jusqu_a", "users"."created_at", "users"."updated_at"
  FROM "users" WHERE ("users"."id" = :utilisateur) LIMIT :limite;
SELECT "entites_base"."id", "entites_base"."compte_entreprise_id", "entites_base"."numero_cc", "entites_base"."denomination", "entites_base"."sigle", "entites_base"."forme_juridique", "entites_base"."secteur_activite", "entites_base"."adresse", "entites_base"."ville", "entites_base"."commune", "entites_base"."region", "entites_base"."telephone", "entites_base"."email", "entites_base"."origine_saisie", "entites_base"."publie_sur_carte", "entites_base"."created_at", "entites_base"."updated_at", "entites_workflow"."date_limite_decision", "entites_workflow"."date_soumission"
  FROM ("entites_base" INNER JOIN "entites_workflow" ON ("entites_workflow"."entite_id" = "entites_base"."id"))
 WHERE ("entites_workflow"."statut" = ANY(:statuts))
 ORDER BY "entites_workflow"."date_limite_decision" ASC NULLS LAST, "entites_workflow"."entite_id" ASC
 LIMIT :limite_page;
SELECT COUNT(*) FROM "entites_workflow" WHERE ("entites_workflow"."statut" = ANY(:statuts));
SELECT "entites_conformite"."entite_id", "entites_conformite"."score_conformite", "entites_conformite"."statut_conformite", "entites_conformite"."a_dpo", "entites_conformite"."type_dpo", "entites_conformite"."effectif_entreprise", "entites_conformite"."volume_donnees_traitees", "entites_conformite"."date_evaluation", "entites_conformite"."created_at", "entites_conformite"."updated_at", "entites_conformite"."delai_mise_en_conformite"
  FROM "entites_conformite" WHERE ("entites_conformite"."entite_id" = ANY(:ids));
SELECT "assignations_demandes"."id", "assignations_demandes"."entite_id", "assignations_demandes"."agent_id", "assignations_demandes"."assigne_par", "assignations_demandes"."date_assignation", "assignations_demandes"."echeance", "assignations_demandes"."statut", "assignations_demandes"."decision_proposee", "assignations_demandes"."traite_le", "assignations_demandes"."valide_par", "assignations_demandes"."valide_le", "assignations_demandes"."commentaire_validation", "assignations_demandes"."created_at", "assignations_demandes"."updated_at", "assignations_demandes"."rappel_echeance_envoye_pour"
  FROM "assignations_demandes" WHERE ("assignations_demandes"."entite_id" = ANY(:ids))
 ORDER BY "assignations_demandes"."entite_id", "assignations_demandes"."created_at" ASC, "assignations_demandes"."id" ASC;
SELECT "entites_localisation"."entite_id", "entites_localisation"."geolocation", "entites_localisation"."precision_m", "entites_localisation"."methode", "entites_localisation"."adresse_complete", "entites_localisation"."commune", "entites_localisation"."quartier", "entites_localisation"."code_postal", "entites_localisation"."created_at", "entites_localisation"."updated_at"
  FROM "entites_localisation" WHERE ("entites_localisation"."entite_id" = ANY(:ids));
SELECT "entites_workflow"."entite_id", "entites_workflow"."statut", "entites_workflow"."type_formalite", "entites_workflow"."numero_recepisse", "entites_workflow"."numero_autorisation_artci", "entites_workflow"."date_soumission", "entites_workflow"."date_limite_decision", "entites_workflow"."date_validation", "entites_workflow"."date_expiration", "entites_workflow"."date_publication", "entites_workflow"."date_rejet", "entites_workflow"."motif_rejet", "entites_workflow"."created_by", "entites_workflow"."assigned_to", "entites_workflow"."version", "entites_workflow"."created_at", "entites_workflow"."updated_at"
  FROM "entites_workflow" WHERE ("entites_workflow"."entite_id" = ANY(:ids));
SELECT "users"."id", "users"."nom", "users"."prenom", "users"."email", "users"."password_hash", "users"."role", "users"."superieur_id", "users"."telephone", "users"."est_actif", "users"."derniere_connexion", "users"."password_last_changed", "users"."password_expires_at", "users"."doit_changer_mot_de_passe", "users"."tentatives_connexion_echouees", "users"."verrouille_jusqu_a", "users"."created_at", "users"."updated_at"
  FROM "users" WHERE ("users"."id" = ANY(:agents));
