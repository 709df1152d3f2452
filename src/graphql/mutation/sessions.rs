//! Login, refresh and logout.

use async_graphql::{Context, InputObject, Object};

use crate::auth::Principal;
use crate::domain::comptes::{self, IssueConnexion};
use crate::error::{AppError, AppResult};
use crate::graphql::ContextExt;
use crate::graphql::types::{
    ChangementMotDePasseRequis, Espace, MESSAGE_CHANGEMENT, OtpRequis, ResultatConnexion, Session,
};
use crate::models::sessions::Titulaire;

use super::comptes::client;

pub fn titulaire(principal: Principal) -> AppResult<Titulaire> {
    match principal {
        Principal::Entreprise { compte_id } => Ok(Titulaire::Compte(compte_id)),
        Principal::Agent { user_id, .. } => Ok(Titulaire::Agent(user_id)),
        Principal::Anonyme => Err(AppError::unauthenticated()),
    }
}

#[derive(InputObject)]
pub struct ConnexionInput {
    pub email: String,
    pub mot_de_passe: String,
    #[graphql(default)]
    pub espace: Espace,
}

#[derive(Default)]
pub struct SessionsMutation;

#[Object]
impl SessionsMutation {
    /// Connexion par e-mail et mot de passe. Un e-mail inconnu et un mauvais mot de passe
    /// reçoivent la même réponse (`UNAUTHENTICATED`).
    async fn connexion(
        &self,
        ctx: &Context<'_>,
        input: ConnexionInput,
    ) -> AppResult<ResultatConnexion> {
        ctx.un_essai_de_mot_de_passe("input.motDePasse")?;
        let issue = comptes::connecter(
            ctx.app(),
            &input.email,
            input.mot_de_passe,
            input.espace.into(),
            &client(ctx),
        )
        .await?;
        Ok(match issue {
            IssueConnexion::Session(s) => ResultatConnexion::Session(s.into()),
            IssueConnexion::OtpRequis => ResultatConnexion::OtpRequis(OtpRequis {
                message: "Connexion inhabituelle : un code vous a été envoyé par e-mail.".into(),
            }),
            IssueConnexion::ChangementRequis(s) => {
                ResultatConnexion::ChangementMotDePasseRequis(ChangementMotDePasseRequis {
                    message: MESSAGE_CHANGEMENT.into(),
                    session: s.into(),
                })
            }
        })
    }

    /// Échange un jeton de rafraîchissement contre une nouvelle session (rotation). Un
    /// jeton déjà utilisé révoque toute sa session.
    async fn rafraichir_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> AppResult<Session> {
        comptes::rafraichir(ctx.app(), &refresh_token, &client(ctx))
            .await
            .map(Into::into)
    }

    /// Termine la session appelante : ses jetons cessent de fonctionner immédiatement.
    async fn deconnexion(&self, ctx: &Context<'_>) -> AppResult<bool> {
        ctx.principal_even_restricted()?;
        let session_id = ctx
            .request()
            .session_id
            .ok_or_else(AppError::unauthenticated)?;
        comptes::deconnecter(ctx.app(), session_id).await
    }
}
