//! `enregistrerConformite`: the formalities already carried out (`conformite_administrative`),
//! the legal representatives (`responsables_legaux`) and the correspondants (`dpo`).
//!
//! Unchecking `declarationArtci` (or `autorisationArtci`) clears its number and date, as a
//! form does; a number or date without the box checked is refused. Saving the correspondants
//! keeps `entites_conformite.a_dpo`/`type_dpo` in step with the active one. ARTCI's decision
//! on a designation (`statut_designation`, `motif_rejet`) is never written by a save: an edited
//! correspondant keeps it.

use super::*;
use crate::models::conformite_administrative::{self, ModificationsConformiteAdministrative};
use crate::models::dpo::{self, LigneDpo};
use crate::models::enums::{TypeDpo, TypeResponsableLegal};
use crate::models::responsables_legaux::{self, LigneResponsable};

/// The questionnaire of formalities. Booleans: null is « non ».
#[derive(Debug, Clone, Default)]
pub struct SaisieConformiteAdministrative {
    pub connaissance_loi: Champ<bool>,
    pub declaration_artci: Champ<bool>,
    pub numero_declaration: Champ<String>,
    pub date_declaration: Champ<NaiveDate>,
    pub autorisation_artci: Champ<bool>,
    pub numero_autorisation: Champ<String>,
    pub date_autorisation: Champ<NaiveDate>,
    pub registre_tenu: Champ<bool>,
    pub information_personnes: Champ<bool>,
    pub procedure_droits: Champ<bool>,
    pub dernier_rapport_annuel: Champ<NaiveDate>,
}

/// One legal representative, mandated applicant or referent (a whole item: absent optional
/// fields are empty).
#[derive(Debug, Clone)]
pub struct SaisieResponsable {
    pub id: Option<Uuid>,
    pub nom: String,
    pub prenom: Option<String>,
    pub fonction: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub type_: TypeResponsableLegal,
}

/// One correspondant (a whole item).
#[derive(Debug, Clone)]
pub struct SaisieDpo {
    pub id: Option<Uuid>,
    pub nom: String,
    pub prenom: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub type_: TypeDpo,
    /// Only for an external correspondant.
    pub organisme: Option<String>,
    pub date_designation: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
    pub est_actif: bool,
}

/// `enregistrerConformite`: each part absent is left as it is; a list given replaces the list.
#[derive(Debug, Clone, Default)]
pub struct SaisieConformite {
    /// Number of employees (`entites_conformite.effectif_entreprise`).
    pub effectif_entreprise: Champ<i32>,
    /// Approximate number of persons whose data are processed.
    pub volume_donnees_traitees: Champ<i64>,
    pub administrative: Option<SaisieConformiteAdministrative>,
    pub responsables: Option<Vec<SaisieResponsable>>,
    pub correspondants: Option<Vec<SaisieDpo>>,
}

/// Saves the administrative-compliance part of the dossier read at `version`.
pub async fn enregistrer_conformite(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    aujourd_hui: NaiveDate,
    saisie: SaisieConformite,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        verrouiller(conn, principal, entite_id, version).await?;
        for (nom, valeur) in [
            (
                "input.conformite.effectifEntreprise",
                saisie.effectif_entreprise.flatten().map(i64::from),
            ),
            (
                "input.conformite.volumeDonneesTraitees",
                saisie.volume_donnees_traitees.flatten(),
            ),
        ] {
            if valeur.is_some_and(|v| v < 0) {
                return Err(AppError::bad_input(
                    nom,
                    "Un nombre positif ou nul est attendu.",
                ));
            }
        }
        entites_conformite::definir_profil(
            conn,
            entite_id,
            saisie.effectif_entreprise,
            saisie.volume_donnees_traitees,
        )
        .await?;
        if let Some(administrative) = saisie.administrative {
            let actuelle = conformite_administrative::find_by_entites(conn, &[entite_id])
                .await?
                .pop();
            let modifications =
                valider_administrative(entite_id, administrative, actuelle.as_ref(), aujourd_hui)?;
            conformite_administrative::upsert(conn, &modifications).await?;
        }
        if let Some(responsables) = saisie.responsables {
            let nom = "input.responsables";
            let lignes = liste(nom, responsables, |chemin, ordre, r| {
                valider_responsable(entite_id, chemin, ordre, r)
            })?;
            ids_remplaces(
                nom,
                responsables_legaux::remplacer(conn, entite_id, &lignes).await?,
            )?;
        }
        if let Some(correspondants) = saisie.correspondants {
            let nom = "input.correspondants";
            let lignes = liste(nom, correspondants, |chemin, ordre, d| {
                valider_dpo(entite_id, chemin, ordre, d, aujourd_hui)
            })?;
            let actifs: Vec<usize> = (0..lignes.len())
                .filter(|&i| lignes[i].1.est_actif)
                .collect();
            if let [_, second, ..] = actifs[..] {
                return Err(AppError::bad_input(
                    format!("{nom}[{second}].estActif"),
                    "Un seul correspondant peut être actif à la fois.",
                ));
            }
            ids_remplaces(nom, dpo::remplacer(conn, entite_id, &lignes).await?)?;
            let actif = actifs.first().map(|&i| lignes[i].1.type_);
            entites_conformite::definir_dpo(conn, entite_id, actif).await?;
        }
        Ok(entites_base::find_by_id(conn, entite_id).await?)
    })
    .await
}

/// Merges the changes into the stored row and checks the result is coherent: a number or a
/// date of declaration (authorisation) needs its box checked; unchecking the box clears them.
fn valider_administrative(
    entite_id: Uuid,
    s: SaisieConformiteAdministrative,
    actuelle: Option<&crate::models::ConformiteAdministrative>,
    aujourd_hui: NaiveDate,
) -> AppResult<ModificationsConformiteAdministrative> {
    let p = "input.conformiteAdministrative";
    let mut m = ModificationsConformiteAdministrative {
        entite_id,
        connaissance_loi: oui_non(s.connaissance_loi),
        declaration_artci: oui_non(s.declaration_artci),
        numero_declaration: texte_champ(
            &format!("{p}.numeroDeclaration"),
            s.numero_declaration,
            LONGUEUR_NOM,
        )?,
        date_declaration: s
            .date_declaration
            .map(|d| date_passee(&format!("{p}.dateDeclaration"), d, aujourd_hui))
            .transpose()?,
        autorisation_artci: oui_non(s.autorisation_artci),
        numero_autorisation: texte_champ(
            &format!("{p}.numeroAutorisation"),
            s.numero_autorisation,
            LONGUEUR_NOM,
        )?,
        date_autorisation: s
            .date_autorisation
            .map(|d| date_passee(&format!("{p}.dateAutorisation"), d, aujourd_hui))
            .transpose()?,
        registre_tenu: oui_non(s.registre_tenu),
        information_personnes: oui_non(s.information_personnes),
        procedure_droits: oui_non(s.procedure_droits),
        dernier_rapport_annuel: s
            .dernier_rapport_annuel
            .map(|d| date_passee(&format!("{p}.dernierRapportAnnuel"), d, aujourd_hui))
            .transpose()?,
    };
    let declaration = m
        .declaration_artci
        .unwrap_or_else(|| actuelle.is_some_and(|a| a.declaration_artci));
    if declaration {
        // Kept as given.
    } else if m.declaration_artci == Some(false) {
        m.numero_declaration = Some(None);
        m.date_declaration = Some(None);
    } else if let Some(champ) = donne(&[
        (
            "numeroDeclaration",
            m.numero_declaration.as_ref().is_some_and(|v| v.is_some()),
        ),
        (
            "dateDeclaration",
            m.date_declaration.is_some_and(|v| v.is_some()),
        ),
    ]) {
        return Err(AppError::bad_input(
            format!("{p}.{champ}"),
            "Cochez d'abord « déclaration faite auprès de l'ARTCI ».",
        ));
    }
    let autorisation = m
        .autorisation_artci
        .unwrap_or_else(|| actuelle.is_some_and(|a| a.autorisation_artci));
    if autorisation {
        // Kept as given.
    } else if m.autorisation_artci == Some(false) {
        m.numero_autorisation = Some(None);
        m.date_autorisation = Some(None);
    } else if let Some(champ) = donne(&[
        (
            "numeroAutorisation",
            m.numero_autorisation.as_ref().is_some_and(|v| v.is_some()),
        ),
        (
            "dateAutorisation",
            m.date_autorisation.is_some_and(|v| v.is_some()),
        ),
    ]) {
        return Err(AppError::bad_input(
            format!("{p}.{champ}"),
            "Cochez d'abord « autorisation obtenue de l'ARTCI ».",
        ));
    }
    Ok(m)
}

fn donne(champs: &[(&'static str, bool)]) -> Option<&'static str> {
    champs.iter().find(|(_, d)| *d).map(|(c, _)| *c)
}

fn valider_responsable(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    r: SaisieResponsable,
) -> AppResult<(Option<Uuid>, LigneResponsable)> {
    Ok((
        r.id,
        LigneResponsable {
            entite_id,
            nom: champ(
                &format!("{p}.nom"),
                validation::required_text(&r.nom, LONGUEUR_NOM),
            )?,
            prenom: texte(&format!("{p}.prenom"), r.prenom, LONGUEUR_NOM)?,
            fonction: texte(&format!("{p}.fonction"), r.fonction, LONGUEUR_NOM)?,
            email: email(&format!("{p}.email"), r.email)?,
            telephone: telephone(&format!("{p}.telephone"), r.telephone)?,
            type_: r.type_,
            ordre,
        },
    ))
}

fn valider_dpo(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    d: SaisieDpo,
    aujourd_hui: NaiveDate,
) -> AppResult<(Option<Uuid>, LigneDpo)> {
    let organisme = texte(&format!("{p}.organisme"), d.organisme, LONGUEUR_NOM)?;
    if organisme.is_some() && d.type_ != TypeDpo::Externe {
        return Err(AppError::bad_input(
            format!("{p}.organisme"),
            "Seul un correspondant externe a un organisme.",
        ));
    }
    let date_designation = date_passee(
        &format!("{p}.dateDesignation"),
        d.date_designation,
        aujourd_hui,
    )?;
    if let (Some(debut), Some(fin)) = (date_designation, d.date_fin)
        && fin < debut
    {
        return Err(AppError::bad_input(
            format!("{p}.dateFin"),
            "La fin de la désignation précède son début.",
        ));
    }
    Ok((
        d.id,
        LigneDpo {
            entite_id,
            nom: champ(
                &format!("{p}.nom"),
                validation::required_text(&d.nom, LONGUEUR_NOM),
            )?,
            prenom: texte(&format!("{p}.prenom"), d.prenom, LONGUEUR_NOM)?,
            email: email(&format!("{p}.email"), d.email)?,
            telephone: telephone(&format!("{p}.telephone"), d.telephone)?,
            type_: d.type_,
            organisme,
            date_designation,
            date_fin: d.date_fin,
            est_actif: d.est_actif,
            ordre,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, j).unwrap()
    }

    #[test]
    fn decocher_la_declaration_efface_son_numero_et_sa_date() {
        let m = valider_administrative(
            Uuid::nil(),
            SaisieConformiteAdministrative {
                declaration_artci: Some(Some(false)),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap();
        assert_eq!(m.numero_declaration, Some(None));
        assert_eq!(m.date_declaration, Some(None));
    }

    #[test]
    fn un_numero_sans_la_case_cochee_est_refuse() {
        let err = valider_administrative(
            Uuid::nil(),
            SaisieConformiteAdministrative {
                numero_autorisation: Some(Some("2016-0113".into())),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap_err();
        assert_eq!(
            err.field(),
            Some("input.conformiteAdministrative.numeroAutorisation")
        );
    }

    #[test]
    fn une_date_de_declaration_future_est_refusee() {
        let err = valider_administrative(
            Uuid::nil(),
            SaisieConformiteAdministrative {
                declaration_artci: Some(Some(true)),
                date_declaration: Some(Some(jour(25))),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap_err();
        assert_eq!(
            err.field(),
            Some("input.conformiteAdministrative.dateDeclaration")
        );
    }

    #[test]
    fn un_correspondant_interne_n_a_pas_d_organisme() {
        let d = SaisieDpo {
            id: None,
            nom: "Koné".into(),
            prenom: None,
            email: None,
            telephone: None,
            type_: TypeDpo::Interne,
            organisme: Some("Cabinet X".into()),
            date_designation: None,
            date_fin: None,
            est_actif: true,
        };
        let err = valider_dpo(Uuid::nil(), "input.correspondants[0]", 0, d, jour(24)).unwrap_err();
        assert_eq!(err.field(), Some("input.correspondants[0].organisme"));
    }
}
