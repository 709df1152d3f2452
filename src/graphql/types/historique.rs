//! A dossier's history as GraphQL shows it: one interface, `LigneHistorique`, and one type
//! per object whose status changed, so that `ancienStatut`/`nouveauStatut` carry the enum of
//! that object (a client switches on `__typename` or `objet` and gets typed statuses).

use async_graphql::{Interface, OutputType, SimpleObject};

use crate::domain::verification::historique::LigneLisible;
use crate::error::{AppError, AppResult};
use crate::graphql::types::DateTime;
use crate::models::enums::{
    ActeurType, ObjetHistorique, StatutAssignation, StatutConformite, StatutInscription,
    StatutRapprochement, StatutRenouvellement, StatutVerificationDocument, StatutWorkflow,
};

/// Un changement de statut d'un objet du dossier, d'`ancienStatut` (null à la création) à
/// `nouveauStatut`, tous deux du type de statut de l'objet.
#[derive(SimpleObject)]
#[graphql(
    concrete(name = "LigneHistoriqueWorkflow", params(StatutWorkflow)),
    concrete(name = "LigneHistoriqueConformite", params(StatutConformite)),
    concrete(name = "LigneHistoriqueAssignation", params(StatutAssignation)),
    concrete(name = "LigneHistoriqueRapprochement", params(StatutRapprochement)),
    concrete(name = "LigneHistoriqueRenouvellement", params(StatutRenouvellement)),
    concrete(name = "LigneHistoriqueInscription", params(StatutInscription)),
    concrete(name = "LigneHistoriqueDocument", params(StatutVerificationDocument))
)]
pub struct Ligne<S: OutputType> {
    pub objet: ObjetHistorique,
    pub ancien_statut: Option<S>,
    pub nouveau_statut: S,
    pub acteur_type: ActeurType,
    /// Qui : pour une entreprise, « ARTCI » pour tout agent, « Votre entreprise » ou
    /// « Système » ; pour les agents, le prénom et le nom de l'agent ou la dénomination de
    /// l'entreprise.
    pub acteur: String,
    pub commentaire: Option<String>,
    pub created_at: DateTime,
}

/// Une ligne de l'historique d'un dossier : un changement de statut du dossier, de sa
/// conformité, de ses renouvellements ou (pour les agents) de ses assignations et
/// rapprochements. Le type de la ligne (`objet`) dit l'énumération de ses statuts.
#[derive(Interface)]
#[graphql(
    field(name = "objet", ty = "&ObjetHistorique"),
    field(name = "acteur_type", ty = "&ActeurType"),
    field(
        name = "acteur",
        ty = "&String",
        desc = "Qui : « ARTCI », « Votre entreprise » ou « Système » pour une entreprise ; le nom de l'agent ou de l'entreprise pour les agents."
    ),
    field(name = "commentaire", ty = "&Option<String>"),
    field(name = "created_at", ty = "&DateTime")
)]
pub enum LigneHistorique {
    Workflow(Ligne<StatutWorkflow>),
    Conformite(Ligne<StatutConformite>),
    Assignation(Ligne<StatutAssignation>),
    Rapprochement(Ligne<StatutRapprochement>),
    Renouvellement(Ligne<StatutRenouvellement>),
    Inscription(Ligne<StatutInscription>),
    Document(Ligne<StatutVerificationDocument>),
}

impl TryFrom<LigneLisible> for LigneHistorique {
    type Error = AppError;

    fn try_from(l: LigneLisible) -> AppResult<Self> {
        let ligne = l.ligne;
        // Each writer stores the labels of its object's enum (`transitions::journaliser`); a
        // label that is not one is a bug, logged, never shown.
        fn typer<S>(
            de: fn(&str) -> Option<S>,
            ligne: &crate::models::HistoriqueStatut,
            acteur: String,
        ) -> AppResult<Ligne<S>>
        where
            S: OutputType,
        {
            let statut = |label: &str| {
                de(label).ok_or_else(|| {
                    AppError::internal(format!(
                        "historique {} : statut « {label} » inconnu pour {}",
                        ligne.id, ligne.objet
                    ))
                })
            };
            Ok(Ligne {
                objet: ligne.objet,
                ancien_statut: ligne.ancien_statut.as_deref().map(statut).transpose()?,
                nouveau_statut: statut(&ligne.nouveau_statut)?,
                acteur_type: ligne.acteur_type,
                acteur,
                commentaire: ligne.commentaire.clone(),
                created_at: ligne.created_at.into(),
            })
        }
        let acteur = l.acteur;
        Ok(match ligne.objet {
            ObjetHistorique::Workflow => {
                Self::Workflow(typer(StatutWorkflow::from_label, &ligne, acteur)?)
            }
            ObjetHistorique::Conformite => {
                Self::Conformite(typer(StatutConformite::from_label, &ligne, acteur)?)
            }
            ObjetHistorique::Assignation => {
                Self::Assignation(typer(StatutAssignation::from_label, &ligne, acteur)?)
            }
            ObjetHistorique::Rapprochement => {
                Self::Rapprochement(typer(StatutRapprochement::from_label, &ligne, acteur)?)
            }
            ObjetHistorique::Renouvellement => {
                Self::Renouvellement(typer(StatutRenouvellement::from_label, &ligne, acteur)?)
            }
            ObjetHistorique::Inscription => {
                Self::Inscription(typer(StatutInscription::from_label, &ligne, acteur)?)
            }
            ObjetHistorique::Document => Self::Document(typer(
                StatutVerificationDocument::from_label,
                &ligne,
                acteur,
            )?),
        })
    }
}
