//! The verification of dossiers: assignment by an admin, the agent's feedback, the N+1's
//! validation.

use crate::graphql::types::Date;
use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::verification::assignation::{self, SaisieAssignation};
use crate::domain::verification::feedback::{self, SaisieElement, SaisieTraitement};
use crate::domain::verification::validation::{self, SaisieValidation};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::progression::PartieDossier;
use crate::graphql::types::{Assignation, uuid_de};
use crate::models::enums::{DecisionTraitement, RoleUtilisateur, TypeDocument};

#[derive(InputObject)]
pub struct AssignerDemandeInput {
    /// L'entité dont le dossier est soumis.
    pub entite_id: ID,
    /// Un agent actif de l'ARTCI, éditeur ou au-delà.
    pub agent_id: ID,
    /// Postérieure à aujourd'hui, dans l'année.
    pub echeance: Date,
}

#[derive(InputObject)]
pub struct ReassignerDemandeInput {
    /// L'assignation ouverte à déplacer.
    pub assignation_id: ID,
    /// Le nouvel agent : actif, éditeur ou au-delà, autre que l'actuel.
    pub agent_id: ID,
    /// La nouvelle échéance : postérieure à aujourd'hui, dans l'année.
    pub echeance: Date,
}

/// Un élément que l'entreprise doit fournir ou corriger.
#[derive(InputObject)]
pub struct ElementAFournirInput {
    /// La partie du dossier concernée (100 caractères au plus).
    pub rubrique: String,
    /// Ce qui manque (500 caractères au plus).
    pub libelle: String,
    #[graphql(default = true)]
    pub obligatoire: bool,
    /// L'élément demande un document de ce type : il est coché fourni dès que l'entreprise en
    /// dépose un.
    pub type_document: Option<TypeDocument>,
    /// L'élément demande de reprendre cette partie du formulaire : il est coché fourni dès
    /// que l'entreprise l'enregistre de nouveau.
    pub partie: Option<PartieDossier>,
}

#[derive(InputObject)]
pub struct AjouterFeedbackInput {
    pub assignation_id: ID,
    /// Les observations de l'agent (5000 caractères au plus).
    pub commentaires: Option<String>,
    /// 100 éléments au plus.
    #[graphql(default)]
    pub elements_manquants: Vec<ElementAFournirInput>,
    /// Postérieur à aujourd'hui ; obligatoire pour une demande de compléments.
    pub delai_fourniture: Option<Date>,
    pub decision_proposee: DecisionTraitement,
}

#[derive(InputObject)]
pub struct ValiderTraitementInput {
    pub assignation_id: ID,
    /// Vrai : la décision est prise et l'entreprise informée ; faux : le traitement est
    /// renvoyé à l'agent.
    pub accepter: bool,
    /// La décision prise ; par défaut celle que l'agent a proposée.
    pub decision: Option<DecisionTraitement>,
    /// Obligatoire pour un rejet ; envoyé à l'entreprise (5000 caractères au plus).
    pub motif: Option<String>,
    /// Obligatoire pour une décision conforme sous réserve ; postérieur à aujourd'hui.
    pub delai_mise_en_conformite: Option<Date>,
    /// Obligatoire pour renvoyer le traitement à l'agent ; une remarque interne sinon.
    pub commentaire: Option<String>,
}

#[derive(Default)]
pub struct VerificationMutation;

#[Object]
impl VerificationMutation {
    /// Attribue un dossier soumis à un agent, avec une échéance : le dossier passe en
    /// vérification et l'agent est prévenu par e-mail. Réservé aux administrateurs. Un
    /// dossier déjà attribué est un `CONFLICT`.
    async fn assigner_demande(
        &self,
        ctx: &Context<'_>,
        input: AssignerDemandeInput,
    ) -> AppResult<Assignation> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let saisie = SaisieAssignation {
            cible_id: uuid_de(&input.entite_id, "input.entiteId")?,
            agent_id: uuid_de(&input.agent_id, "input.agentId")?,
            echeance: input.echeance.into(),
        };
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let a = assignation::assigner(&mut conn, principal, saisie, app.clock.now()).await?;
        Ok(Assignation::autorisee(a, None))
    }

    /// Déplace une assignation ouverte vers un autre agent, avec une nouvelle échéance ; le
    /// nouvel agent est prévenu par e-mail. Un traitement qui attend sa validation n'est pas
    /// déplacé (`CONFLICT`). Réservé aux administrateurs.
    async fn reassigner_demande(
        &self,
        ctx: &Context<'_>,
        input: ReassignerDemandeInput,
    ) -> AppResult<Assignation> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let saisie = SaisieAssignation {
            cible_id: uuid_de(&input.assignation_id, "input.assignationId")?,
            agent_id: uuid_de(&input.agent_id, "input.agentId")?,
            echeance: input.echeance.into(),
        };
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let a = assignation::reassigner(&mut conn, principal, saisie, app.clock.now()).await?;
        Ok(Assignation::autorisee(a, None))
    }

    /// Le traitement d'un dossier par l'agent à qui il est attribué : observations, éléments
    /// manquants, délai et décision proposée. Le traitement attend ensuite la validation d'un
    /// N+1 : l'entreprise n'en voit rien d'ici là. L'assignation d'un autre agent est
    /// `FORBIDDEN`.
    async fn ajouter_feedback(
        &self,
        ctx: &Context<'_>,
        input: AjouterFeedbackInput,
    ) -> AppResult<Assignation> {
        ctx.require_role(RoleUtilisateur::Editeur)?;
        let principal = ctx.principal()?;
        let saisie = SaisieTraitement {
            assignation_id: uuid_de(&input.assignation_id, "input.assignationId")?,
            commentaires: input.commentaires,
            elements_manquants: input
                .elements_manquants
                .into_iter()
                .map(|e| SaisieElement {
                    type_document: e.type_document,
                    partie: e.partie.map(Into::into),
                    rubrique: e.rubrique,
                    libelle: e.libelle,
                    obligatoire: e.obligatoire,
                })
                .collect(),
            delai_fourniture: input.delai_fourniture.map(Into::into),
            decision_proposee: input.decision_proposee,
        };
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let (a, _) = feedback::traiter(&mut conn, principal, saisie, app.clock.now()).await?;
        Ok(Assignation::autorisee(a, None))
    }

    /// La validation d'un traitement par un N+1 (tout administrateur, jamais l'agent qui l'a
    /// fait : `FORBIDDEN`). Accepter prend la décision (par défaut celle proposée) : le
    /// dossier change de statut, le retour est envoyé à l'entreprise et elle est prévenue par
    /// e-mail ; un rejet exige un motif, une conformité sous réserve un délai. Refuser
    /// renvoie le traitement à l'agent, avec un commentaire obligatoire.
    async fn valider_traitement(
        &self,
        ctx: &Context<'_>,
        input: ValiderTraitementInput,
    ) -> AppResult<Assignation> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let principal = ctx.principal()?;
        let saisie = SaisieValidation {
            assignation_id: uuid_de(&input.assignation_id, "input.assignationId")?,
            accepter: input.accepter,
            decision: input.decision,
            motif: input.motif,
            delai_mise_en_conformite: input.delai_mise_en_conformite.map(Into::into),
            commentaire: input.commentaire,
        };
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let a =
            validation::valider_traitement(&mut conn, principal, saisie, app.clock.now()).await?;
        Ok(Assignation::autorisee(a, None))
    }
}
