//! Creating an entity and saving its identification (the first part of the dossier: identity,
//! contact details, position), under [`acces`]'s rules and the workflow's optimistic lock.
//!
//! A save takes the `version` the caller read: `None` fields are left as they are and
//! `Some(None)` clears a column ([`Champ`]); the NCC is not part of a save (a business
//! identifier: a wrong one is corrected by ARTCI or through a claim).
//!
//! - [`creation`]: `creerEntite`, for a company or for ARTCI;
//! - [`identification`]: `enregistrerIdentification` and the validation of its fields.

mod creation;
mod identification;

pub use creation::{SaisieEntite, creer};
pub use identification::{
    SaisieBase, SaisieContact, SaisieIdentification, SaisieLocalisation,
    enregistrer_identification, point,
};

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use postgis_diesel::types::Point;
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::{roles, validation, workflow};
use crate::error::{AppError, AppResult};
use crate::models::entites_base::{self, ModificationsBase, NouvelleEntite};
use crate::models::entites_contact::{self, ModificationsContact};
use crate::models::entites_localisation::{self, ModificationsLocalisation};
use crate::models::entites_workflow::{self, NouveauWorkflow};
use crate::models::enums::{
    MethodeLocalisation, OrigineSaisie, Region, RoleUtilisateur, SecteurActivite,
    StatutInscription, StatutWorkflow,
};
use crate::models::{EntiteBase, comptes_entreprises, entites_conformite};

/// A field of a save: `None` absent (unchanged), `Some(None)` cleared, `Some(Some(v))` set.
pub type Champ<T> = Option<Option<T>>;

/// Côte d'Ivoire's bounding box (degrees, WGS 84), generous by a few kilometres: a point
/// outside it is a typing error (swapped coordinates, a missing minus sign).
pub const LATITUDES_CI: std::ops::RangeInclusive<f64> = 4.0..=11.0;
pub const LONGITUDES_CI: std::ops::RangeInclusive<f64> = -9.0..=-2.0;

pub(super) const LONGUEUR_NOM: usize = 200;
pub(super) const LONGUEUR_TEXTE: usize = 300;

pub(super) fn champ<T>(nom: &str, r: Result<T, &'static str>) -> AppResult<T> {
    r.map_err(|m| AppError::bad_input(nom, m))
}

/// A required column: it may change, it may not be cleared.
pub(super) fn requis<T>(nom: &str, valeur: Champ<T>) -> AppResult<Option<T>> {
    match valeur {
        Some(None) => Err(AppError::bad_input(
            nom,
            "Ce champ est obligatoire : il ne peut pas être effacé.",
        )),
        Some(Some(v)) => Ok(Some(v)),
        None => Ok(None),
    }
}

/// An optional text: trimmed; blank means none.
pub(super) fn texte(nom: &str, valeur: Option<String>, max: usize) -> AppResult<Option<String>> {
    match valeur.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => champ(nom, validation::required_text(v, max)).map(Some),
    }
}

pub(super) fn texte_champ(
    nom: &str,
    valeur: Champ<String>,
    max: usize,
) -> AppResult<Champ<String>> {
    valeur.map(|v| texte(nom, v, max)).transpose()
}

pub(super) fn telephone(nom: &str, valeur: Option<String>) -> AppResult<Option<String>> {
    match valeur.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => champ(nom, validation::normalize_phone(t)).map(Some),
    }
}

pub(super) fn email(nom: &str, valeur: Option<String>) -> AppResult<Option<String>> {
    match valeur.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(e) => champ(nom, validation::normalize_email(e)).map(Some),
    }
}

pub(super) fn site_web(nom: &str, valeur: Option<String>) -> AppResult<Option<String>> {
    let Some(url) = texte(nom, valeur, LONGUEUR_TEXTE)? else {
        return Ok(None);
    };
    if (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
    {
        Ok(Some(url))
    } else {
        Err(AppError::bad_input(
            nom,
            "Adresse de site web invalide : elle commence par https://.",
        ))
    }
}
