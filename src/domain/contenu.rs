//! The stored content of dossiers (every part of the 50-question form), loaded for a batch of
//! entities in a fixed number of queries, and the facts the formality and score rules read
//! from it ([`faits`]).

use std::collections::HashMap;

use diesel::QueryResult;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use crate::domain::dossier::{FaitsDossier, FaitsSousTraitant, FaitsTraitement, FaitsTransfert};
use crate::models::enums::StatutTraitement;
use crate::models::{
    CategorieDonnees, CertificationSecurite, ConformiteAdministrative, Dpo, EntiteContact,
    EntiteLocalisation, FinaliteBaseLegale, MesureSecurite, RegistreTraitement, ResponsableLegal,
    SecuriteConformite, SousTraitance, TransfertInternational, categories_donnees,
    certifications_securite, conformite_administrative, dpo, entites_contact, entites_localisation,
    finalites_bases_legales, mesures_securite, registre_traitements, responsables_legaux,
    securite_conformite, sous_traitance, transferts_internationaux,
};

/// Every part of one entity's dossier but its identity row and workflow. Lists are in the
/// form's order.
#[derive(Debug, Clone, Default)]
pub struct ContenuDossier {
    pub contact: Option<EntiteContact>,
    pub localisation: Option<EntiteLocalisation>,
    pub administrative: Option<ConformiteAdministrative>,
    pub responsables: Vec<ResponsableLegal>,
    pub correspondants: Vec<Dpo>,
    pub traitements: Vec<RegistreTraitement>,
    pub categories: Vec<CategorieDonnees>,
    pub finalites: Vec<FinaliteBaseLegale>,
    pub sous_traitants: Vec<SousTraitance>,
    pub transferts: Vec<TransfertInternational>,
    pub securite: Option<SecuriteConformite>,
    pub mesures: Vec<MesureSecurite>,
    pub certifications: Vec<CertificationSecurite>,
}

/// The content of these entities' dossiers: one query per table whatever their number. Every
/// id given has an entry (empty when nothing was saved yet).
pub async fn charger(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<HashMap<Uuid, ContenuDossier>> {
    let mut contenus: HashMap<Uuid, ContenuDossier> = ids
        .iter()
        .map(|id| (*id, ContenuDossier::default()))
        .collect();
    macro_rules! ranger {
        ($module:ident, $champ:ident, un) => {
            for ligne in $module::find_by_entites(conn, ids).await? {
                if let Some(c) = contenus.get_mut(&ligne.entite_id) {
                    c.$champ = Some(ligne);
                }
            }
        };
        ($module:ident, $champ:ident) => {
            for ligne in $module::find_by_entites(conn, ids).await? {
                if let Some(c) = contenus.get_mut(&ligne.entite_id) {
                    c.$champ.push(ligne);
                }
            }
        };
    }
    ranger!(entites_contact, contact, un);
    ranger!(entites_localisation, localisation, un);
    ranger!(conformite_administrative, administrative, un);
    ranger!(responsables_legaux, responsables);
    ranger!(dpo, correspondants);
    ranger!(registre_traitements, traitements);
    ranger!(categories_donnees, categories);
    ranger!(finalites_bases_legales, finalites);
    ranger!(sous_traitance, sous_traitants);
    ranger!(transferts_internationaux, transferts);
    ranger!(securite_conformite, securite, un);
    ranger!(mesures_securite, mesures);
    ranger!(certifications_securite, certifications);
    Ok(contenus)
}

/// The content of one entity's dossier.
pub async fn charger_un(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
) -> QueryResult<ContenuDossier> {
    Ok(charger(conn, &[entite_id])
        .await?
        .remove(&entite_id)
        .unwrap_or_default())
}

impl ContenuDossier {
    /// The active correspondant, if any.
    pub fn correspondant_actif(&self) -> Option<&Dpo> {
        self.correspondants.iter().find(|d| d.est_actif)
    }

    /// The processing activities that count: a `supprime` one is no longer part of the
    /// register (nor are its categories).
    pub fn traitements_actifs(&self) -> impl Iterator<Item = &RegistreTraitement> {
        self.traitements
            .iter()
            .filter(|t| t.statut != StatutTraitement::Supprime)
    }

    fn traitement_supprime(&self, id: Option<Uuid>) -> bool {
        id.is_some_and(|id| {
            self.traitements
                .iter()
                .any(|t| t.id == id && t.statut == StatutTraitement::Supprime)
        })
    }

    /// The categories that count: those of no processing or of one not `supprime`.
    pub fn categories_actives(&self) -> impl Iterator<Item = &CategorieDonnees> {
        self.categories
            .iter()
            .filter(|c| !self.traitement_supprime(c.registre_traitement_id))
    }

    /// The purposes that count, as for the categories.
    pub fn finalites_actives(&self) -> impl Iterator<Item = &FinaliteBaseLegale> {
        self.finalites
            .iter()
            .filter(|f| !self.traitement_supprime(f.registre_traitement_id))
    }
}

/// What the formality and score rules read of a dossier (see [`FaitsDossier`]'s fields for
/// which rows count).
pub fn faits(contenu: &ContenuDossier) -> FaitsDossier {
    let administrative = contenu.administrative.as_ref();
    FaitsDossier {
        connaissance_loi: administrative.is_some_and(|a| a.connaissance_loi),
        correspondant_actif_nomme: contenu
            .correspondant_actif()
            .is_some_and(|d| !d.nom.trim().is_empty()),
        declaration_artci: administrative.is_some_and(|a| a.declaration_artci),
        autorisation_artci: administrative.is_some_and(|a| a.autorisation_artci),
        traitements: contenu
            .traitements_actifs()
            .map(|t| FaitsTraitement {
                nom: t.nom.clone(),
                transfert_hors_ci: t.transfert_hors_ci,
            })
            .collect(),
        categories: contenu.categories_actives().map(|c| c.categorie).collect(),
        nombre_finalites: contenu.finalites_actives().count(),
        sous_traitants: contenu
            .sous_traitants
            .iter()
            .map(|s| FaitsSousTraitant {
                nom: s.nom_sous_traitant.clone(),
                pays: s.pays.clone(),
                contrat: s.contrat,
                clauses_protection: s.clauses_protection,
            })
            .collect(),
        transferts: contenu
            .transferts
            .iter()
            .map(|t| FaitsTransfert {
                pays_destination: t.pays_destination.clone(),
            })
            .collect(),
        politique_securite: contenu
            .securite
            .as_ref()
            .is_some_and(|s| s.politique_securite),
    }
}
