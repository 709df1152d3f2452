//! Uploading the documents of a dossier.

use async_graphql::{Context, ID, InputObject, Object, Upload};
use axum::body::Bytes;

use crate::domain::documents::{self, Depot, TAILLE_MAX_OCTETS};
use crate::domain::verification;
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::types::{DocumentJoint, uuid_de};
use crate::models::enums::{StatutVerificationDocument, TypeDocument};

#[derive(InputObject)]
pub struct TeleverserDocumentInput {
    pub entite_id: ID,
    pub type_document: TypeDocument,
    /// Un PDF, PNG ou JPEG de 10 Mo au plus ; le type est reconnu au contenu.
    pub fichier: Upload,
    /// Pour un dépôt de l'ARTCI : faux pour que l'entreprise ne le voie pas (rapport
    /// d'inspection, note interne). Vrai par défaut ; une entreprise ne peut pas le mettre à
    /// faux.
    pub visible_entreprise: Option<bool>,
}

#[derive(InputObject)]
pub struct RemplacerDocumentInput {
    /// Un document de l'entreprise, non encore remplacé.
    pub document_id: ID,
    /// Le nouveau fichier (PDF, PNG ou JPEG, 10 Mo au plus), du même type de document.
    pub fichier: Upload,
}

/// Ce que l'ARTCI décide d'un document.
#[derive(async_graphql::Enum, Clone, Copy, PartialEq, Eq)]
pub enum DecisionDocument {
    Valide,
    Rejete,
}

#[derive(InputObject)]
pub struct VerifierDocumentInput {
    pub document_id: ID,
    pub statut: DecisionDocument,
    /// Obligatoire pour un rejet : ce qui ne va pas, montré à l'entreprise (5000 caractères
    /// au plus).
    pub motif: Option<String>,
}

#[derive(Default)]
pub struct DocumentsMutation;

#[Object]
impl DocumentsMutation {
    /// Joint un document au dossier d'une entité (requête multipart). Il faut pouvoir modifier
    /// le dossier : une entreprise sur son propre dossier modifiable, un éditeur (ou plus) sur
    /// un brouillon de l'ARTCI. Un fichier vide, de plus de 10 Mo ou qui n'est ni un PDF, ni
    /// un PNG, ni un JPEG est un `BAD_USER_INPUT` sur `input.fichier`.
    async fn televerser_document(
        &self,
        ctx: &Context<'_>,
        input: TeleverserDocumentInput,
    ) -> AppResult<DocumentJoint> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let (nom_fichier, contenu) = lire_fichier(ctx, &input.fichier, "input.fichier").await?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let document = documents::televerser(
            &mut conn,
            &app.stockage,
            principal,
            Depot {
                entite_id,
                type_document: input.type_document,
                nom_fichier,
                contenu,
            },
            input.visible_entreprise,
            (&app.config.storage).into(),
        )
        .await?;
        Ok(DocumentJoint(document))
    }

    /// Remplace un document de l'entreprise par un nouveau fichier (requête multipart), tant
    /// que le dossier est modifiable : l'ancien est gardé, marqué remplacé, pour l'historique.
    async fn remplacer_document(
        &self,
        ctx: &Context<'_>,
        input: RemplacerDocumentInput,
    ) -> AppResult<DocumentJoint> {
        let principal = ctx.principal()?;
        let document_id = uuid_de(&input.document_id, "input.documentId")?;
        let (nom_fichier, contenu) = lire_fichier(ctx, &input.fichier, "input.fichier").await?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let document = documents::remplacer(
            &mut conn,
            &app.stockage,
            principal,
            document_id,
            nom_fichier,
            contenu,
            (&app.config.storage).into(),
            app.clock.now(),
        )
        .await?;
        Ok(DocumentJoint(document))
    }

    /// Retire un document de l'entreprise que l'ARTCI n'a pas encore examiné, tant que le
    /// dossier est modifiable ; son fichier est effacé. Un document examiné se remplace.
    async fn supprimer_document(&self, ctx: &Context<'_>, document_id: ID) -> AppResult<bool> {
        let principal = ctx.principal()?;
        let document_id = uuid_de(&document_id, "documentId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        documents::supprimer(&mut conn, &app.stockage, principal, document_id).await?;
        Ok(true)
    }

    /// Valide ou rejette (avec un motif) un document déposé par l'entreprise : l'agent à qui
    /// le dossier est attribué ou un administrateur. Le rejet est écrit à l'historique et
    /// envoyé par e-mail à l'entreprise ; une pièce obligatoire rejetée empêche la décision
    /// `CONFORME` tant qu'elle n'est pas remplacée. Deux examens simultanés : le second reçoit
    /// `CONFLICT`.
    async fn verifier_document(
        &self,
        ctx: &Context<'_>,
        input: VerifierDocumentInput,
    ) -> AppResult<DocumentJoint> {
        let principal = ctx.principal()?;
        let document_id = uuid_de(&input.document_id, "input.documentId")?;
        let statut = match input.statut {
            DecisionDocument::Valide => StatutVerificationDocument::Valide,
            DecisionDocument::Rejete => StatutVerificationDocument::Rejete,
        };
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let document = verification::documents::verifier(
            &mut conn,
            principal,
            document_id,
            statut,
            input.motif,
            app.clock.now(),
        )
        .await?;
        Ok(DocumentJoint(document))
    }
}

/// A file of the multipart request, read into memory: the client's file name and the bytes.
/// One per request (`ContextExt::un_televersement`): aliases cannot store a file many times.
/// A file over 10 MB is refused from its size, before it is read; errors name `champ`. The
/// content itself is checked by the domain (`documents::verifier_fichier`).
pub(super) async fn lire_fichier(
    ctx: &Context<'_>,
    upload: &Upload,
    champ: &str,
) -> AppResult<(String, Bytes)> {
    ctx.un_televersement(champ)?;
    let fichier = upload
        .value(ctx)
        .map_err(|_| AppError::bad_input(champ, "Fichier absent de la requête."))?;
    let taille = fichier.size().map_err(AppError::internal)?;
    if taille > TAILLE_MAX_OCTETS as u64 {
        return Err(AppError::bad_input(champ, "Le fichier dépasse 10 Mo."));
    }
    let nom_fichier = fichier.filename.clone();
    // The upload sits in a temporary file: reading it blocks.
    let contenu = tokio::task::spawn_blocking(move || {
        let mut contenu = Vec::new();
        std::io::Read::read_to_end(&mut fichier.into_read(), &mut contenu).map(|_| contenu)
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    Ok((nom_fichier, Bytes::from(contenu)))
}
