//! Creating an entity and saving the identification part of its dossier.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};

use crate::domain::entites::{
    self, SaisieBase, SaisieContact, SaisieEntite, SaisieIdentification, SaisieLocalisation,
};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{Entite, uuid_de};
use crate::models::enums::{MethodeLocalisation, Region, SecteurActivite};

#[derive(InputObject)]
pub struct CreerEntiteInput {
    /// Numéro de compte contribuable : 7 chiffres et une lettre (ex. 1234567A).
    pub numero_cc: String,
    pub denomination: String,
    pub secteur_activite: SecteurActivite,
    pub region: Region,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub commune: Option<String>,
    /// Numéro ivoirien à 10 chiffres, avec ou sans +225.
    pub telephone: Option<String>,
    pub email: Option<String>,
}

/// Représentant légal et coordonnées publiques. Champ absent : inchangé ; null : effacé.
#[derive(InputObject)]
pub struct IdentificationContactInput {
    pub representant_nom: MaybeUndefined<String>,
    pub representant_fonction: MaybeUndefined<String>,
    pub representant_email: MaybeUndefined<String>,
    pub representant_telephone: MaybeUndefined<String>,
    /// Commence par https:// (ou http://).
    pub site_web: MaybeUndefined<String>,
    pub email_public: MaybeUndefined<String>,
    pub telephone_public: MaybeUndefined<String>,
}

/// Position de l'entité, en degrés WGS 84, en Côte d'Ivoire (latitude 4 à 11, longitude
/// -9 à -2) ; latitude et longitude se donnent (ou s'effacent) ensemble. Champ absent :
/// inchangé ; null : effacé.
#[derive(InputObject)]
pub struct IdentificationLocalisationInput {
    pub latitude: MaybeUndefined<f64>,
    pub longitude: MaybeUndefined<f64>,
    /// Précision en mètres, positive ou nulle.
    pub precision_m: MaybeUndefined<i32>,
    pub methode: MaybeUndefined<MethodeLocalisation>,
    pub adresse_complete: MaybeUndefined<String>,
    pub commune: MaybeUndefined<String>,
    pub quartier: MaybeUndefined<String>,
    pub code_postal: MaybeUndefined<String>,
}

/// L'identification du dossier : l'identité de l'entité (comme elle se lit sur `Entite`),
/// son contact et sa position. Champ absent : inchangé ; null : effacé (sauf dénomination,
/// secteur et région, obligatoires).
#[derive(InputObject)]
pub struct EnregistrerIdentificationInput {
    pub entite_id: ID,
    /// La version du dossier lue (`workflow.version`).
    pub version: i32,
    // The identity is read on `Entite` itself, and written at the same depth. Absent:
    // unchanged; null: cleared (denomination, sector and region are required).
    pub denomination: MaybeUndefined<String>,
    pub sigle: MaybeUndefined<String>,
    pub forme_juridique: MaybeUndefined<String>,
    pub secteur_activite: MaybeUndefined<SecteurActivite>,
    pub region: MaybeUndefined<Region>,
    pub adresse: MaybeUndefined<String>,
    pub ville: MaybeUndefined<String>,
    pub commune: MaybeUndefined<String>,
    /// Numéro ivoirien à 10 chiffres, avec ou sans +225.
    pub telephone: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub contact: Option<IdentificationContactInput>,
    pub localisation: Option<IdentificationLocalisationInput>,
}

#[derive(Default)]
pub struct EntitesMutation;

#[Object]
impl EntitesMutation {
    /// Crée une entité : une entreprise pour elle-même (brouillon), ou un éditeur de l'ARTCI
    /// (brouillon ARTCI, sans propriétaire jusqu'à son rapprochement). Un NCC déjà enregistré
    /// est un `CONFLICT`.
    async fn creer_entite(&self, ctx: &Context<'_>, input: CreerEntiteInput) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let mut conn = ctx.app().pool.get().await?;
        let entite = entites::creer(
            &mut conn,
            principal,
            SaisieEntite {
                numero_cc: input.numero_cc,
                denomination: input.denomination,
                secteur_activite: input.secteur_activite,
                region: input.region,
                sigle: input.sigle,
                forme_juridique: input.forme_juridique,
                adresse: input.adresse,
                ville: input.ville,
                commune: input.commune,
                telephone: input.telephone,
                email: input.email,
            },
        )
        .await?;
        // Created by the caller, for itself or for ARTCI: the caller may read it.
        Ok(Entite::autorisee(entite))
    }

    /// Enregistre l'identification (identité, contact, position) du dossier lu à `version` ;
    /// renvoie l'entité et sa nouvelle version. Une version périmée est un `CONFLICT` et
    /// n'enregistre rien.
    async fn enregistrer_identification(
        &self,
        ctx: &Context<'_>,
        input: EnregistrerIdentificationInput,
    ) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let saisie = SaisieIdentification {
            base: Some(SaisieBase {
                denomination: input.denomination.into(),
                sigle: input.sigle.into(),
                forme_juridique: input.forme_juridique.into(),
                secteur_activite: input.secteur_activite.into(),
                region: input.region.into(),
                adresse: input.adresse.into(),
                ville: input.ville.into(),
                commune: input.commune.into(),
                telephone: input.telephone.into(),
                email: input.email.into(),
            }),
            contact: input.contact.map(|c| SaisieContact {
                representant_nom: c.representant_nom.into(),
                representant_fonction: c.representant_fonction.into(),
                representant_email: c.representant_email.into(),
                representant_telephone: c.representant_telephone.into(),
                site_web: c.site_web.into(),
                email_public: c.email_public.into(),
                telephone_public: c.telephone_public.into(),
            }),
            localisation: input.localisation.map(|l| SaisieLocalisation {
                latitude: l.latitude.into(),
                longitude: l.longitude.into(),
                precision_m: l.precision_m.into(),
                methode: l.methode.into(),
                adresse_complete: l.adresse_complete.into(),
                commune: l.commune.into(),
                quartier: l.quartier.into(),
                code_postal: l.code_postal.into(),
            }),
        };
        let mut conn = ctx.app().pool.get().await?;
        let entite = entites::enregistrer_identification(
            &mut conn,
            principal,
            entite_id,
            input.version,
            saisie,
        )
        .await?;
        // `enregistrer_identification` passed `acces::verifier` (Ecriture).
        Ok(Entite::autorisee(entite))
    }
}
