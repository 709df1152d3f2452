//! `enregistrerSecurite`: how an entity organises the security of its data
//! (`securite_conformite`), the measures it takes (`mesures_securite`) and the certifications
//! it holds (`certifications_securite`).
//!
//! Unchecking `formationPersonnel` clears its frequency, as a form does (and a frequency
//! without the box checked is refused), like the formalities of [`super::conformite`]. A
//! measure has a date only once it is in place. A certification's supporting document must
//! be one of the same entity's documents, and not a claim's proof (staff-only, and no
//! certificate).

use super::*;
use crate::domain::documents;
use crate::models::SecuriteConformite;
use crate::models::certifications_securite::{self, LigneCertification};
use crate::models::documents_joints;
use crate::models::enums::{CodeMesureSecurite, NomCertification, TypeMesureSecurite};
use crate::models::mesures_securite::{self, LigneMesure};
use crate::models::securite_conformite::{self, ModificationsSecurite};

/// The security questionnaire. Booleans: null is « non ».
#[derive(Debug, Clone, Default)]
pub struct SaisieQuestionnaireSecurite {
    pub politique_securite: Champ<bool>,
    pub responsable_securite: Champ<bool>,
    pub analyse_risques: Champ<bool>,
    pub plan_continuite: Champ<bool>,
    pub procedure_violations: Champ<bool>,
    /// Data breaches over the last twelve months.
    pub violations_12_mois: Champ<i32>,
    pub formation_personnel: Champ<bool>,
    pub frequence_formation: Champ<String>,
    pub dernier_audit: Champ<NaiveDate>,
}

/// One security measure (a whole item).
#[derive(Debug, Clone)]
pub struct SaisieMesure {
    pub id: Option<Uuid>,
    pub type_mesure: TypeMesureSecurite,
    pub code: CodeMesureSecurite,
    pub description: Option<String>,
    pub mise_en_oeuvre: bool,
    /// Only for a measure in place.
    pub date_mise_en_oeuvre: Option<NaiveDate>,
}

/// One certification (a whole item).
#[derive(Debug, Clone)]
pub struct SaisieCertification {
    pub id: Option<Uuid>,
    pub nom: NomCertification,
    pub organisme: Option<String>,
    pub numero: Option<String>,
    pub date_obtention: Option<NaiveDate>,
    pub date_expiration: Option<NaiveDate>,
    /// A document of the same entity (`documents_joints`).
    pub document_id: Option<Uuid>,
}

/// `enregistrerSecurite`: each part absent is left as it is; a list given replaces the list.
#[derive(Debug, Clone, Default)]
pub struct SaisieSecurite {
    pub questionnaire: Option<SaisieQuestionnaireSecurite>,
    pub mesures: Option<Vec<SaisieMesure>>,
    pub certifications: Option<Vec<SaisieCertification>>,
}

/// Saves the security part of the dossier read at `version`.
pub async fn enregistrer_securite(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    entite_id: Uuid,
    version: i32,
    aujourd_hui: NaiveDate,
    saisie: SaisieSecurite,
) -> AppResult<EntiteBase> {
    conn.transaction::<_, AppError, _>(async |conn| {
        verrouiller(conn, principal, entite_id, version).await?;
        if let Some(questionnaire) = saisie.questionnaire {
            let actuelle = securite_conformite::find_by_entites(conn, &[entite_id])
                .await?
                .pop();
            let modifications =
                valider_questionnaire(entite_id, questionnaire, actuelle.as_ref(), aujourd_hui)?;
            securite_conformite::upsert(conn, &modifications).await?;
        }
        if let Some(mesures) = saisie.mesures {
            let nom = "input.mesuresSecurite";
            let lignes = liste(nom, mesures, |chemin, ordre, m| {
                valider_mesure(entite_id, chemin, ordre, m, aujourd_hui)
            })?;
            ids_remplaces(
                nom,
                mesures_securite::remplacer(conn, entite_id, &lignes).await?,
            )?;
        }
        if let Some(certifications) = saisie.certifications {
            let nom = "input.certifications";
            let lignes = liste(nom, certifications, |chemin, ordre, c| {
                valider_certification(entite_id, chemin, ordre, c, aujourd_hui)
            })?;
            verifier_documents(conn, entite_id, nom, &lignes).await?;
            ids_remplaces(
                nom,
                certifications_securite::remplacer(conn, entite_id, &lignes).await?,
            )?;
        }
        Ok(entites_base::find_by_id(conn, entite_id).await?)
    })
    .await
}

/// Every supporting document is one of this entity's (one query for the whole list): an id
/// of another entity's document is refused exactly like an unknown one, so that nothing is
/// learnt about other dossiers.
async fn verifier_documents(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    nom: &str,
    lignes: &[(Option<Uuid>, LigneCertification)],
) -> AppResult<()> {
    let demandes: Vec<Uuid> = lignes.iter().filter_map(|(_, l)| l.document_id).collect();
    if demandes.is_empty() {
        return Ok(());
    }
    let trouves = documents_joints::types_de_l_entite(conn, entite_id, &demandes).await?;
    let valable = |id: Uuid| {
        trouves
            .iter()
            .any(|&(d, t)| d == id && documents::lisible_hors_personnel(t))
    };
    match lignes
        .iter()
        .position(|(_, l)| l.document_id.is_some_and(|d| !valable(d)))
    {
        Some(i) => Err(AppError::bad_input(
            format!("{nom}[{i}].documentId"),
            "Ce document n'est pas une pièce jointe de ce dossier.",
        )),
        None => Ok(()),
    }
}

/// Merges the changes into the stored row and checks the training part is coherent.
fn valider_questionnaire(
    entite_id: Uuid,
    s: SaisieQuestionnaireSecurite,
    actuelle: Option<&SecuriteConformite>,
    aujourd_hui: NaiveDate,
) -> AppResult<ModificationsSecurite> {
    let p = "input.securite";
    if s.violations_12_mois.flatten().is_some_and(|v| v < 0) {
        return Err(AppError::bad_input(
            format!("{p}.violations12Mois"),
            "Un nombre positif ou nul est attendu.",
        ));
    }
    let mut m = ModificationsSecurite {
        entite_id,
        politique_securite: oui_non(s.politique_securite),
        responsable_securite: oui_non(s.responsable_securite),
        analyse_risques: oui_non(s.analyse_risques),
        plan_continuite: oui_non(s.plan_continuite),
        procedure_violations: oui_non(s.procedure_violations),
        violations_12_mois: s.violations_12_mois,
        formation_personnel: oui_non(s.formation_personnel),
        frequence_formation: texte_champ(
            &format!("{p}.frequenceFormation"),
            s.frequence_formation,
            LONGUEUR_NOM,
        )?,
        dernier_audit: s
            .dernier_audit
            .map(|d| date_passee(&format!("{p}.dernierAudit"), d, aujourd_hui))
            .transpose()?,
    };
    let formation = m
        .formation_personnel
        .unwrap_or_else(|| actuelle.is_some_and(|a| a.formation_personnel));
    if formation {
        // Kept as given.
    } else if m.formation_personnel == Some(false) {
        m.frequence_formation = Some(None);
    } else if m.frequence_formation.as_ref().is_some_and(|f| f.is_some()) {
        return Err(AppError::bad_input(
            format!("{p}.frequenceFormation"),
            "Cochez d'abord « formation du personnel ».",
        ));
    }
    Ok(m)
}

fn valider_mesure(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    m: SaisieMesure,
    aujourd_hui: NaiveDate,
) -> AppResult<(Option<Uuid>, LigneMesure)> {
    let nom_date = format!("{p}.dateMiseEnOeuvre");
    if m.date_mise_en_oeuvre.is_some() && !m.mise_en_oeuvre {
        return Err(AppError::bad_input(
            nom_date,
            "Une mesure qui n'est pas mise en œuvre n'a pas de date de mise en œuvre.",
        ));
    }
    Ok((
        m.id,
        LigneMesure {
            entite_id,
            type_mesure: m.type_mesure,
            code: m.code,
            description: texte(&format!("{p}.description"), m.description, LONGUEUR_TEXTE)?,
            mise_en_oeuvre: m.mise_en_oeuvre,
            date_mise_en_oeuvre: date_passee(&nom_date, m.date_mise_en_oeuvre, aujourd_hui)?,
            ordre,
        },
    ))
}

fn valider_certification(
    entite_id: Uuid,
    p: &str,
    ordre: i32,
    c: SaisieCertification,
    aujourd_hui: NaiveDate,
) -> AppResult<(Option<Uuid>, LigneCertification)> {
    let date_obtention = date_passee(&format!("{p}.dateObtention"), c.date_obtention, aujourd_hui)?;
    if let (Some(obtention), Some(expiration)) = (date_obtention, c.date_expiration)
        && expiration < obtention
    {
        return Err(AppError::bad_input(
            format!("{p}.dateExpiration"),
            "La certification ne peut pas expirer avant d'avoir été obtenue.",
        ));
    }
    Ok((
        c.id,
        LigneCertification {
            entite_id,
            nom: c.nom,
            organisme: texte(&format!("{p}.organisme"), c.organisme, LONGUEUR_NOM)?,
            numero: texte(&format!("{p}.numero"), c.numero, LONGUEUR_NOM)?,
            date_obtention,
            date_expiration: c.date_expiration,
            document_id: c.document_id,
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

    fn mesure(mise_en_oeuvre: bool, date: Option<NaiveDate>) -> SaisieMesure {
        SaisieMesure {
            id: None,
            type_mesure: TypeMesureSecurite::Technique,
            code: CodeMesureSecurite::Chiffrement,
            description: Some("  AES-256 au repos  ".into()),
            mise_en_oeuvre,
            date_mise_en_oeuvre: date,
        }
    }

    fn certification(
        obtention: Option<NaiveDate>,
        expiration: Option<NaiveDate>,
    ) -> SaisieCertification {
        SaisieCertification {
            id: None,
            nom: NomCertification::Iso27001,
            organisme: Some(" Bureau Veritas ".into()),
            numero: None,
            date_obtention: obtention,
            date_expiration: expiration,
            document_id: None,
        }
    }

    #[test]
    fn une_case_nulle_vaut_non_et_un_champ_absent_est_inchange() {
        let m = valider_questionnaire(
            Uuid::nil(),
            SaisieQuestionnaireSecurite {
                politique_securite: Some(None),
                analyse_risques: Some(Some(true)),
                violations_12_mois: Some(None),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap();
        assert_eq!(m.politique_securite, Some(false));
        assert_eq!(m.analyse_risques, Some(true));
        assert_eq!(m.violations_12_mois, Some(None));
        assert_eq!(m.responsable_securite, None);
        assert_eq!(m.dernier_audit, None);
    }

    #[test]
    fn un_nombre_de_violations_negatif_est_refuse() {
        let err = valider_questionnaire(
            Uuid::nil(),
            SaisieQuestionnaireSecurite {
                violations_12_mois: Some(Some(-1)),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.securite.violations12Mois"));
    }

    #[test]
    fn un_audit_futur_est_refuse() {
        let err = valider_questionnaire(
            Uuid::nil(),
            SaisieQuestionnaireSecurite {
                dernier_audit: Some(Some(jour(25))),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.securite.dernierAudit"));
    }

    #[test]
    fn decocher_la_formation_efface_sa_frequence() {
        let m = valider_questionnaire(
            Uuid::nil(),
            SaisieQuestionnaireSecurite {
                formation_personnel: Some(Some(false)),
                frequence_formation: Some(Some("annuelle".into())),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap();
        assert_eq!(m.frequence_formation, Some(None));
        let err = valider_questionnaire(
            Uuid::nil(),
            SaisieQuestionnaireSecurite {
                frequence_formation: Some(Some("annuelle".into())),
                ..Default::default()
            },
            None,
            jour(24),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.securite.frequenceFormation"));
    }

    #[test]
    fn une_mesure_datee_doit_etre_en_place_et_pas_dans_le_futur() {
        let p = "input.mesuresSecurite[3]";
        let err =
            valider_mesure(Uuid::nil(), p, 3, mesure(false, Some(jour(1))), jour(24)).unwrap_err();
        assert_eq!(
            err.field(),
            Some("input.mesuresSecurite[3].dateMiseEnOeuvre")
        );
        let err =
            valider_mesure(Uuid::nil(), p, 3, mesure(true, Some(jour(25))), jour(24)).unwrap_err();
        assert_eq!(
            err.field(),
            Some("input.mesuresSecurite[3].dateMiseEnOeuvre")
        );
        let (_, ligne) =
            valider_mesure(Uuid::nil(), p, 3, mesure(true, Some(jour(24))), jour(24)).unwrap();
        assert_eq!(ligne.description.as_deref(), Some("AES-256 au repos"));
        assert_eq!(ligne.ordre, 3);
    }

    #[test]
    fn une_certification_n_expire_pas_avant_d_etre_obtenue() {
        let p = "input.certifications[0]";
        let err = valider_certification(
            Uuid::nil(),
            p,
            0,
            certification(Some(jour(10)), Some(jour(9))),
            jour(24),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.certifications[0].dateExpiration"));
        let err = valider_certification(
            Uuid::nil(),
            p,
            0,
            certification(Some(jour(25)), None),
            jour(24),
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("input.certifications[0].dateObtention"));
        // An expiry date lies in the future, as it should.
        let expiration = NaiveDate::from_ymd_opt(2029, 11, 10).unwrap();
        let (_, ligne) = valider_certification(
            Uuid::nil(),
            p,
            0,
            certification(Some(jour(10)), Some(expiration)),
            jour(24),
        )
        .unwrap();
        assert_eq!(ligne.organisme.as_deref(), Some("Bureau Veritas"));
        assert_eq!(ligne.date_expiration, Some(expiration));
    }
}
