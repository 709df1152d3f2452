//! The agent's treatment of its assignation (`ajouterFeedback`): comments, the missing
//! elements, the deadline to provide them and the proposed decision. The assignation goes
//! `traite_attente_validation`; the feedback is a draft the company does not see until the
//! N+1 validates it.

use chrono::{DateTime, NaiveDate, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{introuvable, journaliser, personnel, texte_facultatif};
use crate::auth::Principal;
use crate::domain::progression::Partie;
use crate::error::{AppError, AppResult};
use crate::models::assignations_demandes::{self, ModificationsAssignation};
use crate::models::enums::{
    DecisionTraitement, StatutAssignation, StatutVerificationDocument, StatutWorkflow, TypeDocument,
};
use crate::models::feedbacks_verification::{self, SaisieFeedback};
use crate::models::{Assignation, DocumentJoint, FeedbackVerification, entites_workflow};

/// Most missing elements in one feedback.
pub const ELEMENTS_MAX: usize = 100;
/// Longest rubrique (the part of the form), in characters.
pub const RUBRIQUE_MAX: usize = 100;
/// Longest libelle (what is missing), in characters.
pub const LIBELLE_MAX: usize = 500;

/// One missing element, as stored in `feedbacks_verification.elements_manquants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementManquant {
    pub rubrique: String,
    pub libelle: String,
    pub obligatoire: bool,
    /// Whether the company provided it; `false` when the agent writes it (see [`fourni`]).
    #[serde(default)]
    pub fourni: bool,
    /// The element asks for a document of this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_document: Option<TypeDocument>,
    /// The element asks for this part of the form to be corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partie: Option<Partie>,
}

/// Whether the company provided `element` of a feedback written at `ecrit_le`: a document of
/// the type it asks for uploaded since (and not rejected), or the part it names saved since
/// (`parties_enregistrees`: the latest save of each part). An element naming neither ticks
/// only when stored so.
pub fn fourni(
    element: &ElementManquant,
    ecrit_le: DateTime<Utc>,
    documents: &[DocumentJoint],
    parties_enregistrees: &[(Partie, DateTime<Utc>)],
) -> bool {
    element.fourni
        || element.type_document.is_some_and(|t| {
            documents.iter().any(|d| {
                d.type_document == t
                    && d.created_at > ecrit_le
                    && d.depose_par_compte_id.is_some()
                    && d.statut_verification != StatutVerificationDocument::Rejete
            })
        })
        || element.partie.is_some_and(|p| {
            parties_enregistrees
                .iter()
                .any(|(partie, le)| *partie == p && *le > ecrit_le)
        })
}

/// The latest save of each part of the form, from the `updated_at` of its stored rows (a
/// part never saved has none).
pub fn parties_enregistrees(
    c: &crate::domain::contenu::ContenuDossier,
) -> Vec<(Partie, DateTime<Utc>)> {
    let max = |dates: Vec<DateTime<Utc>>| dates.into_iter().max();
    let parties = [
        (
            Partie::Identification,
            max(c
                .contact
                .iter()
                .map(|x| x.updated_at)
                .chain(c.localisation.iter().map(|x| x.updated_at))
                .collect()),
        ),
        (
            Partie::ConformiteAdministrative,
            max(c
                .administrative
                .iter()
                .map(|x| x.updated_at)
                .chain(c.responsables.iter().map(|x| x.updated_at))
                .chain(c.correspondants.iter().map(|x| x.updated_at))
                .collect()),
        ),
        (
            Partie::Registre,
            max(c
                .traitements
                .iter()
                .map(|x| x.updated_at)
                .chain(c.categories.iter().map(|x| x.updated_at))
                .chain(c.finalites.iter().map(|x| x.updated_at))
                .collect()),
        ),
        (
            Partie::SousTraitanceTransferts,
            max(c
                .sous_traitants
                .iter()
                .map(|x| x.updated_at)
                .chain(c.transferts.iter().map(|x| x.updated_at))
                .collect()),
        ),
        (
            Partie::Securite,
            max(c
                .securite
                .iter()
                .map(|x| x.updated_at)
                .chain(c.mesures.iter().map(|x| x.updated_at))
                .chain(c.certifications.iter().map(|x| x.updated_at))
                .collect()),
        ),
    ];
    parties
        .into_iter()
        .filter_map(|(p, d)| d.map(|d| (p, d)))
        .collect()
}

/// A missing element as the agent gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieElement {
    pub rubrique: String,
    pub libelle: String,
    pub obligatoire: bool,
    pub type_document: Option<TypeDocument>,
    pub partie: Option<Partie>,
}

/// What `ajouterFeedback` receives, the id already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaisieTraitement {
    pub assignation_id: Uuid,
    pub commentaires: Option<String>,
    pub elements_manquants: Vec<SaisieElement>,
    pub delai_fourniture: Option<NaiveDate>,
    pub decision_proposee: DecisionTraitement,
}

/// The validated feedback content: comments, elements (as stored), deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct ContenuFeedback {
    pub commentaires: Option<String>,
    pub elements: Vec<ElementManquant>,
    pub delai_fourniture: Option<NaiveDate>,
}

/// Validates the agent's input against `aujourd_hui`: each element's rubrique and libelle
/// non-blank and bounded, at most [`ELEMENTS_MAX`] elements; the deadline in the future, and
/// required (with something to provide: an element or a comment) for a request for
/// complements. Errors name the input path (`input.elementsManquants[2].libelle`).
pub fn valider(saisie: &SaisieTraitement, aujourd_hui: NaiveDate) -> AppResult<ContenuFeedback> {
    let commentaires = texte_facultatif(saisie.commentaires.as_deref(), "input.commentaires")?;
    if saisie.elements_manquants.len() > ELEMENTS_MAX {
        return Err(AppError::bad_input(
            "input.elementsManquants",
            format!("Au plus {ELEMENTS_MAX} éléments manquants."),
        ));
    }
    let elements = saisie
        .elements_manquants
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let texte = |valeur: &str, champ: &str, max: usize| {
                let valeur = valeur.trim();
                let chemin = format!("input.elementsManquants[{i}].{champ}");
                if valeur.is_empty() {
                    Err(AppError::bad_input(chemin, "Ce champ est obligatoire."))
                } else if valeur.chars().count() > max {
                    Err(AppError::bad_input(
                        chemin,
                        format!("Ce champ ne doit pas dépasser {max} caractères."),
                    ))
                } else {
                    Ok(valeur.to_owned())
                }
            };
            Ok(ElementManquant {
                rubrique: texte(&e.rubrique, "rubrique", RUBRIQUE_MAX)?,
                libelle: texte(&e.libelle, "libelle", LIBELLE_MAX)?,
                obligatoire: e.obligatoire,
                fourni: false,
                type_document: e.type_document,
                partie: e.partie,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    if let Some(delai) = saisie.delai_fourniture
        && delai <= aujourd_hui
    {
        return Err(AppError::bad_input(
            "input.delaiFourniture",
            "Le délai de fourniture doit être postérieur à aujourd'hui.",
        ));
    }
    if saisie.decision_proposee == DecisionTraitement::EnAttenteComplements {
        if saisie.delai_fourniture.is_none() {
            return Err(AppError::bad_input(
                "input.delaiFourniture",
                "Le délai de fourniture est obligatoire pour demander des compléments.",
            ));
        }
        if elements.is_empty() && commentaires.is_none() {
            return Err(AppError::bad_input(
                "input.elementsManquants",
                "Indiquez les éléments manquants, ou un commentaire, pour demander des \
                 compléments.",
            ));
        }
    }
    Ok(ContenuFeedback {
        commentaires,
        elements,
        delai_fourniture: saisie.delai_fourniture,
    })
}

/// One element per required document ARTCI rejected and the company has not replaced yet
/// (unless the agent already asked for that type): the feedback tells the company what to
/// replace and why, and the element ticks once it is replaced.
async fn pieces_rejetees(
    conn: &mut AsyncPgConnection,
    entite_id: Uuid,
    deja: &[ElementManquant],
) -> AppResult<Vec<ElementManquant>> {
    let dossier = crate::domain::contenu::charger_un(conn, entite_id).await?;
    let requises = crate::domain::pieces::requises(&dossier);
    let documents = crate::models::documents_joints::find_by_entites(conn, &[entite_id]).await?;
    Ok(documents
        .into_iter()
        .filter(|d| {
            d.remplace_par_id.is_none()
                && d.statut_verification == StatutVerificationDocument::Rejete
                && requises.contains(&d.type_document)
                && !deja
                    .iter()
                    .any(|e| e.type_document == Some(d.type_document))
        })
        .map(|d| {
            let libelle = d.type_document.libelle();
            ElementManquant {
                rubrique: "Documents".to_owned(),
                libelle: format!(
                    "Remplacer : {libelle} ({}) — {}",
                    d.nom_fichier,
                    d.motif_rejet.as_deref().unwrap_or("document rejeté")
                )
                .chars()
                .take(LIBELLE_MAX)
                .collect(),
                obligatoire: true,
                fourni: false,
                type_document: Some(d.type_document),
                partie: None,
            }
        })
        .collect())
}

/// The agent `principal` treats its assignation: the assignation goes
/// `traite_attente_validation` with the proposed decision, and the feedback is written as a
/// draft, with an element for each required document ARTCI rejected and not yet replaced (replacing the draft of a treatment its N+1 sent back). Another agent's assignation
/// is `FORBIDDEN`; one not awaiting treatment is a `CONFLICT`.
pub async fn traiter(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    saisie: SaisieTraitement,
    maintenant: DateTime<Utc>,
) -> AppResult<(Assignation, FeedbackVerification)> {
    let (agent_id, _) = personnel(principal)?;
    let contenu = valider(&saisie, maintenant.date_naive())?;
    conn.transaction(async |conn| {
        let avant = assignations_demandes::find_by_id_for_update(conn, saisie.assignation_id)
            .await?
            .ok_or_else(introuvable)?;
        if avant.agent_id != agent_id {
            return Err(AppError::forbidden_because(
                "Seul l'agent à qui le dossier est attribué peut le traiter.",
            ));
        }
        match avant.statut {
            StatutAssignation::EnCours
            | StatutAssignation::Renvoye
            | StatutAssignation::EnRetard => {}
            StatutAssignation::TraiteAttenteValidation => {
                return Err(AppError::conflict(
                    "Ce dossier est déjà traité et attend la validation de votre supérieur.",
                ));
            }
            StatutAssignation::Valide | StatutAssignation::Annule => {
                return Err(AppError::conflict("Cette assignation est close."));
            }
        }
        let statut_dossier = entites_workflow::find_for_update(conn, avant.entite_id)
            .await?
            .map(|w| w.statut);
        if statut_dossier != Some(StatutWorkflow::EnVerification) {
            return Err(AppError::conflict(
                "Ce dossier n'est plus en cours de vérification.",
            ));
        }
        let assignation = assignations_demandes::update(
            conn,
            avant.id,
            &ModificationsAssignation {
                statut: Some(StatutAssignation::TraiteAttenteValidation),
                decision_proposee: Some(Some(saisie.decision_proposee)),
                traite_le: Some(Some(maintenant)),
                ..Default::default()
            },
        )
        .await?;
        let mut elements = contenu.elements;
        elements.extend(pieces_rejetees(conn, assignation.entite_id, &elements).await?);
        let ecrit = SaisieFeedback {
            entite_id: assignation.entite_id,
            assignation_id: Some(assignation.id),
            agent_id,
            commentaires: contenu.commentaires,
            elements_manquants: serde_json::to_value(&elements).map_err(AppError::internal)?,
            delai_fourniture: contenu.delai_fourniture,
        };
        let feedback = match feedbacks_verification::find_brouillon_de(conn, assignation.id).await?
        {
            Some(brouillon) => {
                feedbacks_verification::remplacer_brouillon(conn, brouillon.id, &ecrit).await?
            }
            None => feedbacks_verification::create(conn, &ecrit).await?,
        };
        journaliser(
            conn,
            &assignation,
            Some(avant.statut),
            Some(principal),
            Some(format!(
                "Décision proposée : {}",
                saisie.decision_proposee.label()
            )),
            maintenant,
        )
        .await?;
        Ok((assignation, feedback))
    })
    .await
}

/// The missing elements stored in a feedback.
pub fn elements(feedback: &FeedbackVerification) -> AppResult<Vec<ElementManquant>> {
    serde_json::from_value(feedback.elements_manquants.clone()).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aujourd_hui() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn saisie(decision: DecisionTraitement) -> SaisieTraitement {
        SaisieTraitement {
            assignation_id: Uuid::new_v4(),
            commentaires: None,
            elements_manquants: vec![SaisieElement {
                type_document: None,
                partie: None,
                rubrique: " Sécurité ".into(),
                libelle: "Politique de sécurité signée".into(),
                obligatoire: true,
            }],
            delai_fourniture: Some(NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()),
            decision_proposee: decision,
        }
    }

    #[test]
    fn les_elements_sont_stockes_nettoyes_et_non_fournis() {
        let contenu = valider(
            &saisie(DecisionTraitement::EnAttenteComplements),
            aujourd_hui(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&contenu.elements).unwrap(),
            serde_json::json!([{ "rubrique": "Sécurité", "libelle": "Politique de sécurité signée",
                "obligatoire": true, "fourni": false }])
        );
    }

    #[test]
    fn chaque_refus_nomme_son_champ() {
        let champ = |s: SaisieTraitement| {
            valider(&s, aujourd_hui())
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        let mut s = saisie(DecisionTraitement::EnAttenteComplements);
        s.elements_manquants[0].libelle = "  ".into();
        assert_eq!(
            champ(s).as_deref(),
            Some("input.elementsManquants[0].libelle")
        );
        let mut s = saisie(DecisionTraitement::Conforme);
        s.elements_manquants[0].rubrique = "x".repeat(RUBRIQUE_MAX + 1);
        assert_eq!(
            champ(s).as_deref(),
            Some("input.elementsManquants[0].rubrique")
        );
        let mut s = saisie(DecisionTraitement::Conforme);
        s.elements_manquants = vec![s.elements_manquants[0].clone(); ELEMENTS_MAX + 1];
        assert_eq!(champ(s).as_deref(), Some("input.elementsManquants"));
        let mut s = saisie(DecisionTraitement::EnAttenteComplements);
        s.delai_fourniture = None;
        assert_eq!(champ(s).as_deref(), Some("input.delaiFourniture"));
        let mut s = saisie(DecisionTraitement::Conforme);
        s.delai_fourniture = Some(aujourd_hui());
        assert_eq!(champ(s).as_deref(), Some("input.delaiFourniture"));
        let mut s = saisie(DecisionTraitement::EnAttenteComplements);
        s.elements_manquants.clear();
        assert_eq!(champ(s).as_deref(), Some("input.elementsManquants"));
    }

    #[test]
    fn une_proposition_conforme_n_exige_pas_de_delai() {
        let mut s = saisie(DecisionTraitement::Conforme);
        s.delai_fourniture = None;
        s.elements_manquants.clear();
        let contenu = valider(&s, aujourd_hui()).unwrap();
        assert!(contenu.elements.is_empty());
        assert_eq!(contenu.delai_fourniture, None);
    }
}
