// @generated automatically by Diesel CLI.

pub mod sql_types {
    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "acteur_type"))]
    pub struct ActeurType;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "base_legale"))]
    pub struct BaseLegale;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "code_categorie_donnees"))]
    pub struct CodeCategorieDonnees;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "code_mesure_securite"))]
    pub struct CodeMesureSecurite;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "decision_traitement"))]
    pub struct DecisionTraitement;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "methode_localisation"))]
    pub struct MethodeLocalisation;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "motif_rejet_inscription"))]
    pub struct MotifRejetInscription;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "nom_certification"))]
    pub struct NomCertification;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "objet_historique"))]
    pub struct ObjetHistorique;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "origine_saisie"))]
    pub struct OrigineSaisie;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "origine_version"))]
    pub struct OrigineVersion;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "region"))]
    pub struct Region;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "role_utilisateur"))]
    pub struct RoleUtilisateur;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "secteur_activite"))]
    pub struct SecteurActivite;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_assignation"))]
    pub struct StatutAssignation;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_autorisation_transfert"))]
    pub struct StatutAutorisationTransfert;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_conformite"))]
    pub struct StatutConformite;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_designation_dpo"))]
    pub struct StatutDesignationDpo;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_feedback"))]
    pub struct StatutFeedback;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_inscription"))]
    pub struct StatutInscription;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_modification"))]
    pub struct StatutModification;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_rapport_activite"))]
    pub struct StatutRapportActivite;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_rapprochement"))]
    pub struct StatutRapprochement;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_renouvellement"))]
    pub struct StatutRenouvellement;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_traitement"))]
    pub struct StatutTraitement;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_verification_document"))]
    pub struct StatutVerificationDocument;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "statut_workflow"))]
    pub struct StatutWorkflow;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "type_document"))]
    pub struct TypeDocument;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "type_dpo"))]
    pub struct TypeDpo;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "type_formalite"))]
    pub struct TypeFormalite;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "type_mesure_securite"))]
    pub struct TypeMesureSecurite;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "type_otp"))]
    pub struct TypeOtp;

    #[derive(diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "type_responsable_legal"))]
    pub struct TypeResponsableLegal;
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutAssignation;
    use super::sql_types::DecisionTraitement;

    /// Assignation d'un dossier à un agent, sa proposition et la validation N+1.
    assignations_demandes (id) {
        id -> Uuid,
        entite_id -> Uuid,
        agent_id -> Uuid,
        assigne_par -> Uuid,
        date_assignation -> Timestamptz,
        echeance -> Date,
        statut -> StatutAssignation,
        decision_proposee -> Nullable<DecisionTraitement>,
        traite_le -> Nullable<Timestamptz>,
        valide_par -> Nullable<Uuid>,
        valide_le -> Nullable<Timestamptz>,
        commentaire_validation -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        rappel_echeance_envoye_pour -> Nullable<Date>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::CodeCategorieDonnees;

    /// Catégories de données personnelles traitées par l'entité.
    categories_donnees (id) {
        id -> Uuid,
        entite_id -> Uuid,
        registre_traitement_id -> Nullable<Uuid>,
        categorie -> CodeCategorieDonnees,
        items -> Nullable<Text>,
        origine -> Nullable<Text>,
        est_sensible -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::NomCertification;

    /// Certifications de sécurité obtenues par l'entité.
    certifications_securite (id) {
        id -> Uuid,
        entite_id -> Uuid,
        nom -> NomCertification,
        organisme -> Nullable<Text>,
        numero -> Nullable<Text>,
        date_obtention -> Nullable<Date>,
        date_expiration -> Nullable<Date>,
        document_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::Region;
    use super::sql_types::StatutInscription;
    use super::sql_types::MotifRejetInscription;

    /// Comptes des organisations qui déclarent leurs traitements.
    comptes_entreprises (id) {
        id -> Uuid,
        email -> Text,
        password_hash -> Text,
        denomination -> Text,
        numero_cc -> Text,
        telephone -> Nullable<Text>,
        adresse -> Nullable<Text>,
        ville -> Nullable<Text>,
        region -> Nullable<Region>,
        email_verifie -> Bool,
        est_actif -> Bool,
        statut_inscription -> StatutInscription,
        motif_rejet_code -> Nullable<MotifRejetInscription>,
        motif_rejet -> Nullable<Text>,
        inscription_validee_par -> Nullable<Uuid>,
        inscription_validee_le -> Nullable<Timestamptz>,
        derniere_connexion -> Nullable<Timestamptz>,
        tentatives_connexion_echouees -> Int4,
        verrouille_jusqu_a -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        password_last_changed -> Nullable<Timestamptz>,
        password_expires_at -> Nullable<Timestamptz>,
        /// Échéance du mot de passe pour laquelle l'avertissement à J-15 a été envoyé.
        avertissement_j15_echeance -> Nullable<Timestamptz>,
        /// Échéance du mot de passe pour laquelle l'avertissement à J-7 a été envoyé.
        avertissement_j7_echeance -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Formalités administratives déjà accomplies par l'entité.
    conformite_administrative (entite_id) {
        entite_id -> Uuid,
        connaissance_loi -> Bool,
        declaration_artci -> Bool,
        numero_declaration -> Nullable<Text>,
        date_declaration -> Nullable<Date>,
        autorisation_artci -> Bool,
        numero_autorisation -> Nullable<Text>,
        date_autorisation -> Nullable<Date>,
        registre_tenu -> Bool,
        information_personnes -> Bool,
        procedure_droits -> Bool,
        dernier_rapport_annuel -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// File d'envoi des courriels, avec reprises.
    courriels_sortants (id) {
        id -> Uuid,
        destinataire -> Text,
        modele -> Text,
        sujet -> Text,
        corps -> Nullable<Text>,
        tentatives -> Int4,
        prochain_essai_le -> Timestamptz,
        envoye_le -> Nullable<Timestamptz>,
        derniere_erreur -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutRapprochement;

    /// Demandes d'un compte pour se rattacher une entité saisie par l'ARTCI.
    demandes_rapprochement (id) {
        id -> Uuid,
        entite_id -> Uuid,
        compte_entreprise_id -> Uuid,
        email_demandeur -> Text,
        numero_cc -> Text,
        document_preuve_id -> Nullable<Uuid>,
        raison_demande -> Text,
        statut -> StatutRapprochement,
        traite_par -> Nullable<Uuid>,
        date_traitement -> Nullable<Timestamptz>,
        commentaire_artci -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::TypeDocument;
    use super::sql_types::StatutVerificationDocument;

    /// Pièces jointes au dossier (métadonnées ; le fichier est dans le stockage).
    documents_joints (id) {
        id -> Uuid,
        entite_id -> Uuid,
        type_document -> TypeDocument,
        nom_fichier -> Text,
        cle_stockage -> Text,
        taille_octets -> Int4,
        mime_type -> Text,
        sha256 -> Text,
        depose_par_compte_id -> Nullable<Uuid>,
        depose_par_user_id -> Nullable<Uuid>,
        statut_verification -> StatutVerificationDocument,
        verifie_par -> Nullable<Uuid>,
        verifie_le -> Nullable<Timestamptz>,
        motif_rejet -> Nullable<Text>,
        est_public -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        /// Le document qui remplace celui-ci (gardé pour l'historique).
        remplace_par_id -> Nullable<Uuid>,
        remplace_le -> Nullable<Timestamptz>,
        /// Faux pour un document de l'ARTCI que l'entreprise ne voit pas.
        visible_entreprise -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::TypeDpo;
    use super::sql_types::StatutDesignationDpo;

    /// Correspondants à la protection des données (DPO) désignés par l'entité.
    dpo (id) {
        id -> Uuid,
        entite_id -> Uuid,
        nom -> Text,
        prenom -> Nullable<Text>,
        email -> Nullable<Text>,
        telephone -> Nullable<Text>,
        #[sql_name = "type"]
        type_ -> TypeDpo,
        organisme -> Nullable<Text>,
        date_designation -> Nullable<Date>,
        date_fin -> Nullable<Date>,
        est_actif -> Bool,
        statut_designation -> StatutDesignationDpo,
        motif_rejet -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Mots de passe erronés par adresse et par client, et l'attente qui en découle.
    echecs_connexion (cle) {
        cle -> Text,
        echecs -> Int4,
        retarde_jusqu_a -> Nullable<Timestamptz>,
        mis_a_jour -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::SecteurActivite;
    use super::sql_types::Region;
    use super::sql_types::OrigineSaisie;

    /// Organisations responsables de traitements (identité de l'entité).
    entites_base (id) {
        id -> Uuid,
        compte_entreprise_id -> Nullable<Uuid>,
        numero_cc -> Text,
        denomination -> Text,
        sigle -> Nullable<Text>,
        forme_juridique -> Nullable<Text>,
        secteur_activite -> SecteurActivite,
        adresse -> Nullable<Text>,
        ville -> Nullable<Text>,
        commune -> Nullable<Text>,
        region -> Region,
        telephone -> Nullable<Text>,
        email -> Nullable<Text>,
        origine_saisie -> OrigineSaisie,
        publie_sur_carte -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutConformite;
    use super::sql_types::TypeDpo;

    /// Score et statut de conformité de l'entité.
    entites_conformite (entite_id) {
        entite_id -> Uuid,
        score_conformite -> Int2,
        statut_conformite -> StatutConformite,
        a_dpo -> Bool,
        type_dpo -> Nullable<TypeDpo>,
        effectif_entreprise -> Nullable<Int4>,
        volume_donnees_traitees -> Nullable<Int8>,
        date_evaluation -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        delai_mise_en_conformite -> Nullable<Date>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Coordonnées du représentant légal et coordonnées publiques de l'entité.
    entites_contact (entite_id) {
        entite_id -> Uuid,
        representant_nom -> Nullable<Text>,
        representant_fonction -> Nullable<Text>,
        representant_email -> Nullable<Text>,
        representant_telephone -> Nullable<Text>,
        site_web -> Nullable<Text>,
        email_public -> Nullable<Text>,
        telephone_public -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::MethodeLocalisation;

    /// Position géographique de l'entité pour la carte publique.
    entites_localisation (entite_id) {
        entite_id -> Uuid,
        geolocation -> Nullable<Geography>,
        precision_m -> Nullable<Int4>,
        methode -> Nullable<MethodeLocalisation>,
        adresse_complete -> Nullable<Text>,
        commune -> Nullable<Text>,
        quartier -> Nullable<Text>,
        code_postal -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutWorkflow;
    use super::sql_types::TypeFormalite;

    /// Cycle de vie du dossier de conformité (statut, formalité, échéances).
    entites_workflow (entite_id) {
        entite_id -> Uuid,
        statut -> StatutWorkflow,
        type_formalite -> Nullable<TypeFormalite>,
        numero_recepisse -> Nullable<Text>,
        numero_autorisation_artci -> Nullable<Text>,
        date_soumission -> Nullable<Timestamptz>,
        date_limite_decision -> Nullable<Date>,
        date_validation -> Nullable<Timestamptz>,
        date_expiration -> Nullable<Date>,
        date_publication -> Nullable<Timestamptz>,
        date_rejet -> Nullable<Timestamptz>,
        motif_rejet -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        assigned_to -> Nullable<Uuid>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        /// Fin d'agrément pour laquelle le rappel de renouvellement à 3 mois est parti.
        rappel_renouvellement_3_mois_pour -> Nullable<Date>,
        /// Fin d'agrément pour laquelle le rappel de renouvellement à 1 mois est parti.
        rappel_renouvellement_1_mois_pour -> Nullable<Date>,
        /// Date de soumission dont le délai de décision a été prolongé (une fois par soumission).
        delai_prolonge_pour -> Nullable<Timestamptz>,
        motif_prolongation -> Nullable<Text>,
        /// Date de soumission pour laquelle les administrateurs ont été alertés du délai dépassé.
        alerte_delai_depasse_pour -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutFeedback;

    /// Retours de vérification de l'agent : commentaires et éléments manquants.
    feedbacks_verification (id) {
        id -> Uuid,
        entite_id -> Uuid,
        assignation_id -> Nullable<Uuid>,
        agent_id -> Uuid,
        commentaires -> Nullable<Text>,
        elements_manquants -> Jsonb,
        delai_fourniture -> Nullable<Date>,
        statut -> StatutFeedback,
        visible_entreprise -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::BaseLegale;

    /// Finalités des traitements et leur base légale (art. 14).
    finalites_bases_legales (id) {
        id -> Uuid,
        entite_id -> Uuid,
        registre_traitement_id -> Nullable<Uuid>,
        finalite -> Text,
        base_legale -> BaseLegale,
        pourcentage -> Int2,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Groupes de points de la carte publique, par zoom et cellule.
    grappes_carte (zoom, x, y) {
        zoom -> Int2,
        x -> Int4,
        y -> Int4,
        nombre -> Int4,
        somme_longitude -> Float8,
        somme_latitude -> Float8,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::ObjetHistorique;
    use super::sql_types::ActeurType;

    /// Journal des changements de statut, en ajout seul.
    historique_statuts (id) {
        id -> Uuid,
        entite_id -> Nullable<Uuid>,
        compte_entreprise_id -> Nullable<Uuid>,
        objet -> ObjetHistorique,
        objet_id -> Nullable<Uuid>,
        ancien_statut -> Nullable<Text>,
        nouveau_statut -> Text,
        acteur_type -> ActeurType,
        acteur_user_id -> Nullable<Uuid>,
        acteur_compte_id -> Nullable<Uuid>,
        commentaire -> Nullable<Text>,
        created_at -> Timestamptz,
        numero -> Int8,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Jetons de rafraîchissement hachés, à usage unique (rotation).
    jetons_rafraichissement (id) {
        id -> Uuid,
        session_id -> Uuid,
        jeton_hash -> Text,
        expires_at -> Timestamptz,
        utilise_le -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Compteurs de limitation de débit par clé et fenêtre de temps.
    limites_debit (cle, fenetre) {
        cle -> Text,
        fenetre -> Timestamptz,
        compteur -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::TypeMesureSecurite;
    use super::sql_types::CodeMesureSecurite;

    /// Mesures de sécurité techniques, organisationnelles et physiques.
    mesures_securite (id) {
        id -> Uuid,
        entite_id -> Uuid,
        type_mesure -> TypeMesureSecurite,
        code -> CodeMesureSecurite,
        description -> Nullable<Text>,
        mise_en_oeuvre -> Bool,
        date_mise_en_oeuvre -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutWorkflow;
    use super::sql_types::StatutModification;

    /// Déclarations modificatives d'un dossier approuvé (une seule ouverte par entité).
    modifications_dossier (id) {
        id -> Uuid,
        entite_id -> Uuid,
        version_base_id -> Uuid,
        motif -> Text,
        statut_precedent -> StatutWorkflow,
        statut -> StatutModification,
        ouverte_par_compte_id -> Uuid,
        ouverte_le -> Timestamptz,
        close_le -> Nullable<Timestamptz>,
        version_approuvee_id -> Nullable<Uuid>,
        motif_cloture -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Dernier numéro de récépissé ou d'autorisation délivré, par année.
    numeros_delivres (annee, nature) {
        annee -> Int4,
        nature -> Text,
        dernier -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::TypeOtp;

    /// Codes à usage unique (inscription, connexion sensible, réinitialisation), hachés.
    otp_codes (id) {
        id -> Uuid,
        compte_entreprise_id -> Nullable<Uuid>,
        user_id -> Nullable<Uuid>,
        code_hash -> Text,
        #[sql_name = "type"]
        type_ -> TypeOtp,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        tentatives -> Int4,
        ip -> Nullable<Inet>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Rappels (1er et 2nd) et avis de retard du rapport annuel envoyés, par entité et année.
    rappels_rapport_activite (entite_id, annee) {
        entite_id -> Uuid,
        annee -> Int4,
        premier_rappel_le -> Nullable<Timestamptz>,
        second_rappel_le -> Nullable<Timestamptz>,
        avis_retard_le -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutRapportActivite;

    /// Rapports annuels d'activité du correspondant (un accepté ou un en attente par entité et année).
    rapports_activite (id) {
        id -> Uuid,
        entite_id -> Uuid,
        annee -> Int4,
        document_id -> Uuid,
        statut -> StatutRapportActivite,
        depose_par_compte_id -> Nullable<Uuid>,
        date_depot -> Timestamptz,
        date_examen -> Nullable<Timestamptz>,
        examine_par -> Nullable<Uuid>,
        commentaire -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::SecteurActivite;
    use super::sql_types::Region;
    use super::sql_types::TypeFormalite;
    use super::sql_types::StatutConformite;

    /// Projection publique des entités conformes et publiées (carte, liste, export).
    registre_public (entite_id) {
        entite_id -> Uuid,
        denomination -> Text,
        sigle -> Nullable<Text>,
        forme_juridique -> Nullable<Text>,
        secteur_activite -> SecteurActivite,
        region -> Region,
        ville -> Nullable<Text>,
        commune -> Nullable<Text>,
        adresse -> Nullable<Text>,
        geolocation -> Nullable<Geography>,
        finalites -> Jsonb,
        finalite_principale -> Nullable<Text>,
        a_correspondant -> Bool,
        type_formalite -> Nullable<TypeFormalite>,
        numero -> Nullable<Text>,
        statut_conformite -> StatutConformite,
        date_publication -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::BaseLegale;
    use super::sql_types::TypeFormalite;
    use super::sql_types::StatutTraitement;

    /// Registre des activités de traitement (une ligne = un traitement).
    registre_traitements (id) {
        id -> Uuid,
        entite_id -> Uuid,
        nom -> Text,
        finalite -> Nullable<Text>,
        base_legale -> Nullable<BaseLegale>,
        categories_personnes -> Nullable<Text>,
        duree_conservation -> Nullable<Text>,
        destinataires -> Nullable<Text>,
        transfert_hors_ci -> Bool,
        regime -> Nullable<TypeFormalite>,
        statut -> StatutTraitement,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutRenouvellement;

    /// Demandes de renouvellement de l'agrément et rappels d'échéance.
    renouvellements (id) {
        id -> Uuid,
        entite_id -> Uuid,
        date_demande -> Timestamptz,
        date_expiration_agrement -> Date,
        nouvelle_date_expiration -> Nullable<Date>,
        motif -> Nullable<Text>,
        statut -> StatutRenouvellement,
        traite_par -> Nullable<Uuid>,
        date_traitement -> Nullable<Timestamptz>,
        commentaire -> Nullable<Text>,
        rappel_3_mois_le -> Nullable<Timestamptz>,
        rappel_1_mois_le -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::TypeResponsableLegal;

    /// Représentants légaux, demandeurs mandatés et référents de l'entité.
    responsables_legaux (id) {
        id -> Uuid,
        entite_id -> Uuid,
        nom -> Text,
        prenom -> Nullable<Text>,
        fonction -> Nullable<Text>,
        email -> Nullable<Text>,
        telephone -> Nullable<Text>,
        #[sql_name = "type"]
        type_ -> TypeResponsableLegal,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Organisation de la sécurité des données de l'entité.
    securite_conformite (entite_id) {
        entite_id -> Uuid,
        politique_securite -> Bool,
        responsable_securite -> Bool,
        analyse_risques -> Bool,
        plan_continuite -> Bool,
        procedure_violations -> Bool,
        violations_12_mois -> Nullable<Int4>,
        formation_personnel -> Bool,
        frequence_formation -> Nullable<Text>,
        dernier_audit -> Nullable<Date>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Sessions de connexion (comptes entreprises et agents), révocables.
    sessions (id) {
        id -> Uuid,
        compte_entreprise_id -> Nullable<Uuid>,
        user_id -> Nullable<Uuid>,
        restreinte -> Bool,
        ip -> Nullable<Inet>,
        user_agent -> Nullable<Text>,
        expires_at -> Timestamptz,
        revoquee_le -> Nullable<Timestamptz>,
        motif_revocation -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;

    /// Sous-traitants à qui l'entité confie des données.
    sous_traitance (id) {
        id -> Uuid,
        entite_id -> Uuid,
        nom_sous_traitant -> Text,
        pays -> Text,
        objet -> Nullable<Text>,
        donnees_partagees -> Nullable<Text>,
        contrat -> Bool,
        clauses_protection -> Bool,
        audit -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::StatutAutorisationTransfert;

    /// Transferts de données hors de Côte d'Ivoire.
    transferts_internationaux (id) {
        id -> Uuid,
        entite_id -> Uuid,
        pays_destination -> Text,
        est_cedeao -> Bool,
        organisme_destinataire -> Nullable<Text>,
        finalite -> Nullable<Text>,
        categories -> Nullable<Text>,
        base_juridique -> Nullable<Text>,
        garanties -> Nullable<Text>,
        statut_autorisation -> StatutAutorisationTransfert,
        numero_decision -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ordre -> Int4,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::RoleUtilisateur;

    /// Agents de l'ARTCI (super_admin, admin, editeur, lecteur).
    users (id) {
        id -> Uuid,
        nom -> Text,
        prenom -> Text,
        email -> Text,
        password_hash -> Text,
        role -> RoleUtilisateur,
        superieur_id -> Nullable<Uuid>,
        telephone -> Nullable<Text>,
        est_actif -> Bool,
        derniere_connexion -> Nullable<Timestamptz>,
        password_last_changed -> Nullable<Timestamptz>,
        password_expires_at -> Nullable<Timestamptz>,
        doit_changer_mot_de_passe -> Bool,
        tentatives_connexion_echouees -> Int4,
        verrouille_jusqu_a -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        /// Échéance du mot de passe pour laquelle l'avertissement à J-15 a été envoyé.
        avertissement_j15_echeance -> Nullable<Timestamptz>,
        /// Échéance du mot de passe pour laquelle l'avertissement à J-7 a été envoyé.
        avertissement_j7_echeance -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use postgis_diesel::sql_types::*;
    use super::sql_types::OrigineVersion;
    use super::sql_types::TypeFormalite;

    /// Versions approuvées d'un dossier (instantané et certificat), en ajout seul.
    versions_approuvees (id) {
        id -> Uuid,
        entite_id -> Uuid,
        version -> Int4,
        origine -> OrigineVersion,
        numero -> Text,
        type_formalite -> TypeFormalite,
        date_emission -> Date,
        date_expiration -> Date,
        contenu -> Jsonb,
        document_id -> Uuid,
        emis_par -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(assignations_demandes -> entites_base (entite_id));
diesel::joinable!(categories_donnees -> entites_base (entite_id));
diesel::joinable!(certifications_securite -> documents_joints (document_id));
diesel::joinable!(certifications_securite -> entites_base (entite_id));
diesel::joinable!(comptes_entreprises -> users (inscription_validee_par));
diesel::joinable!(conformite_administrative -> entites_base (entite_id));
diesel::joinable!(demandes_rapprochement -> comptes_entreprises (compte_entreprise_id));
diesel::joinable!(demandes_rapprochement -> documents_joints (document_preuve_id));
diesel::joinable!(demandes_rapprochement -> entites_base (entite_id));
diesel::joinable!(demandes_rapprochement -> users (traite_par));
diesel::joinable!(documents_joints -> comptes_entreprises (depose_par_compte_id));
diesel::joinable!(documents_joints -> entites_base (entite_id));
diesel::joinable!(dpo -> entites_base (entite_id));
diesel::joinable!(entites_base -> comptes_entreprises (compte_entreprise_id));
diesel::joinable!(entites_conformite -> entites_base (entite_id));
diesel::joinable!(entites_contact -> entites_base (entite_id));
diesel::joinable!(entites_localisation -> entites_base (entite_id));
diesel::joinable!(entites_workflow -> entites_base (entite_id));
diesel::joinable!(feedbacks_verification -> assignations_demandes (assignation_id));
diesel::joinable!(feedbacks_verification -> entites_base (entite_id));
diesel::joinable!(feedbacks_verification -> users (agent_id));
diesel::joinable!(finalites_bases_legales -> entites_base (entite_id));
diesel::joinable!(historique_statuts -> entites_base (entite_id));
diesel::joinable!(historique_statuts -> users (acteur_user_id));
diesel::joinable!(jetons_rafraichissement -> sessions (session_id));
diesel::joinable!(mesures_securite -> entites_base (entite_id));
diesel::joinable!(modifications_dossier -> comptes_entreprises (ouverte_par_compte_id));
diesel::joinable!(modifications_dossier -> entites_base (entite_id));
diesel::joinable!(otp_codes -> comptes_entreprises (compte_entreprise_id));
diesel::joinable!(otp_codes -> users (user_id));
diesel::joinable!(rappels_rapport_activite -> entites_base (entite_id));
diesel::joinable!(rapports_activite -> comptes_entreprises (depose_par_compte_id));
diesel::joinable!(rapports_activite -> documents_joints (document_id));
diesel::joinable!(rapports_activite -> entites_base (entite_id));
diesel::joinable!(rapports_activite -> users (examine_par));
diesel::joinable!(registre_public -> entites_base (entite_id));
diesel::joinable!(registre_traitements -> entites_base (entite_id));
diesel::joinable!(renouvellements -> entites_base (entite_id));
diesel::joinable!(renouvellements -> users (traite_par));
diesel::joinable!(responsables_legaux -> entites_base (entite_id));
diesel::joinable!(securite_conformite -> entites_base (entite_id));
diesel::joinable!(sessions -> comptes_entreprises (compte_entreprise_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(sous_traitance -> entites_base (entite_id));
diesel::joinable!(transferts_internationaux -> entites_base (entite_id));
diesel::joinable!(versions_approuvees -> documents_joints (document_id));
diesel::joinable!(versions_approuvees -> entites_base (entite_id));
diesel::joinable!(versions_approuvees -> users (emis_par));

diesel::allow_tables_to_appear_in_same_query!(
    assignations_demandes,
    categories_donnees,
    certifications_securite,
    comptes_entreprises,
    conformite_administrative,
    courriels_sortants,
    demandes_rapprochement,
    documents_joints,
    echecs_connexion,
    dpo,
    entites_base,
    entites_conformite,
    entites_contact,
    entites_localisation,
    entites_workflow,
    feedbacks_verification,
    finalites_bases_legales,
    grappes_carte,
    historique_statuts,
    jetons_rafraichissement,
    limites_debit,
    mesures_securite,
    modifications_dossier,
    numeros_delivres,
    otp_codes,
    rappels_rapport_activite,
    rapports_activite,
    registre_public,
    registre_traitements,
    renouvellements,
    responsables_legaux,
    securite_conformite,
    sessions,
    sous_traitance,
    transferts_internationaux,
    users,
    versions_approuvees,
);
