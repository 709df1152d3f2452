//! `moi`: who is calling.

use async_graphql::{Context, Object};

use crate::auth::Principal;
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::types::{Agent, CompteEntreprise, Moi};
use crate::models;

#[derive(Default)]
pub struct MoiQuery;

#[Object]
impl MoiQuery {
    /// Le compte appelant : un `CompteEntreprise` ou un `Agent` de l'ARTCI ; null quand
    /// l'appel est anonyme. Un compte désactivé ou supprimé n'est plus reconnu.
    async fn moi(&self, ctx: &Context<'_>) -> AppResult<Option<Moi>> {
        let principal = ctx.principal_even_restricted()?;
        if principal == Principal::Anonyme {
            return Ok(None);
        }
        let mut conn = ctx.app().pool.get().await?;
        match principal {
            Principal::Anonyme => Ok(None),
            Principal::Entreprise { compte_id } => {
                match models::comptes_entreprises::find_by_id(&mut conn, compte_id).await? {
                    Some(compte) if compte.est_actif => {
                        Ok(Some(Moi::CompteEntreprise(CompteEntreprise(compte))))
                    }
                    _ => Err(AppError::unauthenticated()),
                }
            }
            Principal::Agent { user_id, .. } => {
                match models::users::find_by_id(&mut conn, user_id).await? {
                    Some(user) if user.est_actif => Ok(Some(Moi::Agent(Agent(user)))),
                    _ => Err(AppError::unauthenticated()),
                }
            }
        }
    }
}
