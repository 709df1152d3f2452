//! Creating an entity and saving its identification (the first part of the dossier: identity,
//! contact details, position), under [`acces`]'s rules and the workflow's optimistic lock.
//!
//! A save takes the `version` the caller read: `None` fields are left as they are and
//! `Some(None)` clears a column ([`Champ`]); the NCC is not part of a save (a business
//! identifier: a wrong one is corrected by ARTCI or through a claim).

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

const LONGUEUR_NOM: usize = 200;
const LONGUEUR_TEXTE: usize = 300;

/// What `creerEntite` receives.
#[derive(Debug, Clone)]
pub struct SaisieEntite {
    pub numero_cc: String,
    pub denomination: String,
    pub secteur_activite: SecteurActivite,
    pub region: Region,
    pub sigle: Option<String>,
    pub forme_juridique: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub commune: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
}

/// Creates an entity with its workflow (version 1) and compliance rows, in one transaction.
///
/// A company creates it for itself (`auto_recensement`, `brouillon`): its account must exist,
/// be active and not rejected; drafts need no vetting (only submission does). An `editeur`+
/// enters it for ARTCI (`saisie_artci`, `brouillon_artci`, no owner until a claim).
pub async fn creer(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    saisie: SaisieEntite,
) -> AppResult<EntiteBase> {
    let (compte_entreprise_id, created_by, origine_saisie, statut) = match principal {
        Principal::Anonyme => return Err(AppError::unauthenticated()),
        Principal::Entreprise { compte_id } => {
            let compte = comptes_entreprises::find_by_id(conn, compte_id)
                .await?
                .ok_or_else(AppError::unauthenticated)?;
            if compte.statut_inscription == StatutInscription::Rejetee {
                return Err(AppError::account_rejected());
            }
            if !compte.est_actif {
                return Err(AppError::account_disabled());
            }
            (
                Some(compte_id),
                None,
                OrigineSaisie::AutoRecensement,
                StatutWorkflow::Brouillon,
            )
        }
        Principal::Agent { user_id, role } => {
            if !roles::au_moins(role, RoleUtilisateur::Editeur) {
                return Err(AppError::forbidden());
            }
            (
                None,
                Some(user_id),
                OrigineSaisie::SaisieArtci,
                StatutWorkflow::BrouillonArtci,
            )
        }
    };
    let nouvelle = NouvelleEntite {
        compte_entreprise_id,
        numero_cc: champ(
            "input.numeroCc",
            validation::normalize_ncc(&saisie.numero_cc),
        )?,
        denomination: champ(
            "input.denomination",
            validation::required_text(&saisie.denomination, LONGUEUR_NOM),
        )?,
        sigle: texte("input.sigle", saisie.sigle, LONGUEUR_NOM)?,
        forme_juridique: texte("input.formeJuridique", saisie.forme_juridique, LONGUEUR_NOM)?,
        secteur_activite: saisie.secteur_activite,
        adresse: texte("input.adresse", saisie.adresse, LONGUEUR_TEXTE)?,
        ville: texte("input.ville", saisie.ville, LONGUEUR_NOM)?,
        commune: texte("input.commune", saisie.commune, LONGUEUR_NOM)?,
        region: saisie.region,
        telephone: telephone("input.telephone", saisie.telephone)?,
        email: email("input.email", saisie.email)?,
        origine_saisie,
    };
    conn.transaction::<_, AppError, _>(async |conn| {
        if entites_base::ncc_taken(conn, &nouvelle.numero_cc).await? {
            return Err(ncc_pris());
        }
        let entite = entites_base::insert(conn, &nouvelle)
            .await
            .map_err(|e| match e {
                // Two creations of the same NCC at once: the loser gets the same answer.
                DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ncc_pris(),
                other => other.into(),
            })?;
        let workflow_row = NouveauWorkflow {
            entite_id: entite.id,
            statut,
            created_by,
        };
        entites_workflow::insert(conn, &workflow_row).await?;
        entites_conformite::insert_initial(conn, entite.id, workflow::statut_conformite(statut))
            .await?;
        Ok(entite)
    })
    .await
}

fn ncc_pris() -> AppError {
    AppError::conflict_on(
        "input.numeroCc",
        "Une entité existe déjà pour ce NCC : si elle est la vôtre, demandez son rapprochement.",
    )
}

/// The identity part of a save; `denomination`, `secteur_activite` and `region` cannot be
/// cleared.
#[derive(Debug, Clone, Default)]
pub struct SaisieBase {
    pub denomination: Champ<String>,
    pub sigle: Champ<String>,
    pub forme_juridique: Champ<String>,
    pub secteur_activite: Champ<SecteurActivite>,
    pub region: Champ<Region>,
    pub adresse: Champ<String>,
    pub ville: Champ<String>,
    pub commune: Champ<String>,
    pub telephone: Champ<String>,
    pub email: Champ<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SaisieContact {
    pub representant_nom: Champ<String>,
    pub representant_fonction: Champ<String>,
    pub representant_email: Champ<String>,
    pub representant_telephone: Champ<String>,
    pub site_web: Champ<String>,
    pub email_public: Champ<String>,
    pub telephone_public: Champ<String>,
}

/// The position part of a save: latitude and longitude go together (both set, both cleared
/// or both absent).
#[derive(Debug, Clone, Default)]
pub struct SaisieLocalisation {
    pub latitude: Champ<f64>,
    pub longitude: Champ<f64>,
    pub precision_m: Champ<i32>,
    pub methode: Champ<MethodeLocalisation>,
    pub adresse_complete: Champ<String>,
    pub commune: Champ<String>,
    pub quartier: Champ<String>,
    pub code_postal: Champ<String>,
}

/// `enregistrerIdentification`: each part absent is left as it is.
#[derive(Debug, Clone, Default)]
pub struct SaisieIdentification {
    pub base: Option<SaisieBase>,
    pub contact: Option<SaisieContact>,
    pub localisation: Option<SaisieLocalisation>,
}

/// Saves the identification of the dossier read at `version`; returns the entity. The
/// version is bumped first, on the status the access check saw: a dossier changed or moved
/// meanwhile is a `CONFLICT` and nothing is written.
pub async fn enregistrer_identification(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    saisie: SaisieIdentification,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        // Access first: another company's entity is NOT_FOUND, whatever the input.
        let (_, statut) = acces::verifier(conn, principal, entite_id, Acces::Ecriture).await?;
        let base = saisie.base.map(valider_base).transpose()?;
        let contact = saisie
            .contact
            .map(|c| valider_contact(entite_id, c))
            .transpose()?;
        let localisation = saisie
            .localisation
            .map(|l| valider_localisation(entite_id, l))
            .transpose()?;
        entites_workflow::incrementer_version(conn, entite_id, version, statut)
            .await?
            .ok_or_else(|| {
                AppError::conflict("Le dossier a été modifié entre-temps : rechargez-le.")
            })?;
        if let Some(base) = base.filter(|b| !b.est_vide()) {
            entites_base::update(conn, entite_id, &base).await?;
        }
        if let Some(contact) = contact {
            entites_contact::upsert(conn, &contact).await?;
        }
        if let Some(localisation) = localisation {
            entites_localisation::upsert(conn, &localisation).await?;
        }
        Ok(entites_base::find_by_id(conn, entite_id).await?)
    })
    .await
}

fn valider_base(s: SaisieBase) -> AppResult<ModificationsBase> {
    Ok(ModificationsBase {
        denomination: requis("input.base.denomination", s.denomination)?
            .map(|d| {
                champ(
                    "input.base.denomination",
                    validation::required_text(&d, LONGUEUR_NOM),
                )
            })
            .transpose()?,
        sigle: texte_champ("input.base.sigle", s.sigle, LONGUEUR_NOM)?,
        forme_juridique: texte_champ("input.base.formeJuridique", s.forme_juridique, LONGUEUR_NOM)?,
        secteur_activite: requis("input.base.secteurActivite", s.secteur_activite)?,
        adresse: texte_champ("input.base.adresse", s.adresse, LONGUEUR_TEXTE)?,
        ville: texte_champ("input.base.ville", s.ville, LONGUEUR_NOM)?,
        commune: texte_champ("input.base.commune", s.commune, LONGUEUR_NOM)?,
        region: requis("input.base.region", s.region)?,
        telephone: s
            .telephone
            .map(|t| telephone("input.base.telephone", t))
            .transpose()?,
        email: s.email.map(|e| email("input.base.email", e)).transpose()?,
    })
}

fn valider_contact(entite_id: Uuid, s: SaisieContact) -> AppResult<ModificationsContact> {
    let p = "input.contact";
    Ok(ModificationsContact {
        entite_id,
        representant_nom: texte_champ(
            &format!("{p}.representantNom"),
            s.representant_nom,
            LONGUEUR_NOM,
        )?,
        representant_fonction: texte_champ(
            &format!("{p}.representantFonction"),
            s.representant_fonction,
            LONGUEUR_NOM,
        )?,
        representant_email: s
            .representant_email
            .map(|e| email(&format!("{p}.representantEmail"), e))
            .transpose()?,
        representant_telephone: s
            .representant_telephone
            .map(|t| telephone(&format!("{p}.representantTelephone"), t))
            .transpose()?,
        site_web: s
            .site_web
            .map(|u| site_web(&format!("{p}.siteWeb"), u))
            .transpose()?,
        email_public: s
            .email_public
            .map(|e| email(&format!("{p}.emailPublic"), e))
            .transpose()?,
        telephone_public: s
            .telephone_public
            .map(|t| telephone(&format!("{p}.telephonePublic"), t))
            .transpose()?,
    })
}

fn valider_localisation(
    entite_id: Uuid,
    s: SaisieLocalisation,
) -> AppResult<ModificationsLocalisation> {
    let geolocation = match (s.latitude, s.longitude) {
        (None, None) => None,
        (Some(None), Some(None)) => Some(None),
        (Some(Some(latitude)), Some(Some(longitude))) => Some(Some(point(latitude, longitude)?)),
        (None | Some(None), _) => {
            return Err(AppError::bad_input(
                "input.localisation.latitude",
                "La latitude et la longitude se donnent ensemble.",
            ));
        }
        (_, None | Some(None)) => {
            return Err(AppError::bad_input(
                "input.localisation.longitude",
                "La latitude et la longitude se donnent ensemble.",
            ));
        }
    };
    if let Some(Some(precision)) = s.precision_m
        && precision < 0
    {
        return Err(AppError::bad_input(
            "input.localisation.precisionM",
            "La précision est un nombre de mètres positif ou nul.",
        ));
    }
    let p = "input.localisation";
    Ok(ModificationsLocalisation {
        entite_id,
        geolocation,
        precision_m: s.precision_m,
        methode: s.methode,
        adresse_complete: texte_champ(
            &format!("{p}.adresseComplete"),
            s.adresse_complete,
            LONGUEUR_TEXTE,
        )?,
        commune: texte_champ(&format!("{p}.commune"), s.commune, LONGUEUR_NOM)?,
        quartier: texte_champ(&format!("{p}.quartier"), s.quartier, LONGUEUR_NOM)?,
        code_postal: texte_champ(&format!("{p}.codePostal"), s.code_postal, 20)?,
    })
}

/// A point of Côte d'Ivoire, SRID 4326 (x = longitude, y = latitude).
pub fn point(latitude: f64, longitude: f64) -> AppResult<Point> {
    let lat = "input.localisation.latitude";
    let lon = "input.localisation.longitude";
    if !(-90.0..=90.0).contains(&latitude) {
        return Err(AppError::bad_input(
            lat,
            "La latitude est comprise entre -90 et 90 degrés.",
        ));
    }
    if !(-180.0..=180.0).contains(&longitude) {
        return Err(AppError::bad_input(
            lon,
            "La longitude est comprise entre -180 et 180 degrés.",
        ));
    }
    if !LATITUDES_CI.contains(&latitude) {
        return Err(AppError::bad_input(
            lat,
            "Ce point est hors de Côte d'Ivoire : la latitude y va de 4 à 11 degrés nord.",
        ));
    }
    if !LONGITUDES_CI.contains(&longitude) {
        return Err(AppError::bad_input(
            lon,
            "Ce point est hors de Côte d'Ivoire : la longitude y va de -9 à -2 degrés (ouest).",
        ));
    }
    Ok(Point::new(longitude, latitude, Some(4326)))
}

fn champ<T>(nom: &str, r: Result<T, &'static str>) -> AppResult<T> {
    r.map_err(|m| AppError::bad_input(nom, m))
}

/// A required column: it may change, it may not be cleared.
fn requis<T>(nom: &str, valeur: Champ<T>) -> AppResult<Option<T>> {
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
fn texte(nom: &str, valeur: Option<String>, max: usize) -> AppResult<Option<String>> {
    match valeur.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => champ(nom, validation::required_text(v, max)).map(Some),
    }
}

fn texte_champ(nom: &str, valeur: Champ<String>, max: usize) -> AppResult<Champ<String>> {
    valeur.map(|v| texte(nom, v, max)).transpose()
}

fn telephone(nom: &str, valeur: Option<String>) -> AppResult<Option<String>> {
    match valeur.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => champ(nom, validation::normalize_phone(t)).map(Some),
    }
}

fn email(nom: &str, valeur: Option<String>) -> AppResult<Option<String>> {
    match valeur.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(e) => champ(nom, validation::normalize_email(e)).map(Some),
    }
}

fn site_web(nom: &str, valeur: Option<String>) -> AppResult<Option<String>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_point_hors_de_cote_d_ivoire_nomme_sa_coordonnee() {
        let p = point(5.3364, -4.0267).unwrap();
        assert_eq!((p.x, p.y, p.srid), (-4.0267, 5.3364, Some(4326)));
        assert_eq!(
            point(95.0, -4.0).unwrap_err().field(),
            Some("input.localisation.latitude")
        );
        assert_eq!(
            point(5.3, 181.0).unwrap_err().field(),
            Some("input.localisation.longitude")
        );
        // Paris, and Abidjan with its coordinates swapped.
        assert_eq!(
            point(48.85, 2.35).unwrap_err().field(),
            Some("input.localisation.latitude")
        );
        assert_eq!(
            point(5.3, 4.0).unwrap_err().field(),
            Some("input.localisation.longitude")
        );
    }

    #[test]
    fn une_colonne_obligatoire_ne_s_efface_pas() {
        let err = valider_base(SaisieBase {
            region: Some(None),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(err.field(), Some("input.base.region"));
        let vide = valider_base(SaisieBase::default()).unwrap();
        assert!(vide.est_vide());
    }

    #[test]
    fn latitude_et_longitude_vont_ensemble() {
        let id = Uuid::new_v4();
        let err = valider_localisation(
            id,
            SaisieLocalisation {
                latitude: Some(Some(5.3)),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.localisation.longitude"));
        let effacee = valider_localisation(
            id,
            SaisieLocalisation {
                latitude: Some(None),
                longitude: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(effacee.geolocation, Some(None));
    }
}
