//! A dossier's verification as GraphQL shows it: assignations (staff only), feedbacks (a
//! company reads those sent to it, never who at ARTCI wrote them) and history lines.

use crate::graphql::types::{Date, DateTime};
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, Object, SimpleObject};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::verification::{self as domaine, feedback};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::loaders::{
    AgentLoader, ContenuDe, DernierFeedbackDe, DocumentsDe, PartiesEntiteLoader,
};
use crate::graphql::types::progression::PartieDossier;
use crate::graphql::types::{Agent, Entite};
use crate::models;
use crate::models::enums::{DecisionTraitement, StatutAssignation, StatutFeedback, TypeDocument};
use crate::models::{entites_base, feedbacks_verification, users};

/// The staff member `id`, batched when the loader is registered (the server).
pub(crate) async fn agent(ctx: &Context<'_>, id: Uuid) -> AppResult<Option<Agent>> {
    let user = match ctx.data_opt::<DataLoader<AgentLoader>>() {
        Some(loader) => loader.load_one(id).await?,
        None => {
            let mut conn = ctx.app().pool.get().await?;
            users::find_by_id(&mut conn, id).await?
        }
    };
    Ok(user.map(Agent))
}

/// L'attribution d'un dossier à un agent de l'ARTCI, son traitement et sa validation par un
/// N+1. Réservée aux agents de l'ARTCI.
pub struct Assignation {
    assignation: models::Assignation,
    entite: Option<models::EntiteBase>,
}

impl Assignation {
    /// Only for a staff caller; `entite`, when the caller has it already (a page's join).
    pub fn autorisee(assignation: models::Assignation, entite: Option<models::EntiteBase>) -> Self {
        Self {
            assignation,
            entite,
        }
    }
}

#[Object]
impl Assignation {
    async fn id(&self) -> ID {
        ID(self.assignation.id.to_string())
    }

    async fn statut(&self) -> StatutAssignation {
        self.assignation.statut
    }

    /// La date à laquelle l'agent doit avoir traité le dossier.
    async fn echeance(&self) -> Date {
        self.assignation.echeance.into()
    }

    /// Vrai quand l'échéance est passée (ou que l'assignation a été marquée en retard) et que
    /// l'assignation est encore ouverte.
    async fn en_retard(&self, ctx: &Context<'_>) -> bool {
        domaine::en_retard(&self.assignation, ctx.app().clock.today())
    }

    async fn date_assignation(&self) -> DateTime {
        self.assignation.date_assignation.into()
    }

    /// La décision proposée par l'agent, une fois le dossier traité.
    async fn decision_proposee(&self) -> Option<DecisionTraitement> {
        self.assignation.decision_proposee
    }

    async fn traite_le(&self) -> Option<DateTime> {
        self.assignation.traite_le.map(Into::into)
    }

    async fn valide_le(&self) -> Option<DateTime> {
        self.assignation.valide_le.map(Into::into)
    }

    /// Le commentaire du N+1 : pourquoi il a renvoyé le traitement, ou sa remarque en le
    /// validant.
    async fn commentaire_validation(&self) -> Option<&str> {
        self.assignation.commentaire_validation.as_deref()
    }

    /// Le dossier attribué.
    async fn entite(&self, ctx: &Context<'_>) -> AppResult<Entite> {
        let entite = match &self.entite {
            Some(e) => e.clone(),
            None => {
                let mut conn = ctx.app().pool.get().await?;
                entites_base::find_by_id(&mut conn, self.assignation.entite_id).await?
            }
        };
        // Staff read every entity.
        Ok(Entite::autorisee(entite))
    }

    /// L'agent à qui le dossier est attribué.
    async fn agent(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        agent(ctx, self.assignation.agent_id).await
    }

    /// L'administrateur qui a attribué le dossier.
    async fn assigne_par(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        agent(ctx, self.assignation.assigne_par).await
    }

    /// Le N+1 qui a validé le traitement.
    async fn valide_par(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        match self.assignation.valide_par {
            Some(id) => agent(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Le dernier retour de vérification écrit par l'agent pour cette assignation.
    async fn feedback(&self, ctx: &Context<'_>) -> AppResult<Option<FeedbackVerification>> {
        let cle = DernierFeedbackDe(self.assignation.id);
        let dernier = match ctx.data_opt::<DataLoader<PartiesEntiteLoader>>() {
            Some(loader) => loader.load_one(cle).await?,
            None => {
                let mut conn = ctx.app().pool.get().await?;
                feedbacks_verification::find_dernier_de(&mut conn, self.assignation.id).await?
            }
        };
        Ok(dernier.map(FeedbackVerification))
    }
}

/// Un élément que l'entreprise doit fournir ou corriger.
#[derive(SimpleObject)]
pub struct ElementAFournir {
    /// La partie du dossier concernée.
    pub rubrique: String,
    /// Ce qui manque.
    pub libelle: String,
    pub obligatoire: bool,
    /// Vrai une fois l'élément fourni : un document du type demandé déposé depuis la demande
    /// (et non rejeté), ou la partie demandée enregistrée de nouveau depuis.
    pub fourni: bool,
    /// Le type de document demandé, le cas échéant.
    pub type_document: Option<TypeDocument>,
    /// La partie du formulaire à reprendre, le cas échéant.
    pub partie: Option<PartieDossier>,
}

/// Un retour de vérification de l'ARTCI sur un dossier : commentaires, éléments manquants et
/// délai pour les fournir. L'entreprise ne le voit qu'une fois validé par le N+1 de l'agent.
pub struct FeedbackVerification(pub models::FeedbackVerification);

#[Object]
impl FeedbackVerification {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn commentaires(&self) -> Option<&str> {
        self.0.commentaires.as_deref()
    }

    async fn elements_manquants(&self, ctx: &Context<'_>) -> AppResult<Vec<ElementAFournir>> {
        let elements = feedback::elements(&self.0)?;
        let (documents, parties) = if elements
            .iter()
            .any(|e| e.type_document.is_some() || e.partie.is_some())
        {
            // The dossier's documents and content, batched with the rest of the response.
            let loader = PartiesEntiteLoader::new(ctx.app().pool.clone());
            let documents = match ctx.data_opt::<DataLoader<PartiesEntiteLoader>>() {
                Some(l) => l.load_one(DocumentsDe(self.0.entite_id)).await?,
                None => loader
                    .load(&[DocumentsDe(self.0.entite_id)])
                    .await?
                    .remove(&DocumentsDe(self.0.entite_id)),
            };
            let contenu = match ctx.data_opt::<DataLoader<PartiesEntiteLoader>>() {
                Some(l) => l.load_one(ContenuDe(self.0.entite_id)).await?,
                None => loader
                    .load(&[ContenuDe(self.0.entite_id)])
                    .await?
                    .remove(&ContenuDe(self.0.entite_id)),
            };
            (
                documents.unwrap_or_default(),
                contenu
                    .map(|c| feedback::parties_enregistrees(&c))
                    .unwrap_or_default(),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(elements
            .into_iter()
            .map(|e| ElementAFournir {
                fourni: feedback::fourni(&e, self.0.created_at, &documents, &parties),
                rubrique: e.rubrique,
                libelle: e.libelle,
                obligatoire: e.obligatoire,
                type_document: e.type_document,
                partie: e.partie.map(Into::into),
            })
            .collect())
    }

    /// La date avant laquelle fournir les éléments manquants.
    async fn delai_fourniture(&self) -> Option<Date> {
        self.0.delai_fourniture.map(Into::into)
    }

    async fn statut(&self) -> StatutFeedback {
        self.0.statut
    }

    async fn visible_entreprise(&self) -> bool {
        self.0.visible_entreprise
    }

    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    async fn updated_at(&self) -> DateTime {
        self.0.updated_at.into()
    }

    /// L'agent qui l'a écrit : pour les agents de l'ARTCI ; null pour l'entreprise, à qui
    /// l'ARTCI répond comme une seule voix.
    async fn agent(&self, ctx: &Context<'_>) -> AppResult<Option<Agent>> {
        match ctx.principal()? {
            Principal::Agent { .. } => agent(ctx, self.0.agent_id).await,
            _ => Ok(None),
        }
    }
}
