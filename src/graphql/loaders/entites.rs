//! The 1:1 parts of entities (workflow, contact, position, compliance) by `entite_id`: a page
//! of entities costs one query per part, not one per entity. The keys are entity ids that
//! the asking resolver has already authorised.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use crate::db::DbPool;
use crate::domain::contenu::{self, ContenuDossier};
use crate::error::AppError;
use crate::models::modifications_dossier::{self, Modification};
use crate::models::versions_approuvees::{self, VersionResumee};
use crate::models::{
    Assignation, FeedbackVerification, assignations_demandes, feedbacks_verification,
};
use crate::models::{DocumentJoint, documents_joints};
use crate::models::{
    EntiteConformite, EntiteContact, EntiteLocalisation, EntiteWorkflow, entites_conformite,
    entites_contact, entites_localisation, entites_workflow,
};

pub struct PartiesEntiteLoader {
    pool: DbPool,
}

impl PartiesEntiteLoader {
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

/// Keys of the four parts: one batch per part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkflowDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LocalisationDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConformiteDe(pub Uuid);
/// An entity's open amendment, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModificationDe(pub Uuid);

macro_rules! partie {
    ($cle:ident, $valeur:ty, $module:ident) => {
        impl Loader<$cle> for PartiesEntiteLoader {
            type Value = $valeur;
            type Error = AppError;

            async fn load(&self, cles: &[$cle]) -> Result<HashMap<$cle, $valeur>, AppError> {
                let ids: Vec<Uuid> = cles.iter().map(|c| c.0).collect();
                let mut conn = self.pool.get().await?;
                let lignes = $module::find_by_entites(&mut conn, &ids).await?;
                Ok(lignes.into_iter().map(|l| ($cle(l.entite_id), l)).collect())
            }
        }
    };
}

partie!(WorkflowDe, EntiteWorkflow, entites_workflow);
partie!(ContactDe, EntiteContact, entites_contact);
partie!(LocalisationDe, EntiteLocalisation, entites_localisation);
partie!(ConformiteDe, EntiteConformite, entites_conformite);
partie!(ModificationDe, Modification, modifications_dossier);

/// Key of the whole content of a dossier (every list and questionnaire of the form): one
/// batch loads the content of all the entities a response asks for, in one query per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContenuDe(pub Uuid);

impl Loader<ContenuDe> for PartiesEntiteLoader {
    type Value = std::sync::Arc<ContenuDossier>;
    type Error = AppError;

    async fn load(&self, cles: &[ContenuDe]) -> Result<HashMap<ContenuDe, Self::Value>, AppError> {
        let ids: Vec<Uuid> = cles.iter().map(|c| c.0).collect();
        let mut conn = self.pool.get().await?;
        let contenus = contenu::charger(&mut conn, &ids).await?;
        Ok(contenus
            .into_iter()
            .map(|(id, c)| (ContenuDe(id), std::sync::Arc::new(c)))
            .collect())
    }
}

/// Keys of an entity's feedbacks and assignations (staff and company filtering is the
/// resolver's), and of an assignation's latest feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FeedbacksDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AssignationsDe(pub Uuid);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DernierFeedbackDe(pub Uuid);

macro_rules! liste {
    ($cle:ident, $valeur:ty, $module:ident) => {
        impl Loader<$cle> for PartiesEntiteLoader {
            type Value = Vec<$valeur>;
            type Error = AppError;

            async fn load(&self, cles: &[$cle]) -> Result<HashMap<$cle, Vec<$valeur>>, AppError> {
                let ids: Vec<Uuid> = cles.iter().map(|c| c.0).collect();
                let mut conn = self.pool.get().await?;
                let mut listes: HashMap<$cle, Vec<$valeur>> = HashMap::new();
                for ligne in $module::find_by_entites(&mut conn, &ids).await? {
                    listes.entry($cle(ligne.entite_id)).or_default().push(ligne);
                }
                Ok(listes)
            }
        }
    };
}

liste!(FeedbacksDe, FeedbackVerification, feedbacks_verification);
liste!(AssignationsDe, Assignation, assignations_demandes);

/// Key of an entity's approved versions (newest first), with their certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VersionsDe(pub Uuid);

liste!(VersionsDe, VersionResumee, versions_approuvees);

/// Key of an entity's documents (superseded ones included, oldest first); what a caller sees
/// of them is the resolver's filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentsDe(pub Uuid);

liste!(DocumentsDe, DocumentJoint, documents_joints);

impl Loader<DernierFeedbackDe> for PartiesEntiteLoader {
    type Value = FeedbackVerification;
    type Error = AppError;

    async fn load(
        &self,
        cles: &[DernierFeedbackDe],
    ) -> Result<HashMap<DernierFeedbackDe, FeedbackVerification>, AppError> {
        let ids: Vec<Uuid> = cles.iter().map(|c| c.0).collect();
        let mut conn = self.pool.get().await?;
        Ok(
            feedbacks_verification::derniers_des_assignations(&mut conn, &ids)
                .await?
                .into_iter()
                .filter_map(|f| f.assignation_id.map(|a| (DernierFeedbackDe(a), f)))
                .collect(),
        )
    }
}
