//! Every model through the database and back, every column set to a value other than its
//! default; then what the database must refuse on its own.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use postgis_diesel::types::Point;
use serde_json::json;
use uuid::Uuid;

use registre_dcp::models::enums::*;
use registre_dcp::models::{
    Assignation, CategorieDonnees, CertificationSecurite, CompteEntreprise,
    ConformiteAdministrative, DemandeRapprochement, DocumentJoint, Dpo, EntiteBase,
    EntiteConformite, EntiteContact, EntiteLocalisation, EntiteWorkflow, FeedbackVerification,
    FinaliteBaseLegale, HistoriqueStatut, MesureSecurite, OtpCode, RegistreTraitement,
    Renouvellement, ResponsableLegal, SecuriteConformite, SousTraitance, TransfertInternational,
    User,
};
use registre_dcp::schema::*;

use crate::support::TestDb;

/// Inserts `$row` (a `$model`) into `$table`, reads it back by primary key with the model's
/// `Selectable` and checks both are equal; evaluates to the row read back.
macro_rules! aller_retour {
    ($conn:expr, $table:ident, $model:ty, $row:expr) => {{
        let ligne: $model = $row;
        diesel::insert_into($table::table)
            .values(&ligne)
            .execute($conn)
            .await
            .unwrap_or_else(|e| panic!("INSERT INTO {} : {e}", stringify!($table)));
        let id = *Identifiable::id(&ligne);
        let relue: $model = $table::table
            .find(id)
            .select(<$model>::as_select())
            .get_result($conn)
            .await
            .unwrap_or_else(|e| panic!("SELECT {} : {e}", stringify!($table)));
        assert_eq!(relue, ligne, "aller-retour de {}", stringify!($table));
        relue
    }};
}

/// A fixed instant with microseconds (PostgreSQL keeps no finer precision).
fn instant(jour: u32, micros: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, jour, 8, 30, 15).unwrap() + Duration::microseconds(micros)
}

fn date(annee: i32, mois: u32, jour: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(annee, mois, jour).unwrap()
}

fn id() -> Uuid {
    Uuid::new_v4()
}

fn ncc(n: u32) -> String {
    format!("{n:07}A")
}

fn erreur_base(err: DieselError) -> DatabaseErrorKind {
    match err {
        DieselError::DatabaseError(kind, _) => kind,
        autre => panic!("erreur de base attendue, reçu {autre:?}"),
    }
}

// --- Minimal rows for the refusal tests -----------------------------------------------------

async fn agent(conn: &mut AsyncPgConnection) -> Uuid {
    diesel::insert_into(users::table)
        .values((
            users::nom.eq("Koné"),
            users::prenom.eq("Awa"),
            users::email.eq(format!("{}@artci.ci", id().simple())),
            users::password_hash.eq("$argon2id$haché"),
        ))
        .returning(users::id)
        .get_result(conn)
        .await
        .unwrap()
}

async fn entite(conn: &mut AsyncPgConnection, numero: u32) -> Uuid {
    diesel::insert_into(entites_base::table)
        .values((
            entites_base::numero_cc.eq(ncc(numero)),
            entites_base::denomination.eq("Clinique du Plateau"),
            entites_base::secteur_activite.eq(SecteurActivite::Sante),
            entites_base::region.eq(Region::Abidjan),
        ))
        .returning(entites_base::id)
        .get_result(conn)
        .await
        .unwrap()
}

async fn compte(conn: &mut AsyncPgConnection, numero: u32) -> Uuid {
    diesel::insert_into(comptes_entreprises::table)
        .values((
            comptes_entreprises::email.eq(format!("{}@entreprise.ci", id().simple())),
            comptes_entreprises::password_hash.eq("$argon2id$haché"),
            comptes_entreprises::denomination.eq("Clinique du Plateau"),
            comptes_entreprises::numero_cc.eq(ncc(numero)),
        ))
        .returning(comptes_entreprises::id)
        .get_result(conn)
        .await
        .unwrap()
}

// --- The 25 tables ----------------------------------------------------------------------------

#[tokio::test]
async fn chaque_table_fait_l_aller_retour_avec_toutes_ses_colonnes() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let conn = &mut conn;

    let chef = agent(conn).await;
    let user = aller_retour!(
        conn,
        users,
        User,
        User {
            id: id(),
            nom: "Kouassi".into(),
            prenom: "Yao Serge".into(),
            email: "yao.kouassi@artci.ci".into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2Vs$aGFzaA".into(),
            role: RoleUtilisateur::Admin,
            superieur_id: Some(chef),
            telephone: Some("+225 07 07 07 07 07".into()),
            est_actif: false,
            derniere_connexion: Some(instant(1, 1)),
            password_last_changed: Some(instant(2, 2)),
            password_expires_at: Some(instant(3, 3)),
            doit_changer_mot_de_passe: true,
            tentatives_connexion_echouees: 3,
            verrouille_jusqu_a: Some(instant(4, 4)),
            created_at: instant(5, 5),
            updated_at: instant(6, 6),
        }
    );

    let compte = aller_retour!(
        conn,
        comptes_entreprises,
        CompteEntreprise,
        CompteEntreprise {
            id: id(),
            email: "dpo@clinique-plateau.ci".into(),
            password_hash: "$argon2id$compte".into(),
            denomination: "Clinique du Plateau SA".into(),
            numero_cc: "1234567B".into(),
            telephone: Some("+225 27 20 00 00 00".into()),
            adresse: Some("Boulevard de la République".into()),
            ville: Some("Bouna".into()),
            region: Some(Region::Bounkani),
            email_verifie: true,
            est_actif: false,
            statut_inscription: StatutInscription::Rejetee,
            motif_rejet_code: Some(MotifRejetInscription::DocumentsInvalides),
            motif_rejet: Some("RCCM illisible".into()),
            inscription_validee_par: Some(user.id),
            inscription_validee_le: Some(instant(7, 7)),
            derniere_connexion: Some(instant(8, 8)),
            tentatives_connexion_echouees: 2,
            verrouille_jusqu_a: Some(instant(9, 9)),
            created_at: instant(10, 10),
            updated_at: instant(11, 11),
            password_last_changed: Some(instant(12, 12)),
            password_expires_at: Some(instant(13, 13)),
        }
    );

    let entite = aller_retour!(
        conn,
        entites_base,
        EntiteBase,
        EntiteBase {
            id: id(),
            compte_entreprise_id: Some(compte.id),
            numero_cc: "7654321Z".into(),
            denomination: "Clinique du Plateau".into(),
            sigle: Some("CDP".into()),
            forme_juridique: Some("SA".into()),
            secteur_activite: SecteurActivite::Sante,
            adresse: Some("Rue du Commerce".into()),
            ville: Some("Dimbokro".into()),
            commune: Some("Dimbokro".into()),
            region: Region::NZi,
            telephone: Some("+225 27 30 00 00 00".into()),
            email: Some("contact@clinique-plateau.ci".into()),
            origine_saisie: OrigineSaisie::Rapprochement,
            publie_sur_carte: true,
            created_at: instant(14, 14),
            updated_at: instant(15, 15),
        }
    );
    let e = entite.id;

    aller_retour!(
        conn,
        entites_contact,
        EntiteContact,
        EntiteContact {
            entite_id: e,
            representant_nom: Some("Bamba Mariam".into()),
            representant_fonction: Some("Directrice générale".into()),
            representant_email: Some("m.bamba@clinique-plateau.ci".into()),
            representant_telephone: Some("+225 07 00 00 00 01".into()),
            site_web: Some("https://clinique-plateau.ci".into()),
            email_public: Some("info@clinique-plateau.ci".into()),
            telephone_public: Some("+225 27 30 00 00 01".into()),
            created_at: instant(16, 16),
            updated_at: instant(17, 17),
        }
    );

    aller_retour!(
        conn,
        entites_workflow,
        EntiteWorkflow,
        EntiteWorkflow {
            entite_id: e,
            statut: StatutWorkflow::Publie,
            type_formalite: Some(TypeFormalite::AutorisationPrealable),
            numero_recepisse: Some("REC-2024-0001".into()),
            numero_autorisation_artci: Some("AUT-2024-0001".into()),
            date_soumission: Some(instant(18, 18)),
            date_limite_decision: Some(date(2024, 4, 18)),
            date_validation: Some(instant(19, 19)),
            date_expiration: Some(date(2026, 3, 19)),
            date_publication: Some(instant(20, 20)),
            date_rejet: Some(instant(21, 21)),
            motif_rejet: Some("Ancien rejet, dossier refait".into()),
            created_by: Some(user.id),
            assigned_to: Some(chef),
            version: 7,
            created_at: instant(22, 22),
            updated_at: instant(23, 23),
            delai_prolonge_pour: Some(instant(18, 18)),
            motif_prolongation: Some("Transferts hors CEDEAO à instruire".into()),
        }
    );

    aller_retour!(
        conn,
        entites_localisation,
        EntiteLocalisation,
        EntiteLocalisation {
            entite_id: e,
            geolocation: Some(Point {
                x: -4.0166,
                y: 5.3167,
                srid: Some(4326),
            }),
            precision_m: Some(12),
            methode: Some(MethodeLocalisation::ClicCarte),
            adresse_complete: Some("Plateau, avenue Chardy".into()),
            commune: Some("Plateau".into()),
            quartier: Some("Cité administrative".into()),
            code_postal: Some("01 BP 1234".into()),
            created_at: instant(24, 24),
            updated_at: instant(25, 25),
        }
    );

    aller_retour!(
        conn,
        entites_conformite,
        EntiteConformite,
        EntiteConformite {
            entite_id: e,
            score_conformite: 85,
            statut_conformite: StatutConformite::DemarcheEnCours,
            a_dpo: true,
            type_dpo: Some(TypeDpo::Externe),
            effectif_entreprise: Some(250),
            volume_donnees_traitees: Some(3_000_000_000),
            date_evaluation: Some(date(2024, 3, 26)),
            created_at: instant(26, 26),
            updated_at: instant(27, 27),
            delai_mise_en_conformite: Some(date(2024, 9, 30)),
        }
    );

    aller_retour!(
        conn,
        responsables_legaux,
        ResponsableLegal,
        ResponsableLegal {
            id: id(),
            entite_id: e,
            nom: "Traoré".into(),
            prenom: Some("Ibrahim".into()),
            fonction: Some("Juriste".into()),
            email: Some("i.traore@clinique-plateau.ci".into()),
            telephone: Some("+225 05 00 00 00 02".into()),
            type_: TypeResponsableLegal::DemandeurMandate,
            created_at: instant(1, 101),
            updated_at: instant(2, 102),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        dpo,
        Dpo,
        Dpo {
            id: id(),
            entite_id: e,
            nom: "N'Guessan".into(),
            prenom: Some("Aya".into()),
            email: Some("dpo@cabinet-conseil.ci".into()),
            telephone: Some("+225 01 00 00 00 03".into()),
            type_: TypeDpo::Externe,
            organisme: Some("Cabinet Conseil CI".into()),
            date_designation: Some(date(2023, 1, 2)),
            date_fin: Some(date(2024, 1, 2)),
            est_actif: false,
            statut_designation: StatutDesignationDpo::Rejetee,
            motif_rejet: Some("Casier judiciaire manquant".into()),
            created_at: instant(3, 103),
            updated_at: instant(4, 104),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        conformite_administrative,
        ConformiteAdministrative,
        ConformiteAdministrative {
            entite_id: e,
            connaissance_loi: true,
            declaration_artci: true,
            numero_declaration: Some("DEC-2019-042".into()),
            date_declaration: Some(date(2019, 5, 6)),
            autorisation_artci: true,
            numero_autorisation: Some("2016-0113".into()),
            date_autorisation: Some(date(2016, 7, 8)),
            registre_tenu: true,
            information_personnes: true,
            procedure_droits: true,
            dernier_rapport_annuel: Some(date(2024, 3, 31)),
            created_at: instant(5, 105),
            updated_at: instant(6, 106),
        }
    );

    // Exactly one uploader per document: one by the account, one by a staff member.
    let document = aller_retour!(
        conn,
        documents_joints,
        DocumentJoint,
        DocumentJoint {
            id: id(),
            entite_id: e,
            type_document: TypeDocument::PreuveRapprochement,
            nom_fichier: "preuve.pdf".into(),
            cle_stockage: "entites/preuve-1.pdf".into(),
            taille_octets: 10_485_760,
            mime_type: "application/pdf".into(),
            sha256: "a".repeat(64),
            depose_par_compte_id: Some(compte.id),
            depose_par_user_id: None,
            statut_verification: StatutVerificationDocument::Rejete,
            verifie_par: Some(user.id),
            verifie_le: Some(instant(7, 107)),
            motif_rejet: Some("Illisible".into()),
            est_public: true,
            created_at: instant(8, 108),
            updated_at: instant(9, 109),
            remplace_par_id: None,
            remplace_le: None,
            visible_entreprise: true,
        }
    );
    aller_retour!(
        conn,
        documents_joints,
        DocumentJoint,
        DocumentJoint {
            id: id(),
            depose_par_compte_id: None,
            depose_par_user_id: Some(user.id),
            cle_stockage: "entites/certificat-1.pdf".into(),
            sha256: "0123456789abcdef".repeat(4),
            type_document: TypeDocument::DpoCasierJudiciaire,
            visible_entreprise: false,
            ..document.clone()
        }
    );

    aller_retour!(
        conn,
        demandes_rapprochement,
        DemandeRapprochement,
        DemandeRapprochement {
            id: id(),
            entite_id: e,
            compte_entreprise_id: compte.id,
            email_demandeur: "demandeur@clinique-plateau.ci".into(),
            numero_cc: "7654321Z".into(),
            document_preuve_id: Some(document.id),
            raison_demande: "Nous sommes cette clinique".into(),
            statut: StatutRapprochement::Rejete,
            traite_par: Some(user.id),
            date_traitement: Some(instant(10, 110)),
            commentaire_artci: Some("Preuve insuffisante".into()),
            created_at: instant(11, 111),
            updated_at: instant(12, 112),
        }
    );

    let traitement = aller_retour!(
        conn,
        registre_traitements,
        RegistreTraitement,
        RegistreTraitement {
            id: id(),
            entite_id: e,
            nom: "Dossiers patients".into(),
            finalite: Some("Suivi médical".into()),
            base_legale: Some(BaseLegale::ExecutionContrat),
            categories_personnes: Some("Patients".into()),
            duree_conservation: Some("20 ans".into()),
            destinataires: Some("Médecins".into()),
            transfert_hors_ci: true,
            regime: Some(TypeFormalite::AutorisationPrealable),
            statut: StatutTraitement::Suspendu,
            created_at: instant(13, 113),
            updated_at: instant(14, 114),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        categories_donnees,
        CategorieDonnees,
        CategorieDonnees {
            id: id(),
            entite_id: e,
            registre_traitement_id: Some(traitement.id),
            categorie: CodeCategorieDonnees::Biometriques,
            items: Some("Empreintes digitales".into()),
            origine: Some("Collecte directe".into()),
            est_sensible: true,
            created_at: instant(15, 115),
            updated_at: instant(16, 116),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        finalites_bases_legales,
        FinaliteBaseLegale,
        FinaliteBaseLegale {
            id: id(),
            entite_id: e,
            registre_traitement_id: Some(traitement.id),
            finalite: "Soins".into(),
            base_legale: BaseLegale::SauvegardeInteretsPersonne,
            pourcentage: 40,
            created_at: instant(17, 117),
            updated_at: instant(18, 118),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        sous_traitance,
        SousTraitance,
        SousTraitance {
            id: id(),
            entite_id: e,
            nom_sous_traitant: "Hébergeur SAS".into(),
            pays: "FR".into(),
            objet: Some("Hébergement".into()),
            donnees_partagees: Some("Dossiers patients".into()),
            contrat: true,
            clauses_protection: true,
            audit: true,
            created_at: instant(19, 119),
            updated_at: instant(20, 120),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        transferts_internationaux,
        TransfertInternational,
        TransfertInternational {
            id: id(),
            entite_id: e,
            pays_destination: "SN".into(),
            est_cedeao: true,
            organisme_destinataire: Some("Laboratoire de Dakar".into()),
            finalite: Some("Analyses".into()),
            categories: Some("Santé".into()),
            base_juridique: Some("Contrat".into()),
            garanties: Some("Clauses types".into()),
            statut_autorisation: StatutAutorisationTransfert::Accordee,
            numero_decision: Some("2016-0113".into()),
            created_at: instant(21, 121),
            updated_at: instant(22, 122),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        securite_conformite,
        SecuriteConformite,
        SecuriteConformite {
            entite_id: e,
            politique_securite: true,
            responsable_securite: true,
            analyse_risques: true,
            plan_continuite: true,
            procedure_violations: true,
            violations_12_mois: Some(2),
            formation_personnel: true,
            frequence_formation: Some("annuelle".into()),
            dernier_audit: Some(date(2023, 11, 30)),
            created_at: instant(23, 123),
            updated_at: instant(24, 124),
        }
    );

    aller_retour!(
        conn,
        mesures_securite,
        MesureSecurite,
        MesureSecurite {
            id: id(),
            entite_id: e,
            type_mesure: TypeMesureSecurite::Physique,
            code: CodeMesureSecurite::SecuriteLocaux,
            description: Some("Badges et vidéosurveillance".into()),
            mise_en_oeuvre: true,
            date_mise_en_oeuvre: Some(date(2022, 6, 1)),
            created_at: instant(25, 125),
            updated_at: instant(26, 126),
            ordre: 1,
        }
    );

    aller_retour!(
        conn,
        certifications_securite,
        CertificationSecurite,
        CertificationSecurite {
            id: id(),
            entite_id: e,
            nom: NomCertification::Iso27001,
            organisme: Some("Bureau Veritas".into()),
            numero: Some("ISO-27001-42".into()),
            date_obtention: Some(date(2022, 1, 10)),
            date_expiration: Some(date(2025, 1, 10)),
            document_id: Some(document.id),
            created_at: instant(27, 127),
            updated_at: instant(28, 128),
            ordre: 1,
        }
    );

    // The actor is a user or an account, never both: one line of each.
    let historique = aller_retour!(
        conn,
        historique_statuts,
        HistoriqueStatut,
        HistoriqueStatut {
            id: id(),
            entite_id: Some(e),
            compte_entreprise_id: Some(compte.id),
            objet: ObjetHistorique::Rapprochement,
            objet_id: Some(id()),
            ancien_statut: Some("en_attente".into()),
            nouveau_statut: "rejete".into(),
            acteur_type: ActeurType::Utilisateur,
            acteur_user_id: Some(user.id),
            acteur_compte_id: None,
            commentaire: Some("Preuve insuffisante".into()),
            created_at: instant(29, 129),
        }
    );
    aller_retour!(
        conn,
        historique_statuts,
        HistoriqueStatut,
        HistoriqueStatut {
            id: id(),
            acteur_type: ActeurType::CompteEntreprise,
            acteur_user_id: None,
            acteur_compte_id: Some(compte.id),
            ..historique
        }
    );

    aller_retour!(
        conn,
        renouvellements,
        Renouvellement,
        Renouvellement {
            id: id(),
            entite_id: e,
            date_demande: instant(1, 201),
            date_expiration_agrement: date(2026, 3, 19),
            nouvelle_date_expiration: Some(date(2028, 3, 19)),
            motif: Some("Poursuite de l'activité".into()),
            statut: StatutRenouvellement::Rejete,
            traite_par: Some(user.id),
            date_traitement: Some(instant(2, 202)),
            commentaire: Some("Rapport d'activité manquant".into()),
            rappel_3_mois_le: Some(instant(3, 203)),
            rappel_1_mois_le: Some(instant(4, 204)),
            created_at: instant(5, 205),
            updated_at: instant(6, 206),
        }
    );

    // One owner per code: an account's, then a staff member's.
    let otp = aller_retour!(
        conn,
        otp_codes,
        OtpCode,
        OtpCode {
            id: id(),
            compte_entreprise_id: Some(compte.id),
            user_id: None,
            code_hash: "$argon2id$otp".into(),
            type_: TypeOtp::ResetPassword,
            expires_at: instant(8, 208),
            used_at: Some(instant(7, 207)),
            tentatives: 2,
            ip: Some("192.0.2.10/32".parse().unwrap()),
            created_at: instant(7, 209),
            updated_at: instant(7, 210),
        }
    );
    aller_retour!(
        conn,
        otp_codes,
        OtpCode,
        OtpCode {
            id: id(),
            compte_entreprise_id: None,
            user_id: Some(user.id),
            type_: TypeOtp::Connexion,
            ip: Some("2001:db8::1/128".parse().unwrap()),
            ..otp
        }
    );

    let assignation = aller_retour!(
        conn,
        assignations_demandes,
        Assignation,
        Assignation {
            id: id(),
            entite_id: e,
            agent_id: user.id,
            assigne_par: chef,
            date_assignation: instant(9, 211),
            echeance: date(2024, 3, 23),
            statut: StatutAssignation::Valide,
            decision_proposee: Some(DecisionTraitement::ConformeSousReserve),
            traite_le: Some(instant(10, 212)),
            valide_par: Some(chef),
            valide_le: Some(instant(11, 213)),
            commentaire_validation: Some("D'accord".into()),
            created_at: instant(12, 214),
            updated_at: instant(13, 215),
            rappel_echeance_envoye_pour: Some(date(2024, 3, 21)),
        }
    );

    aller_retour!(
        conn,
        feedbacks_verification,
        FeedbackVerification,
        FeedbackVerification {
            id: id(),
            entite_id: e,
            assignation_id: Some(assignation.id),
            agent_id: user.id,
            commentaires: Some("Compléter la partie sécurité".into()),
            elements_manquants: json!([
                {"rubrique": "securite", "libelle": "Politique de sécurité", "obligatoire": true, "fourni": false}
            ]),
            delai_fourniture: Some(date(2024, 4, 15)),
            statut: StatutFeedback::Envoye,
            visible_entreprise: true,
            created_at: instant(14, 216),
            updated_at: instant(15, 217),
        }
    );

    // The service's own tables (sessions, outbox, the public projection…) are not the
    // registry's: each has its own tests.
    let service: Vec<String> = crate::schema_rs::TABLES_DE_SERVICE
        .iter()
        .map(|t| format!("'{t}'"))
        .collect();
    let tables: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public' \
           AND tablename NOT IN ('spatial_ref_sys', '__diesel_schema_migrations', {}))",
        service.join(", ")
    )))
    .get_result(conn)
    .await
    .unwrap();
    assert_eq!(tables, 25, "chaque table a fait l'aller-retour ci-dessus");
}

// --- What the database refuses --------------------------------------------------------------

#[tokio::test]
async fn un_ncc_mal_forme_est_refuse() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    for mauvais in ["123456A", "12345678", "1234567a", " 1234567A", "1234567AB"] {
        let err = diesel::insert_into(entites_base::table)
            .values((
                entites_base::numero_cc.eq(mauvais),
                entites_base::denomination.eq("X"),
                entites_base::secteur_activite.eq(SecteurActivite::Autre),
                entites_base::region.eq(Region::Poro),
            ))
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(
            matches!(erreur_base(err), DatabaseErrorKind::CheckViolation),
            "{mauvais}"
        );
    }
    let err = diesel::insert_into(comptes_entreprises::table)
        .values((
            comptes_entreprises::email.eq("a@b.ci"),
            comptes_entreprises::password_hash.eq("h"),
            comptes_entreprises::denomination.eq("X"),
            comptes_entreprises::numero_cc.eq("1234567"),
        ))
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::CheckViolation
    ));
}

#[tokio::test]
async fn un_email_non_normalise_ou_en_double_est_refuse() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let nouveau = |email: &'static str| {
        diesel::insert_into(users::table).values((
            users::nom.eq("Koné"),
            users::prenom.eq("Awa"),
            users::email.eq(email),
            users::password_hash.eq("h"),
        ))
    };
    nouveau("awa.kone@artci.ci")
        .execute(&mut conn)
        .await
        .unwrap();
    let err = nouveau("Awa.Kone@artci.ci")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::CheckViolation
    ));
    let err = nouveau("awa.kone@artci.ci")
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::UniqueViolation
    ));
}

#[tokio::test]
async fn une_seule_assignation_ouverte_par_entite() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let admin = agent(&mut conn).await;
    let agent_id = agent(&mut conn).await;
    let e = entite(&mut conn, 1).await;
    let assigner = |statut: StatutAssignation| {
        diesel::insert_into(assignations_demandes::table).values((
            assignations_demandes::entite_id.eq(e),
            assignations_demandes::agent_id.eq(agent_id),
            assignations_demandes::assigne_par.eq(admin),
            assignations_demandes::echeance.eq(date(2024, 5, 1)),
            assignations_demandes::statut.eq(statut),
        ))
    };
    assigner(StatutAssignation::Annule)
        .execute(&mut conn)
        .await
        .unwrap();
    assigner(StatutAssignation::EnCours)
        .execute(&mut conn)
        .await
        .unwrap();
    let err = assigner(StatutAssignation::EnRetard)
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::UniqueViolation
    ));

    // Validated, the first one frees the entity for a new assignment.
    diesel::update(assignations_demandes::table)
        .filter(assignations_demandes::statut.eq(StatutAssignation::EnCours))
        .set((
            assignations_demandes::statut.eq(StatutAssignation::Valide),
            assignations_demandes::valide_par.eq(admin),
            assignations_demandes::valide_le.eq(instant(1, 0)),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    assigner(StatutAssignation::EnCours)
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn les_pourcentages_d_une_entite_ne_depassent_pas_100_a_la_validation() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let e = entite(&mut conn, 2).await;
    let finalite = move |nom: &'static str, pourcentage: i16| {
        diesel::insert_into(finalites_bases_legales::table).values((
            finalites_bases_legales::entite_id.eq(e),
            finalites_bases_legales::finalite.eq(nom),
            finalites_bases_legales::base_legale.eq(BaseLegale::Consentement),
            finalites_bases_legales::pourcentage.eq(pourcentage),
        ))
    };
    finalite("Prospection", 60)
        .execute(&mut conn)
        .await
        .unwrap();

    // Over 100 at commit: each INSERT passes, the COMMIT is refused.
    let resultat = conn
        .transaction::<_, DieselError, _>(async |conn| {
            finalite("Fidélité", 30).execute(conn).await?;
            finalite("Statistiques", 20).execute(conn).await?;
            Ok(())
        })
        .await;
    assert!(
        matches!(
            resultat,
            Err(DieselError::DatabaseError(
                DatabaseErrorKind::CheckViolation,
                _
            ))
        ),
        "{resultat:?}"
    );

    // Replacing the list in one transaction goes through the 160 % in between.
    conn.transaction::<_, DieselError, _>(async |conn| {
        finalite("Facturation", 100).execute(conn).await?;
        diesel::delete(finalites_bases_legales::table)
            .filter(finalites_bases_legales::finalite.eq("Prospection"))
            .execute(conn)
            .await?;
        Ok(())
    })
    .await
    .unwrap();

    let total: Option<i64> = finalites_bases_legales::table
        .filter(finalites_bases_legales::entite_id.eq(e))
        .select(diesel::dsl::sum(finalites_bases_legales::pourcentage))
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(total, Some(100));
}

#[tokio::test]
async fn l_historique_refuse_update_delete_et_truncate() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let e = entite(&mut conn, 3).await;
    diesel::insert_into(historique_statuts::table)
        .values((
            historique_statuts::entite_id.eq(e),
            historique_statuts::objet.eq(ObjetHistorique::Workflow),
            historique_statuts::ancien_statut.eq("brouillon"),
            historique_statuts::nouveau_statut.eq("soumis"),
            historique_statuts::acteur_type.eq(ActeurType::Systeme),
        ))
        .execute(&mut conn)
        .await
        .unwrap();

    diesel::update(historique_statuts::table)
        .set(historique_statuts::commentaire.eq("réécrit"))
        .execute(&mut conn)
        .await
        .unwrap_err();
    diesel::delete(historique_statuts::table)
        .execute(&mut conn)
        .await
        .unwrap_err();
    diesel::sql_query("TRUNCATE historique_statuts")
        .execute(&mut conn)
        .await
        .unwrap_err();
    // Nor does the entity go, taking its history with it.
    let err = diesel::delete(entites_base::table.find(e))
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::ForeignKeyViolation
    ));

    let lignes: i64 = historique_statuts::table
        .filter(historique_statuts::commentaire.is_null())
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(lignes, 1);

    // The actor columns must match acteur_type.
    let err = diesel::insert_into(historique_statuts::table)
        .values((
            historique_statuts::entite_id.eq(e),
            historique_statuts::objet.eq(ObjetHistorique::Workflow),
            historique_statuts::nouveau_statut.eq("en_verification"),
            historique_statuts::acteur_type.eq(ActeurType::Utilisateur),
        ))
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::CheckViolation
    ));
}

#[tokio::test]
async fn un_code_otp_a_exactement_un_proprietaire() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let user = agent(&mut conn).await;
    let compte = compte(&mut conn, 4).await;
    let code = |compte: Option<Uuid>, user: Option<Uuid>| {
        diesel::insert_into(otp_codes::table).values((
            otp_codes::compte_entreprise_id.eq(compte),
            otp_codes::user_id.eq(user),
            otp_codes::code_hash.eq("$argon2id$otp"),
            otp_codes::type_.eq(TypeOtp::Connexion),
            otp_codes::expires_at.eq(Utc::now() + Duration::minutes(10)),
        ))
    };
    for (c, u) in [(Some(compte), Some(user)), (None, None)] {
        let err = code(c, u).execute(&mut conn).await.unwrap_err();
        assert!(matches!(
            erreur_base(err),
            DatabaseErrorKind::CheckViolation
        ));
    }
    code(Some(compte), None).execute(&mut conn).await.unwrap();
    code(None, Some(user)).execute(&mut conn).await.unwrap();
}

#[tokio::test]
async fn updated_at_change_a_chaque_update() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let e = entite(&mut conn, 5).await;
    let avant = instant(1, 0);
    diesel::update(entites_base::table.find(e))
        .set(entites_base::updated_at.eq(avant))
        .execute(&mut conn)
        .await
        .unwrap();
    let (created_at, updated_at): (DateTime<Utc>, DateTime<Utc>) = entites_base::table
        .find(e)
        .select((entites_base::created_at, entites_base::updated_at))
        .get_result(&mut conn)
        .await
        .unwrap();
    // The trigger overrides even an explicit value.
    assert!(updated_at > avant);
    assert!(updated_at >= created_at);

    diesel::update(entites_base::table.find(e))
        .set(entites_base::sigle.eq("CDP"))
        .execute(&mut conn)
        .await
        .unwrap();
    let (created_apres, updated_apres): (DateTime<Utc>, DateTime<Utc>) = entites_base::table
        .find(e)
        .select((entites_base::created_at, entites_base::updated_at))
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(created_apres, created_at);
    assert!(updated_apres > updated_at);
}

#[tokio::test]
async fn publie_sur_carte_suit_le_statut_du_workflow() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let e = entite(&mut conn, 6).await;
    let publiee = async |conn: &mut AsyncPgConnection| -> bool {
        entites_base::table
            .find(e)
            .select(entites_base::publie_sur_carte)
            .get_result(conn)
            .await
            .unwrap()
    };
    diesel::insert_into(entites_workflow::table)
        .values((
            entites_workflow::entite_id.eq(e),
            entites_workflow::statut.eq(StatutWorkflow::Valide),
            entites_workflow::date_validation.eq(instant(1, 0)),
            entites_workflow::date_expiration.eq(date(2026, 3, 1)),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(!publiee(&mut conn).await);

    for (statut, attendu) in [
        (StatutWorkflow::Publie, true),
        (StatutWorkflow::Valide, false),
        (StatutWorkflow::Publie, true),
        (StatutWorkflow::Expire, false),
    ] {
        diesel::update(entites_workflow::table.find(e))
            .set(entites_workflow::statut.eq(statut))
            .execute(&mut conn)
            .await
            .unwrap();
        assert_eq!(publiee(&mut conn).await, attendu, "{statut:?}");
    }
}

#[tokio::test]
async fn les_regles_de_coherence_sont_tenues_par_la_base() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let e = entite(&mut conn, 7).await;

    // A rejected sign-up needs its reason code.
    let err = diesel::insert_into(comptes_entreprises::table)
        .values((
            comptes_entreprises::email.eq("x@y.ci"),
            comptes_entreprises::password_hash.eq("h"),
            comptes_entreprises::denomination.eq("X"),
            comptes_entreprises::numero_cc.eq("7777777A"),
            comptes_entreprises::statut_inscription.eq(StatutInscription::Rejetee),
        ))
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::CheckViolation
    ));

    // type_dpo is set exactly when a_dpo; the score stays within 0..=100.
    for (a_dpo, type_dpo, score) in [
        (true, None, 50),
        (false, Some(TypeDpo::Interne), 50),
        (false, None, 101),
    ] {
        let err = diesel::insert_into(entites_conformite::table)
            .values((
                entites_conformite::entite_id.eq(e),
                entites_conformite::a_dpo.eq(a_dpo),
                entites_conformite::type_dpo.eq(type_dpo),
                entites_conformite::score_conformite.eq(score),
            ))
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(matches!(
            erreur_base(err),
            DatabaseErrorKind::CheckViolation
        ));
    }

    // A document over 10 MiB, or with a malformed digest.
    for (taille, sha) in [(10_485_761, "a".repeat(64)), (1, "A".repeat(64))] {
        let err = diesel::insert_into(documents_joints::table)
            .values((
                documents_joints::entite_id.eq(e),
                documents_joints::type_document.eq(TypeDocument::Cni),
                documents_joints::nom_fichier.eq("cni.pdf"),
                documents_joints::cle_stockage.eq(format!("k/{}", id())),
                documents_joints::taille_octets.eq(taille),
                documents_joints::mime_type.eq("application/pdf"),
                documents_joints::sha256.eq(sha),
                documents_joints::depose_par_user_id.eq(agent(&mut conn).await),
            ))
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(matches!(
            erreur_base(err),
            DatabaseErrorKind::CheckViolation
        ));
    }

    // Two active correspondants for one entity.
    let correspondant = || {
        diesel::insert_into(dpo::table).values((
            dpo::entite_id.eq(e),
            dpo::nom.eq("Yao"),
            dpo::type_.eq(TypeDpo::Interne),
        ))
    };
    correspondant().execute(&mut conn).await.unwrap();
    let err = correspondant().execute(&mut conn).await.unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::UniqueViolation
    ));

    // Two pending claims by the same account on the same entity.
    let c = compte(&mut conn, 8).await;
    let demande = || {
        diesel::insert_into(demandes_rapprochement::table).values((
            demandes_rapprochement::entite_id.eq(e),
            demandes_rapprochement::compte_entreprise_id.eq(c),
            demandes_rapprochement::email_demandeur.eq("demandeur@x.ci"),
            demandes_rapprochement::numero_cc.eq(ncc(7)),
            demandes_rapprochement::raison_demande.eq("C'est nous"),
        ))
    };
    demande().execute(&mut conn).await.unwrap();
    let err = demande().execute(&mut conn).await.unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::UniqueViolation
    ));

    // elements_manquants is a JSON array.
    let admin = agent(&mut conn).await;
    let err = diesel::insert_into(feedbacks_verification::table)
        .values((
            feedbacks_verification::entite_id.eq(e),
            feedbacks_verification::agent_id.eq(admin),
            feedbacks_verification::elements_manquants.eq(json!({"rubrique": "x"})),
        ))
        .execute(&mut conn)
        .await
        .unwrap_err();
    assert!(matches!(
        erreur_base(err),
        DatabaseErrorKind::CheckViolation
    ));
}
