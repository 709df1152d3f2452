//! `enregistrerIdentification`: identity, contact details and position, validated field by
//! field, saved under the workflow's optimistic lock.

use super::*;

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

/// Saves the identification of the dossier read at `version`; returns the entity
/// ([`verrouiller`] first: access, then the optimistic lock).
pub async fn enregistrer_identification(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    saisie: SaisieIdentification,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        verrouiller(conn, principal, entite_id, version).await?;
        let base = saisie.base.map(valider_base).transpose()?;
        let contact = saisie
            .contact
            .map(|c| valider_contact(entite_id, c))
            .transpose()?;
        let localisation = saisie
            .localisation
            .map(|l| valider_localisation(entite_id, l))
            .transpose()?;
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

pub(super) fn valider_base(s: SaisieBase) -> AppResult<ModificationsBase> {
    Ok(ModificationsBase {
        denomination: requis("input.denomination", s.denomination)?
            .map(|d| {
                champ(
                    "input.denomination",
                    validation::required_text(&d, LONGUEUR_NOM),
                )
            })
            .transpose()?,
        sigle: texte_champ("input.sigle", s.sigle, LONGUEUR_NOM)?,
        forme_juridique: texte_champ("input.formeJuridique", s.forme_juridique, LONGUEUR_NOM)?,
        secteur_activite: requis("input.secteurActivite", s.secteur_activite)?,
        adresse: texte_champ("input.adresse", s.adresse, LONGUEUR_TEXTE)?,
        ville: texte_champ("input.ville", s.ville, LONGUEUR_NOM)?,
        commune: texte_champ("input.commune", s.commune, LONGUEUR_NOM)?,
        region: requis("input.region", s.region)?,
        telephone: s
            .telephone
            .map(|t| telephone("input.telephone", t))
            .transpose()?,
        email: s.email.map(|e| email("input.email", e)).transpose()?,
    })
}

pub(super) fn valider_contact(
    entite_id: Uuid,
    s: SaisieContact,
) -> AppResult<ModificationsContact> {
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

pub(super) fn valider_localisation(
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
        assert_eq!(err.field(), Some("input.region"));
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
