//! One model per table: plain data mapped with diesel, no policy and no GraphQL.
//!
//! The enums of the PostgreSQL enum types are in [`enums`].

/// For a 1:1 part of an entity (keyed by `entite_id`) and its `Modifications…` changeset
/// (`None` = leave as is, `Some(None)` = clear): `est_vide`, and `upsert`, which creates the
/// row or applies the changes (an empty change only makes sure the row exists).
macro_rules! partie_d_entite {
    ($table:ident, $modifications:ident) => {
        impl $modifications {
            pub fn est_vide(&self) -> bool {
                *self
                    == Self {
                        entite_id: self.entite_id,
                        ..Self::default()
                    }
            }
        }

        /// Creates the row or applies the changes to it.
        pub async fn upsert(
            conn: &mut diesel_async::AsyncPgConnection,
            modifications: &$modifications,
        ) -> diesel::QueryResult<()> {
            use diesel_async::RunQueryDsl as _;
            let insert = diesel::insert_into($table::table)
                .values(modifications)
                .on_conflict($table::entite_id);
            if modifications.est_vide() {
                insert.do_nothing().execute(conn).await.map(drop)
            } else {
                insert
                    .do_update()
                    .set(modifications)
                    .execute(conn)
                    .await
                    .map(drop)
            }
        }
    };
}

pub mod enums;

pub mod assignations_demandes;
pub mod categories_donnees;
pub mod certifications_securite;
pub mod comptes_entreprises;
pub mod conformite_administrative;
pub mod courriels_sortants;
pub mod demandes_rapprochement;
pub mod documents_joints;
pub mod dpo;
pub mod entites_base;
pub mod entites_conformite;
pub mod entites_contact;
pub mod entites_localisation;
pub mod entites_workflow;
pub mod feedbacks_verification;
pub mod finalites_bases_legales;
pub mod historique_statuts;
pub mod identites;
pub mod limites_debit;
pub mod mesures_securite;
pub mod otp_codes;
pub mod registre_traitements;
pub mod renouvellements;
pub mod responsables_legaux;
pub mod securite_conformite;
pub mod sessions;
pub mod sous_traitance;
pub mod transferts_internationaux;
pub mod users;

pub use assignations_demandes::Assignation;
pub use categories_donnees::CategorieDonnees;
pub use certifications_securite::CertificationSecurite;
pub use comptes_entreprises::CompteEntreprise;
pub use conformite_administrative::ConformiteAdministrative;
pub use demandes_rapprochement::DemandeRapprochement;
pub use documents_joints::DocumentJoint;
pub use dpo::Dpo;
pub use entites_base::EntiteBase;
pub use entites_conformite::EntiteConformite;
pub use entites_contact::EntiteContact;
pub use entites_localisation::EntiteLocalisation;
pub use entites_workflow::EntiteWorkflow;
pub use enums::*;
pub use feedbacks_verification::FeedbackVerification;
pub use finalites_bases_legales::FinaliteBaseLegale;
pub use historique_statuts::HistoriqueStatut;
pub use mesures_securite::MesureSecurite;
pub use otp_codes::OtpCode;
pub use registre_traitements::RegistreTraitement;
pub use renouvellements::Renouvellement;
pub use responsables_legaux::ResponsableLegal;
pub use securite_conformite::SecuriteConformite;
pub use sous_traitance::SousTraitance;
pub use transferts_internationaux::TransfertInternational;
pub use users::User;
