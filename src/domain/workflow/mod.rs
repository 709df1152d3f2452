//! The dossier's state machine (`entites_workflow.statut`): who may move a dossier from one
//! status to another, and what follows from a status (conformity, map, company edits).
//!
//! The allowed moves are data, in [`TRANSITIONS`]; every change of status goes through
//! [`autoriser`] first, then the caller checks the guards the table cannot see (documented
//! on each [`NomTransition`]) and writes the change, its history lines
//! ([`lignes_historique`]) and its mails in one transaction. The agent's proposal on a dossier
//! `en_verification` changes no status, so it is not here (see `Assignation`).

mod table;
#[cfg(test)]
mod tests;

pub use table::{EN_COURS_DE_MODIFICATION, NomTransition, QuiPeut, TRANSITIONS, Transition};

use chrono::NaiveDate;

use crate::error::AppError;
use crate::models::enums::{ObjetHistorique, RoleUtilisateur, StatutConformite, StatutWorkflow};

/// Who fires a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acteur {
    /// The company account owning the entity (the caller checks the ownership).
    Entreprise,
    /// An ARTCI staff member with this role.
    Personnel(RoleUtilisateur),
    /// A scheduled job, or the consequence of another decision (an approved claim).
    Systeme,
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefusTransition {
    /// This actor may not fire this transition from any status (FORBIDDEN).
    #[error("{acteur:?} may not fire {nom:?}")]
    ActeurNonAutorise { nom: NomTransition, acteur: Acteur },
    /// The transition does not start from this status (CONFLICT).
    #[error("{nom:?} is not allowed from {de}")]
    TransitionInconnue {
        de: StatutWorkflow,
        nom: NomTransition,
    },
    /// The transition leads to several statuses and none was chosen (a caller's bug).
    #[error("{nom:?} from {de} needs a target")]
    CibleRequise {
        de: StatutWorkflow,
        nom: NomTransition,
    },
    /// The transition starts here but does not lead to this status (CONFLICT).
    #[error("{nom:?} from {de} cannot lead to {vers}")]
    CibleInvalide {
        de: StatutWorkflow,
        nom: NomTransition,
        vers: StatutWorkflow,
    },
    /// The row needs a non-blank reason (BAD_USER_INPUT).
    #[error("{nom:?} needs a reason")]
    MotifRequis { nom: NomTransition },
    /// The row needs delai_mise_en_conformite (BAD_USER_INPUT).
    #[error("{nom:?} needs a compliance deadline")]
    DelaiRequis { nom: NomTransition },
}

impl From<RefusTransition> for AppError {
    /// The input field names are those of the dossier mutations (`input.motif`,
    /// `input.delaiMiseEnConformite`); a mutation naming them otherwise maps those two itself.
    fn from(refus: RefusTransition) -> Self {
        match refus {
            RefusTransition::ActeurNonAutorise { .. } => AppError::forbidden(),
            RefusTransition::TransitionInconnue { de, .. }
            | RefusTransition::CibleInvalide { de, .. } => AppError::conflict(format!(
                "Cette action n'est pas possible sur un dossier au statut « {de} »."
            )),
            // Only a resolver that forgot the target gets here: not the user's fault.
            RefusTransition::CibleRequise { .. } => AppError::internal(refus),
            RefusTransition::MotifRequis { .. } => {
                AppError::bad_input("input.motif", "Un motif est obligatoire.")
            }
            RefusTransition::DelaiRequis { .. } => AppError::bad_input(
                "input.delaiMiseEnConformite",
                "Le délai de mise en conformité est obligatoire.",
            ),
        }
    }
}

use crate::domain::roles::rang;

impl QuiPeut {
    /// Whether `acteur` may fire a row with these rights.
    pub fn permet(&self, acteur: Acteur) -> bool {
        match acteur {
            Acteur::Entreprise => self.entreprise,
            Acteur::Systeme => self.systeme,
            Acteur::Personnel(role) => self
                .personnel_des
                .is_some_and(|minimum| rang(role) >= rang(minimum)),
        }
    }
}

impl Transition {
    /// Checks that the reason and the deadline the row needs were given (a blank reason is
    /// none). Whether the deadline lies in the future is the caller's check (its clock).
    pub fn verifier_saisie(
        &self,
        motif: Option<&str>,
        delai: Option<NaiveDate>,
    ) -> Result<(), RefusTransition> {
        if self.motif_requis && motif.is_none_or(|m| m.trim().is_empty()) {
            return Err(RefusTransition::MotifRequis { nom: self.nom });
        }
        if self.delai_requis && delai.is_none() {
            return Err(RefusTransition::DelaiRequis { nom: self.nom });
        }
        Ok(())
    }
}

/// The row `acteur` fires when asking `nom` on a dossier in `de`; `vers` chooses the target
/// when the transition has several (`Decider`), and may be given to any other as a check.
///
/// The actor is checked first, against every row of `nom`: someone who may never fire it is
/// refused as such (FORBIDDEN) whatever the dossier's status, which that refusal then does not
/// reveal.
pub fn autoriser(
    de: StatutWorkflow,
    nom: NomTransition,
    acteur: Acteur,
    vers: Option<StatutWorkflow>,
) -> Result<&'static Transition, RefusTransition> {
    let refus_acteur = RefusTransition::ActeurNonAutorise { nom, acteur };
    let rangs = || TRANSITIONS.iter().filter(move |t| t.nom == nom);
    if !rangs().any(|t| t.qui.permet(acteur)) {
        return Err(refus_acteur);
    }
    let mut depuis = rangs().filter(|t| t.de.contains(&de)).peekable();
    if depuis.peek().is_none() {
        return Err(RefusTransition::TransitionInconnue { de, nom });
    }
    let ligne = match vers {
        Some(vers) => depuis
            .find(|t| t.vers == vers)
            .ok_or(RefusTransition::CibleInvalide { de, nom, vers })?,
        None => {
            let premiere = depuis.next().expect("peeked");
            if depuis.next().is_some() {
                return Err(RefusTransition::CibleRequise { de, nom });
            }
            premiere
        }
    };
    if ligne.qui.permet(acteur) {
        Ok(ligne)
    } else {
        Err(refus_acteur)
    }
}

/// The conformity an entity has while its dossier is in `statut` (DOMAIN's mapping).
/// `partiellement_conforme` is a v2.1 label no status leads to any more.
pub fn statut_conformite(statut: StatutWorkflow) -> StatutConformite {
    use StatutWorkflow as W;
    match statut {
        W::Brouillon | W::BrouillonArtci | W::Expire => StatutConformite::NonConforme,
        W::Soumis | W::EnVerification | W::EnAttenteComplements => {
            StatutConformite::DemarcheEnCours
        }
        W::ConformeSousReserve => StatutConformite::DemarcheAchevee,
        W::Conforme | W::Valide | W::Publie | W::EnModification => StatutConformite::Conforme,
        W::Rejete => StatutConformite::Rejete,
    }
}

/// The conformity of an entity in `statut`, `modification_ouverte` telling whether an
/// amendment of its approved dossier is under way: the approved version stays in force
/// meanwhile, so the entity stays `conforme` whatever the amendment's progress.
pub fn conformite(statut: StatutWorkflow, modification_ouverte: bool) -> StatutConformite {
    if modification_ouverte {
        StatutConformite::Conforme
    } else {
        statut_conformite(statut)
    }
}

/// `entites_base.publie_sur_carte` while the dossier is in `statut`: true exactly for
/// `publie`, so every transition out of it (depublier, expirer, retour formulaire)
/// unpublishes.
pub fn publie_sur_carte(statut: StatutWorkflow) -> bool {
    statut == StatutWorkflow::Publie
}

/// Whether the owner company may edit its dossier (the 50-question form) in `statut`.
pub fn modifiable_par_entreprise(statut: StatutWorkflow) -> bool {
    matches!(
        statut,
        StatutWorkflow::Brouillon
            | StatutWorkflow::EnAttenteComplements
            | StatutWorkflow::EnModification
    )
}

/// One `historique_statuts` line a change of status writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LigneHistorique {
    pub objet: ObjetHistorique,
    pub ancien_statut: &'static str,
    pub nouveau_statut: &'static str,
}

/// The history lines of a move from `de` to `vers` (`modification_ouverte`: during an
/// amendment): always the workflow line, and a conformity line when the conformity changes
/// with it.
pub fn lignes_historique(
    de: StatutWorkflow,
    vers: StatutWorkflow,
    modification_ouverte: bool,
) -> Vec<LigneHistorique> {
    let mut lignes = vec![LigneHistorique {
        objet: ObjetHistorique::Workflow,
        ancien_statut: de.label(),
        nouveau_statut: vers.label(),
    }];
    let (avant, apres) = (
        conformite(de, modification_ouverte),
        conformite(vers, modification_ouverte),
    );
    if avant != apres {
        lignes.push(LigneHistorique {
            objet: ObjetHistorique::Conformite,
            ancien_statut: avant.label(),
            nouveau_statut: apres.label(),
        });
    }
    lignes
}
