//! Creating an entity and saving its identification (the first part of the dossier: identity,
//! contact details, position), under [`acces`]'s rules and the workflow's optimistic lock.
//!
//! A save takes the `version` the caller read: `None` fields are left as they are and
//! `Some(None)` clears a column ([`Champ`]); the NCC is not part of a save (a business
//! identifier: a wrong one is corrected by ARTCI or through a claim).
//!
//! - [`creation`]: `creerEntite`, for a company or for ARTCI;
//! - [`identification`]: `enregistrerIdentification` and the validation of its fields.

mod conformite;
mod creation;
mod identification;
mod registre;
mod securite;
mod sous_traitance;

pub use conformite::{
    SaisieConformite, SaisieConformiteAdministrative, SaisieDpo, SaisieResponsable,
    enregistrer_conformite,
};
pub use creation::{ENTITES_AVANT_VALIDATION, SaisieEntite, creer};
pub use identification::{
    SaisieBase, SaisieContact, SaisieIdentification, SaisieLocalisation,
    enregistrer_identification, point,
};
pub use registre::{
    ELEMENTS_IMBRIQUES_MAX, ELEMENTS_PAR_TRAITEMENT_MAX, SaisieCategorie, SaisieFinalite,
    SaisieRegistre, SaisieTraitement, enregistrer_registre,
};
pub use securite::{
    SaisieCertification, SaisieMesure, SaisieQuestionnaireSecurite, SaisieSecurite,
    enregistrer_securite,
};
pub use sous_traitance::{
    SaisieSousTraitance, SaisieSousTraitant, SaisieTransfert, enregistrer_sous_traitance,
};

use chrono::NaiveDate;
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

/// At most this many items in one list of the form: a real register is far shorter, and the
/// bound keeps one save's work small.
pub const ELEMENTS_MAX: usize = 100;

/// The start of every save of a part of the dossier, inside its transaction: access first
/// (another company's entity stays `NOT_FOUND` whatever the input), then the optimistic lock
/// on the status the check saw (a dossier changed or moved meanwhile is a `CONFLICT` and the
/// transaction writes nothing).
pub(super) async fn verrouiller(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
) -> AppResult<()> {
    let (_, statut) = acces::verifier(conn, principal, entite_id, Acces::Ecriture).await?;
    entites_workflow::incrementer_version(conn, entite_id, version, statut)
        .await?
        .ok_or_else(|| {
            AppError::conflict("Le dossier a été modifié entre-temps : rechargez-le.")
        })?;
    Ok(())
}

/// Validates the items of a list field `nom` (e.g. `input.responsables`): at most
/// [`ELEMENTS_MAX`], each through `valider` with its own path (`input.responsables[2]`) and
/// its rank.
pub(super) fn liste<S, L>(
    nom: &str,
    elements: Vec<S>,
    valider: impl FnMut(&str, i32, S) -> AppResult<L>,
) -> AppResult<Vec<L>> {
    liste_bornee(nom, elements, ELEMENTS_MAX, valider)
}

/// [`liste`] with its own bound `max`.
pub(super) fn liste_bornee<S, L>(
    nom: &str,
    elements: Vec<S>,
    max: usize,
    mut valider: impl FnMut(&str, i32, S) -> AppResult<L>,
) -> AppResult<Vec<L>> {
    if elements.len() > max {
        return Err(AppError::bad_input(nom, format!("Au plus {max} éléments.")));
    }
    elements
        .into_iter()
        .enumerate()
        .map(|(i, e)| valider(&format!("{nom}[{i}]"), i as i32, e))
        .collect()
}

/// The outcome of `remplacer` on a list: an id that is not one of the entity's items is a
/// `BAD_USER_INPUT` on that item's `id`.
pub(super) fn ids_remplaces(nom: &str, resultat: Result<Vec<Uuid>, usize>) -> AppResult<Vec<Uuid>> {
    resultat.map_err(|i| {
        AppError::bad_input(
            format!("{nom}[{i}].id"),
            "Cet élément n'existe pas (ou plus) dans ce dossier : rechargez-le.",
        )
    })
}

/// A past (or today's) date: a designation, a declaration or an audit does not lie in the
/// future.
pub(super) fn date_passee(
    nom: &str,
    date: Option<NaiveDate>,
    aujourd_hui: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    match date {
        Some(d) if d > aujourd_hui => Err(AppError::bad_input(
            nom,
            "Cette date ne peut pas être dans le futur.",
        )),
        d => Ok(d),
    }
}

/// A required boolean column: null means « non », its default.
pub(super) fn oui_non(valeur: Champ<bool>) -> Option<bool> {
    valeur.map(|v| v.unwrap_or(false))
}
