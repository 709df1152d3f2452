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

/// For a list part of an entity (rows keyed by `id`, with `entite_id` and `ordre`) and its
/// `Ligne…` (`Insertable` + `AsChangeset` with `treat_none_as_null`: an item is a whole
/// value), given the columns an item rewrites:
/// - `find_by_entites`: the rows of these entities, in list order (one query);
/// - `remplacer`: makes the entity's rows exactly the given items, in that order. An item
///   with an id rewrites that row (it keeps its id), one without is created, the rows not
///   given are deleted. An id that is not one of the entity's rows (under the item's own
///   parent, when the list belongs to a parent row), or given twice, is refused as
///   `Err(index)` before anything is written.
///
/// Whatever the number of items, a `remplacer` is three statements: the ids in place, one
/// `DELETE` of those not given, one `INSERT … ON CONFLICT (id) DO UPDATE` of all the items
/// (new ones get their id here).
macro_rules! liste_d_entite {
    ($table:ident, $modele:ident, $ligne:ident, [$($colonne:ident),+ $(,)?]) => {
        liste_d_entite!(@commun $table, $modele, $ligne, [$($colonne),+]);

        /// See `models::liste_d_entite!`.
        pub async fn remplacer(
            conn: &mut diesel_async::AsyncPgConnection,
            entite_id: uuid::Uuid,
            lignes: &[(Option<uuid::Uuid>, $ligne)],
        ) -> diesel::QueryResult<Result<Vec<uuid::Uuid>, usize>> {
            let existants: Vec<uuid::Uuid> = diesel_async::RunQueryDsl::load(
                $table::table
                    .filter($table::entite_id.eq(entite_id))
                    .select($table::id),
                conn,
            )
            .await?;
            let existants = existants.into_iter().map(|id| (id, ())).collect();
            remplacer_parmi(conn, existants, lignes, |_| ()).await
        }
    };
    ($table:ident, $modele:ident, $ligne:ident, [$($colonne:ident),+ $(,)?], portee = $parent:ident) => {
        liste_d_entite!(@commun $table, $modele, $ligne, [$($colonne),+]);

        /// See `models::liste_d_entite!`. `portees` are the parent rows whose lists are
        /// replaced, at once (`None`: the items attached to no parent); each item names its
        /// own parent, one of them.
        pub async fn remplacer(
            conn: &mut diesel_async::AsyncPgConnection,
            entite_id: uuid::Uuid,
            portees: &[Option<uuid::Uuid>],
            lignes: &[(Option<uuid::Uuid>, $ligne)],
        ) -> diesel::QueryResult<Result<Vec<uuid::Uuid>, usize>> {
            let parents: Vec<uuid::Uuid> = portees.iter().flatten().copied().collect();
            let mut requete = $table::table
                .filter($table::entite_id.eq(entite_id))
                .select(($table::id, $table::$parent))
                .into_boxed();
            requete = if portees.contains(&None) {
                requete.filter($table::$parent.eq_any(parents).or($table::$parent.is_null()))
            } else {
                requete.filter($table::$parent.eq_any(parents))
            };
            let existants: Vec<(uuid::Uuid, Option<uuid::Uuid>)> =
                diesel_async::RunQueryDsl::load(requete, conn).await?;
            remplacer_parmi(conn, existants, lignes, |ligne| ligne.$parent).await
        }
    };
    (@commun $table:ident, $modele:ident, $ligne:ident, [$($colonne:ident),+]) => {
        /// The rows of these entities, in list order (one query, for a DataLoader).
        pub async fn find_by_entites(
            conn: &mut diesel_async::AsyncPgConnection,
            ids: &[uuid::Uuid],
        ) -> diesel::QueryResult<Vec<$modele>> {
            diesel_async::RunQueryDsl::load(
                $table::table
                    .filter($table::entite_id.eq_any(ids))
                    .order(($table::entite_id, $table::ordre, $table::created_at, $table::id))
                    .select($modele::as_select()),
                conn,
            )
            .await
        }

        /// `remplacer` once the rows it may touch (`existants`, with their parent) are known.
        async fn remplacer_parmi<P: PartialEq>(
            conn: &mut diesel_async::AsyncPgConnection,
            existants: Vec<(uuid::Uuid, P)>,
            lignes: &[(Option<uuid::Uuid>, $ligne)],
            parent: impl Fn(&$ligne) -> P,
        ) -> diesel::QueryResult<Result<Vec<uuid::Uuid>, usize>> {
            let (a_supprimer, ids) = match $crate::models::plan_de_remplacement(existants, lignes, parent) {
                Ok(plan) => plan,
                Err(index) => return Ok(Err(index)),
            };
            if !a_supprimer.is_empty() {
                diesel_async::RunQueryDsl::execute(
                    diesel::delete($table::table.filter($table::id.eq_any(a_supprimer))),
                    conn,
                )
                .await?;
            }
            if !lignes.is_empty() {
                let valeurs: Vec<_> = ids
                    .iter()
                    .zip(lignes)
                    .map(|(id, (_, ligne))| ($table::id.eq(*id), ligne))
                    .collect();
                diesel_async::RunQueryDsl::execute(
                    diesel::insert_into($table::table)
                        .values(valeurs)
                        .on_conflict($table::id)
                        .do_update()
                        .set(($(
                            $table::$colonne.eq(diesel::upsert::excluded($table::$colonne)),
                        )+)),
                    conn,
                )
                .await?;
            }
            Ok(Ok(ids))
        }
    };
}

/// The plan of `liste_d_entite!`'s `remplacer`, once: checks the given ids against
/// `existants` (each under the item's parent) and returns the rows to delete (those not
/// given) and every item's id (a new one for a new item), or the index of the first item
/// whose id is unknown or given twice.
pub(crate) fn plan_de_remplacement<L, P: PartialEq>(
    existants: Vec<(uuid::Uuid, P)>,
    lignes: &[(Option<uuid::Uuid>, L)],
    parent: impl Fn(&L) -> P,
) -> Result<(Vec<uuid::Uuid>, Vec<uuid::Uuid>), usize> {
    let existants: std::collections::HashMap<uuid::Uuid, P> = existants.into_iter().collect();
    let mut vus = std::collections::HashSet::new();
    for (index, (id, ligne)) in lignes.iter().enumerate() {
        if let Some(id) = id
            && (existants.get(id) != Some(&parent(ligne)) || !vus.insert(*id))
        {
            return Err(index);
        }
    }
    let a_supprimer = existants
        .into_keys()
        .filter(|id| !vus.contains(id))
        .collect();
    let ids = lignes
        .iter()
        .map(|(id, _)| id.unwrap_or_else(uuid::Uuid::new_v4))
        .collect();
    Ok((a_supprimer, ids))
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
pub mod echecs_connexion;
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
pub mod modifications_dossier;
pub mod numeros_delivres;
pub mod otp_codes;
pub mod rapports_activite;
pub mod registre_public;
pub mod registre_traitements;
pub mod renouvellements;
pub mod responsables_legaux;
pub mod securite_conformite;
pub mod sessions;
pub mod sous_traitance;
pub mod transferts_internationaux;
pub mod users;
pub mod versions_approuvees;

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
pub use rapports_activite::RapportActivite;
pub use registre_traitements::RegistreTraitement;
pub use renouvellements::Renouvellement;
pub use responsables_legaux::ResponsableLegal;
pub use securite_conformite::SecuriteConformite;
pub use sous_traitance::SousTraitance;
pub use transferts_internationaux::TransfertInternational;
pub use users::User;
