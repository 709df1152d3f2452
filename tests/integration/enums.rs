//! The Rust enums against the PostgreSQL enum types: same labels in the same order, GraphQL
//! names that are the labels in SCREAMING_SNAKE, and every value through the database and back.

use std::collections::BTreeSet;

use async_graphql::EnumType;
use diesel::IntoSql;
use diesel_async::RunQueryDsl;

use registre_dcp::models::enums::*;

use crate::support::TestDb;

/// What one Rust enum says about itself.
struct Cas {
    rust: &'static str,
    pg: &'static str,
    labels: Vec<&'static str>,
    graphql: Vec<&'static str>,
    /// `from_label(label())` gives back every value, and GraphQL lists them in `ALL`'s order.
    coherent: bool,
    /// serde writes the label.
    serde: Vec<String>,
}

/// One entry per Rust enum: its PostgreSQL type. The Rust enum bears the name of the
/// generated `schema::sql_types` struct, which the macro below relies on.
macro_rules! cas {
    ($($ty:ident => $pg:literal),+ $(,)?) => {
        vec![$(Cas {
            rust: stringify!($ty),
            pg: $pg,
            labels: $ty::ALL.iter().map(|v| v.label()).collect(),
            graphql: <$ty as EnumType>::items().iter().map(|item| item.name).collect(),
            coherent: $ty::ALL.iter().all(|v| $ty::from_label(v.label()) == Some(*v))
                && <$ty as EnumType>::items().iter().map(|item| item.value).eq($ty::ALL.iter().copied())
                && $ty::from_label("pas_un_libelle").is_none(),
            serde: $ty::ALL.iter().map(|v| serde_json::to_value(v).unwrap().as_str().unwrap().to_owned()).collect(),
        }),+]
    };
}

/// Binds every value of each enum with its `ToSql` (typed as the PostgreSQL enum, so the
/// server parses the label) and reads the server's answer back with its `FromSql`.
macro_rules! aller_retour {
    ($conn:expr; $($ty:ident),+ $(,)?) => {
        $(
            for valeur in $ty::ALL {
                let lu: $ty = diesel::select(
                    valeur.into_sql::<registre_dcp::schema::sql_types::$ty>(),
                )
                .get_result($conn)
                .await
                .unwrap_or_else(|e| panic!("{} {:?} : {e}", stringify!($ty), valeur));
                assert_eq!(lu, *valeur, "{}", stringify!($ty));
            }
        )+
    };
}

fn tous() -> Vec<Cas> {
    cas![
        Region => "region",
        SecteurActivite => "secteur_activite",
        RoleUtilisateur => "role_utilisateur",
        StatutInscription => "statut_inscription",
        MotifRejetInscription => "motif_rejet_inscription",
        OrigineSaisie => "origine_saisie",
        StatutWorkflow => "statut_workflow",
        TypeFormalite => "type_formalite",
        MethodeLocalisation => "methode_localisation",
        StatutConformite => "statut_conformite",
        TypeDpo => "type_dpo",
        StatutRapprochement => "statut_rapprochement",
        TypeResponsableLegal => "type_responsable_legal",
        StatutDesignationDpo => "statut_designation_dpo",
        TypeDocument => "type_document",
        StatutVerificationDocument => "statut_verification_document",
        StatutTraitement => "statut_traitement",
        CodeCategorieDonnees => "code_categorie_donnees",
        BaseLegale => "base_legale",
        StatutAutorisationTransfert => "statut_autorisation_transfert",
        TypeMesureSecurite => "type_mesure_securite",
        CodeMesureSecurite => "code_mesure_securite",
        NomCertification => "nom_certification",
        ObjetHistorique => "objet_historique",
        ActeurType => "acteur_type",
        StatutRenouvellement => "statut_renouvellement",
        TypeOtp => "type_otp",
        StatutAssignation => "statut_assignation",
        DecisionTraitement => "decision_traitement",
        StatutFeedback => "statut_feedback",
        OrigineVersion => "origine_version",
        StatutModification => "statut_modification",
        StatutRapportActivite => "statut_rapport_activite",
    ]
}

#[tokio::test]
async fn les_enums_rust_ont_les_libelles_de_postgresql_dans_l_ordre() {
    let db = TestDb::new().await;
    let client = db.client().await;
    let cas = tous();

    let types_pg: BTreeSet<String> = client
        .query(
            "SELECT t.typname::text FROM pg_type t \
             WHERE t.typtype = 'e' AND t.typnamespace = 'public'::regnamespace",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let types_rust: BTreeSet<String> = cas.iter().map(|c| c.pg.to_owned()).collect();
    assert_eq!(
        types_rust, types_pg,
        "un enum Rust par type énuméré PostgreSQL"
    );

    for c in &cas {
        let libelles: Vec<String> = client
            .query(
                "SELECT e.enumlabel::text FROM pg_enum e \
                 WHERE e.enumtypid = $1::text::regtype ORDER BY e.enumsortorder",
                &[&c.pg],
            )
            .await
            .unwrap()
            .iter()
            .map(|row| row.get(0))
            .collect();
        assert_eq!(c.labels, libelles, "{} ↔ {}", c.rust, c.pg);
        assert!(
            c.coherent,
            "{} : label/from_label/items incohérents",
            c.rust
        );
        assert_eq!(c.serde, libelles, "{} : serde écrit le libellé", c.rust);
    }
}

#[tokio::test]
async fn les_noms_graphql_sont_les_libelles_en_majuscules() {
    for c in tous() {
        let attendus: Vec<String> = c.labels.iter().map(|l| l.to_uppercase()).collect();
        assert_eq!(c.graphql, attendus, "{}", c.rust);
    }
}

#[tokio::test]
async fn les_regions_sont_les_31_regions_et_les_2_districts() {
    assert_eq!(Region::ALL.len(), 33);
    assert_eq!(SecteurActivite::ALL.len(), 16);
    // DOMAIN's eleven, and `en_modification` (an amendment of an approved dossier).
    assert_eq!(StatutWorkflow::ALL.len(), 12);
    assert!(Region::ALL.iter().all(|r| r.label().is_ascii()));
}

#[tokio::test]
async fn chaque_valeur_fait_l_aller_retour_par_la_base() {
    let db = TestDb::new().await;
    let mut conn = db.conn().await;
    let conn = &mut conn;
    aller_retour!(conn;
        Region, SecteurActivite, RoleUtilisateur, StatutInscription, MotifRejetInscription,
        OrigineSaisie, StatutWorkflow, TypeFormalite, MethodeLocalisation, StatutConformite,
        TypeDpo, StatutRapprochement, TypeResponsableLegal, StatutDesignationDpo, TypeDocument,
        StatutVerificationDocument, StatutTraitement, CodeCategorieDonnees, BaseLegale,
        StatutAutorisationTransfert, TypeMesureSecurite, CodeMesureSecurite, NomCertification,
        ObjetHistorique, ActeurType, StatutRenouvellement, TypeOtp, StatutAssignation,
        DecisionTraitement, StatutFeedback,
    );
}
