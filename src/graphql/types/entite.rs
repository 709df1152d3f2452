//! An entity and the parts of its dossier's identification, for its owner and ARTCI staff.

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, Object};
use std::sync::Arc;

use crate::graphql::types::{Date, DateTime};

use crate::domain::contenu::ContenuDossier;
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::loaders::{
    AssignationsDe, ConformiteDe, ContactDe, ContenuDe, DocumentsDe, FeedbacksDe, LocalisationDe,
    LotEntites, ModificationDe, PartiesEntiteLoader, VersionsDe, WorkflowDe,
};
use crate::graphql::types::DocumentJoint;
use crate::graphql::types::{certificat, evaluation, formulaire, progression, verification};
use crate::models;
use crate::models::enums::{
    MethodeLocalisation, OrigineSaisie, Region, SecteurActivite, StatutConformite,
    StatutVerificationDocument, StatutWorkflow, TypeDocument, TypeFormalite,
};

/// Le filtre des documents d'un dossier.
#[derive(async_graphql::InputObject, Default)]
pub struct FiltreDocuments {
    /// Ces types seulement.
    pub types: Option<Vec<TypeDocument>>,
    /// Ce statut d'examen seulement.
    pub statut_verification: Option<StatutVerificationDocument>,
    /// Faux pour ne pas lister les documents remplacés (vrai par défaut).
    pub remplaces: Option<bool>,
}

/// Une entité (organisme responsable de traitements) et son dossier. Réservée à l'entreprise
/// propriétaire et aux agents de l'ARTCI : jamais publique.
pub struct Entite(models::EntiteBase, Option<Arc<LotEntites>>);

impl Entite {
    /// Only for an entity the caller may read: one that passed `acces::verifier`, or a row of
    /// a list already filtered to what the caller may see. Its nested parts are then served
    /// without another check.
    pub fn autorisee(entite: models::EntiteBase) -> Self {
        Self(entite, None)
    }

    /// [`Entite::autorisee`] for a row of a page: its parts are loaded with those of the
    /// whole `lot` (one query per part and page, see `LotEntites`).
    pub fn autorisee_du_lot(entite: models::EntiteBase, lot: &Arc<LotEntites>) -> Self {
        Self(entite, Some(Arc::clone(lot)))
    }

    /// One part of the entity (`cle` is its key's constructor: `WorkflowDe`): with its page
    /// when it has one, else batched when the loader is registered (the server), else
    /// loaded alone.
    async fn partie<K>(
        &self,
        ctx: &Context<'_>,
        cle: fn(uuid::Uuid) -> K,
    ) -> AppResult<Option<<PartiesEntiteLoader as Loader<K>>::Value>>
    where
        K: Send + Sync + Clone + Eq + std::hash::Hash + 'static,
        PartiesEntiteLoader: Loader<K, Error = AppError>,
    {
        if let Some(lot) = &self.1 {
            return lot.charger(&ctx.app().pool, cle, self.0.id).await;
        }
        let cle = cle(self.0.id);
        match ctx.data_opt::<DataLoader<PartiesEntiteLoader>>() {
            Some(loader) => loader.load_one(cle).await,
            None => {
                let loader = PartiesEntiteLoader::new(ctx.app().pool.clone());
                Ok(loader.load(std::slice::from_ref(&cle)).await?.remove(&cle))
            }
        }
    }

    /// The whole content of the entity's dossier (batched like the other parts).
    async fn contenu(&self, ctx: &Context<'_>) -> AppResult<Arc<ContenuDossier>> {
        Ok(self.partie(ctx, ContenuDe).await?.unwrap_or_default())
    }

    /// The dossier's assignments, oldest first, for staff; none for anyone else.
    async fn assignations_visibles(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<verification::Assignation>> {
        if !matches!(ctx.principal()?, crate::auth::Principal::Agent { .. }) {
            return Ok(Vec::new());
        }
        Ok(self
            .partie(ctx, AssignationsDe)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|a| verification::Assignation::autorisee(a, Some(self.0.clone())))
            .collect())
    }
}

#[Object]
impl Entite {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Numéro de compte contribuable (7 chiffres et une lettre).
    async fn numero_cc(&self) -> &str {
        &self.0.numero_cc
    }

    async fn denomination(&self) -> &str {
        &self.0.denomination
    }

    async fn sigle(&self) -> Option<&str> {
        self.0.sigle.as_deref()
    }

    async fn forme_juridique(&self) -> Option<&str> {
        self.0.forme_juridique.as_deref()
    }

    async fn secteur_activite(&self) -> SecteurActivite {
        self.0.secteur_activite
    }

    async fn region(&self) -> Region {
        self.0.region
    }

    async fn ville(&self) -> Option<&str> {
        self.0.ville.as_deref()
    }

    async fn commune(&self) -> Option<&str> {
        self.0.commune.as_deref()
    }

    async fn adresse(&self) -> Option<&str> {
        self.0.adresse.as_deref()
    }

    async fn telephone(&self) -> Option<&str> {
        self.0.telephone.as_deref()
    }

    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    async fn origine_saisie(&self) -> OrigineSaisie {
        self.0.origine_saisie
    }

    async fn created_at(&self) -> DateTime {
        self.0.created_at.into()
    }

    /// L'état du dossier, dont la `version` à renvoyer à chaque enregistrement.
    async fn workflow(&self, ctx: &Context<'_>) -> AppResult<EntiteWorkflow> {
        // Written with the entity, in its transaction (`entites::creer`, the seed).
        self.partie(ctx, WorkflowDe)
            .await?
            .map(EntiteWorkflow)
            .ok_or_else(|| AppError::internal(format!("entité {} sans workflow", self.0.id)))
    }

    /// Représentant légal et coordonnées publiques ; null tant qu'elles n'ont pas été saisies.
    async fn contact(&self, ctx: &Context<'_>) -> AppResult<Option<EntiteContact>> {
        Ok(self.partie(ctx, ContactDe).await?.map(EntiteContact))
    }

    /// La position de l'entité ; null tant qu'elle n'a pas été saisie.
    async fn localisation(&self, ctx: &Context<'_>) -> AppResult<Option<EntiteLocalisation>> {
        Ok(self
            .partie(ctx, LocalisationDe)
            .await?
            .map(EntiteLocalisation))
    }

    /// Le score et le statut de conformité, qui suivent le dossier.
    async fn conformite(&self, ctx: &Context<'_>) -> AppResult<EntiteConformite> {
        // Written with the entity, in its transaction, like the workflow.
        self.partie(ctx, ConformiteDe)
            .await?
            .map(EntiteConformite)
            .ok_or_else(|| AppError::internal(format!("entité {} sans conformité", self.0.id)))
    }

    /// Les formalités déjà accomplies ; null tant que le questionnaire n'a pas été enregistré.
    async fn conformite_administrative(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Option<formulaire::ConformiteAdministrative>> {
        Ok(self
            .contenu(ctx)
            .await?
            .administrative
            .as_ref()
            .map(Into::into))
    }

    /// Représentants légaux, demandeurs mandatés et référents.
    async fn responsables(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<formulaire::ResponsableLegal>> {
        Ok(self
            .contenu(ctx)
            .await?
            .responsables
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Les correspondants à la protection des données, l'actif et les anciens.
    async fn correspondants(&self, ctx: &Context<'_>) -> AppResult<Vec<formulaire::Correspondant>> {
        Ok(self
            .contenu(ctx)
            .await?
            .correspondants
            .iter()
            .map(Into::into)
            .collect())
    }

    /// L'avancement du dossier, partie par partie, et ce qui manque pour le soumettre.
    async fn progression(&self, ctx: &Context<'_>) -> AppResult<progression::Progression> {
        let contenu = self.contenu(ctx).await?;
        let documents: Vec<_> = self
            .partie(ctx, DocumentsDe)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.remplace_par_id.is_none())
            .map(|d| (d.type_document, d.statut_verification))
            .collect();
        Ok(crate::domain::progression::progression(&self.0, &contenu, &documents).into())
    }

    /// La formalité applicable et le score, calculés sur le contenu actuel du dossier.
    async fn evaluation(&self, ctx: &Context<'_>) -> AppResult<evaluation::Evaluation> {
        let dossier = self.contenu(ctx).await?;
        let pour_personnel = matches!(ctx.principal()?, crate::auth::Principal::Agent { .. });
        Ok(evaluation::Evaluation::de(
            &crate::domain::contenu::faits(&dossier),
            pour_personnel,
        ))
    }

    /// Le registre des traitements, leurs catégories de données et leurs finalités.
    async fn registre(&self, ctx: &Context<'_>) -> AppResult<formulaire::Registre> {
        Ok(self.contenu(ctx).await?.as_ref().into())
    }

    /// Les sous-traitants à qui l'entité confie des données.
    async fn sous_traitants(&self, ctx: &Context<'_>) -> AppResult<Vec<formulaire::SousTraitant>> {
        Ok(self
            .contenu(ctx)
            .await?
            .sous_traitants
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Les transferts de données hors de Côte d'Ivoire.
    async fn transferts(&self, ctx: &Context<'_>) -> AppResult<Vec<formulaire::Transfert>> {
        Ok(self
            .contenu(ctx)
            .await?
            .transferts
            .iter()
            .map(Into::into)
            .collect())
    }

    /// L'organisation de la sécurité ; null tant que le questionnaire n'a pas été enregistré.
    async fn securite(&self, ctx: &Context<'_>) -> AppResult<Option<formulaire::Securite>> {
        Ok(self.contenu(ctx).await?.securite.as_ref().map(Into::into))
    }

    /// Les mesures de sécurité techniques, organisationnelles et physiques.
    async fn mesures_securite(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<formulaire::MesureSecurite>> {
        Ok(self
            .contenu(ctx)
            .await?
            .mesures
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Les certifications de sécurité et leurs justificatifs.
    async fn certifications(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<formulaire::CertificationSecurite>> {
        Ok(self
            .contenu(ctx)
            .await?
            .certifications
            .iter()
            .map(Into::into)
            .collect())
    }

    /// Les documents du dossier, du plus ancien au plus récent, remplacés compris (`remplace`)
    /// : pour l'entreprise, les siens et ceux que l'ARTCI lui montre ; pour les agents, tous.
    async fn documents(
        &self,
        ctx: &Context<'_>,
        filtre: Option<FiltreDocuments>,
    ) -> AppResult<Vec<DocumentJoint>> {
        let principal = ctx.principal()?;
        let filtre = filtre.unwrap_or_default();
        Ok(self
            .partie(ctx, DocumentsDe)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|d| crate::domain::documents::visible_pour(principal, d))
            .filter(|d| {
                filtre
                    .types
                    .as_ref()
                    .is_none_or(|t| t.contains(&d.type_document))
            })
            .filter(|d| {
                filtre
                    .statut_verification
                    .is_none_or(|s| s == d.statut_verification)
            })
            .filter(|d| filtre.remplaces.unwrap_or(true) || d.remplace_par_id.is_none())
            .map(DocumentJoint)
            .collect())
    }

    /// Les versions approuvées du dossier et leurs documents officiels (récépissé,
    /// autorisation ou attestation de dispense), la plus récente d'abord.
    async fn certificats(&self, ctx: &Context<'_>) -> AppResult<Vec<certificat::Certificat>> {
        let versions = self.partie(ctx, VersionsDe).await?.unwrap_or_default();
        Ok(certificat::Certificat::de_versions(versions))
    }

    /// Le document officiel en vigueur (celui de la version approuvée la plus récente) ;
    /// null tant que le dossier n'a jamais été validé.
    async fn certificat(&self, ctx: &Context<'_>) -> AppResult<Option<certificat::Certificat>> {
        let versions = self.partie(ctx, VersionsDe).await?.unwrap_or_default();
        Ok(certificat::Certificat::de_versions(versions)
            .into_iter()
            .next())
    }

    /// La déclaration modificative en cours, avec ce qu'elle change par rapport à la version
    /// approuvée ; null hors modification.
    async fn modification_en_cours(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Option<certificat::ModificationEnCours>> {
        // Batched: a page without amendments costs one query for all its rows.
        let Some(modification) = self.partie(ctx, ModificationDe).await? else {
            return Ok(None);
        };
        let mut conn = ctx.app().pool.get().await?;
        let (modification, base, differences) =
            crate::domain::modifications::en_cours(&mut conn, modification).await?;
        Ok(Some(certificat::ModificationEnCours {
            modification,
            version_base: base.version,
            differences,
        }))
    }

    /// Les retours de vérification de l'ARTCI, du plus ancien au plus récent : pour
    /// l'entreprise, ceux qui lui ont été envoyés ; pour les agents, tous, brouillons compris.
    async fn feedbacks(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<verification::FeedbackVerification>> {
        // Staff see every feedback, drafts included; the company only those sent to it.
        let tous = matches!(ctx.principal()?, crate::auth::Principal::Agent { .. });
        Ok(self
            .partie(ctx, FeedbacksDe)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|f| tous || f.visible_entreprise)
            .map(verification::FeedbackVerification)
            .collect())
    }

    /// Les attributions du dossier aux agents, de la plus ancienne à la plus récente.
    /// Réservé aux agents de l'ARTCI : une entreprise reçoit une liste vide.
    async fn assignations(&self, ctx: &Context<'_>) -> AppResult<Vec<verification::Assignation>> {
        self.assignations_visibles(ctx).await
    }

    /// La plus récente attribution du dossier (celle d'une liste de travail), ou `null`.
    /// Réservé aux agents de l'ARTCI : une entreprise reçoit `null`.
    async fn derniere_assignation(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Option<verification::Assignation>> {
        // The same list (and access rule) as `assignations`, oldest first: the last is the
        // latest.
        Ok(self.assignations_visibles(ctx).await?.pop())
    }
}

/// Où en est le dossier (table `entites_workflow`).
pub struct EntiteWorkflow(models::EntiteWorkflow);

#[Object]
impl EntiteWorkflow {
    async fn statut(&self) -> StatutWorkflow {
        self.0.statut
    }

    /// Verrou optimiste : chaque enregistrement renvoie la version lue et en reçoit une nouvelle.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn type_formalite(&self) -> Option<TypeFormalite> {
        self.0.type_formalite
    }

    async fn date_soumission(&self) -> Option<DateTime> {
        self.0.date_soumission.map(Into::into)
    }

    async fn date_limite_decision(&self) -> Option<Date> {
        self.0.date_limite_decision.map(Into::into)
    }

    /// `true` : le délai de décision de la soumission en cours a été prolongé d'un mois (il
    /// ne se prolonge qu'une fois par soumission).
    async fn delai_prolonge(&self) -> bool {
        self.0.prolongation_en_cours().is_some()
    }

    /// Le motif de la prolongation du délai de décision de la soumission en cours.
    async fn motif_prolongation(&self) -> Option<&str> {
        self.0.prolongation_en_cours()
    }

    /// Délivré à la validation d'une déclaration ou d'une dispense (`RCP-AAAA-NNNNNN`).
    async fn numero_recepisse(&self) -> Option<&str> {
        self.0.numero_recepisse.as_deref()
    }

    /// Délivré à la validation d'une autorisation préalable (`AUT-AAAA-NNNNNN`).
    async fn numero_autorisation_artci(&self) -> Option<&str> {
        self.0.numero_autorisation_artci.as_deref()
    }

    async fn date_validation(&self) -> Option<DateTime> {
        self.0.date_validation.map(Into::into)
    }

    /// Dernier jour de validité de l'agrément.
    async fn date_expiration(&self) -> Option<Date> {
        self.0.date_expiration.map(Into::into)
    }

    /// La dernière publication sur la carte publique.
    async fn date_publication(&self) -> Option<DateTime> {
        self.0.date_publication.map(Into::into)
    }

    async fn date_rejet(&self) -> Option<DateTime> {
        self.0.date_rejet.map(Into::into)
    }

    async fn motif_rejet(&self) -> Option<&str> {
        self.0.motif_rejet.as_deref()
    }
}

/// Représentant légal et coordonnées publiques (table `entites_contact`).
pub struct EntiteContact(models::EntiteContact);

#[Object]
impl EntiteContact {
    async fn representant_nom(&self) -> Option<&str> {
        self.0.representant_nom.as_deref()
    }

    async fn representant_fonction(&self) -> Option<&str> {
        self.0.representant_fonction.as_deref()
    }

    async fn representant_email(&self) -> Option<&str> {
        self.0.representant_email.as_deref()
    }

    async fn representant_telephone(&self) -> Option<&str> {
        self.0.representant_telephone.as_deref()
    }

    async fn site_web(&self) -> Option<&str> {
        self.0.site_web.as_deref()
    }

    async fn email_public(&self) -> Option<&str> {
        self.0.email_public.as_deref()
    }

    async fn telephone_public(&self) -> Option<&str> {
        self.0.telephone_public.as_deref()
    }
}

/// La position d'une entité (table `entites_localisation`), en degrés WGS 84.
pub struct EntiteLocalisation(models::EntiteLocalisation);

#[Object]
impl EntiteLocalisation {
    async fn latitude(&self) -> Option<f64> {
        self.0.geolocation.as_ref().map(|p| p.y)
    }

    async fn longitude(&self) -> Option<f64> {
        self.0.geolocation.as_ref().map(|p| p.x)
    }

    /// Précision de la position, en mètres.
    async fn precision_m(&self) -> Option<i32> {
        self.0.precision_m
    }

    async fn methode(&self) -> Option<MethodeLocalisation> {
        self.0.methode
    }

    async fn adresse_complete(&self) -> Option<&str> {
        self.0.adresse_complete.as_deref()
    }

    async fn commune(&self) -> Option<&str> {
        self.0.commune.as_deref()
    }

    async fn quartier(&self) -> Option<&str> {
        self.0.quartier.as_deref()
    }

    async fn code_postal(&self) -> Option<&str> {
        self.0.code_postal.as_deref()
    }
}

/// Score et statut de conformité (table `entites_conformite`).
pub struct EntiteConformite(models::EntiteConformite);

#[Object]
impl EntiteConformite {
    /// De 0 à 100.
    async fn score_conformite(&self) -> i32 {
        i32::from(self.0.score_conformite)
    }

    async fn statut_conformite(&self) -> StatutConformite {
        self.0.statut_conformite
    }

    /// La date avant laquelle se mettre en conformité, pour un dossier conforme sous réserve.
    async fn delai_mise_en_conformite(&self) -> Option<Date> {
        self.0.delai_mise_en_conformite.map(Into::into)
    }
}
