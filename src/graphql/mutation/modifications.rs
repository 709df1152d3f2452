//! After approval: amending an approved dossier (déclaration modificative) and a duplicate of
//! its certificate.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::{certificats, decisions, modifications};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::certificat::Certificat;
use crate::graphql::types::{Entite, uuid_de};
use crate::models::versions_approuvees;

#[derive(InputObject)]
pub struct OuvrirModificationInput {
    /// Un dossier validé ou publié dont l'agrément court encore.
    pub entite_id: ID,
    /// Obligatoire : ce que la modification change et pourquoi (nouveau traitement, nouvelle
    /// adresse, nouveau correspondant…), 5000 caractères au plus.
    pub motif: Option<String>,
}

#[derive(Default)]
pub struct ModificationsMutation;

#[Object]
impl ModificationsMutation {
    /// Déclare une modification d'un dossier approuvé (déclaration modificative). Le dossier
    /// passe `EN_MODIFICATION` : l'entreprise le modifie comme un brouillon puis le soumet
    /// (`soumettreDossier`) ; il est vérifié comme une première demande. Pendant tout ce
    /// temps, la version approuvée reste en vigueur, l'entité reste conforme et le registre
    /// public continue de montrer cette version. Réservé à l'entreprise titulaire ; une seule
    /// modification ouverte à la fois (`CONFLICT`), jamais sur un agrément expiré.
    async fn ouvrir_modification(
        &self,
        ctx: &Context<'_>,
        input: OuvrirModificationInput,
    ) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&input.entite_id, "input.entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite = modifications::ouvrir(
            &mut conn,
            principal,
            entite_id,
            input.motif,
            app.clock.now(),
        )
        .await?;
        Ok(Entite::autorisee(entite))
    }

    /// Retire la modification en cours, tant qu'elle n'est pas en vérification : le dossier
    /// redevient exactement la version approuvée et retrouve son statut (validé ou publié).
    /// Réservé à l'entreprise titulaire.
    async fn annuler_modification(&self, ctx: &Context<'_>, entite_id: ID) -> AppResult<Entite> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let entite =
            modifications::annuler(&mut conn, principal, entite_id, app.clock.now()).await?;
        Ok(Entite::autorisee(entite))
    }

    /// Le document officiel en vigueur de l'entité (récépissé, autorisation ou attestation de
    /// dispense) : le même document que celui délivré, avec la même empreinte, à télécharger
    /// de nouveau. Pour l'entreprise titulaire et les agents ; `NOT_FOUND` si le dossier n'a
    /// jamais été validé. Un agrément validé avant que les versions ne soient conservées n'a
    /// pas encore de document : la demande d'un administrateur le délivre alors (version 1).
    async fn duplicata_attestation(
        &self,
        ctx: &Context<'_>,
        entite_id: ID,
    ) -> AppResult<Certificat> {
        let principal = ctx.principal()?;
        let entite_id = uuid_de(&entite_id, "entiteId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let emetteur = decisions::Emetteur {
            stockage: &app.stockage,
            base_publique: &app.config.dossiers.public_base_url,
        };
        let en_vigueur =
            certificats::duplicata(&mut conn, emetteur, principal, entite_id, app.clock.now())
                .await?;
        let versions = versions_approuvees::find_by_entites(&mut conn, &[entite_id]).await?;
        let derniere_version = versions.iter().map(|v| v.version).max().unwrap_or(0);
        let version = versions
            .into_iter()
            .find(|v| v.id == en_vigueur.id)
            .ok_or_else(|| crate::error::AppError::not_found("Certificat"))?;
        Ok(Certificat {
            version,
            derniere_version,
        })
    }
}
