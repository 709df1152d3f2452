//! Sign-up, OTP and passwords.

use async_graphql::{Context, InputObject, Object};

use crate::domain::comptes::{self, Client, Inscription, IssueOtp};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{
    ChangementMotDePasseRequis, Espace, InscriptionRecue, MESSAGE_CHANGEMENT, OtpVerifie,
    ResultatOtp, Session,
};
use crate::models::enums::{Region, TypeOtp};

pub fn client(ctx: &Context<'_>) -> Client {
    let request = ctx.request();
    Client {
        ip: request.ip,
        user_agent: request.user_agent.clone(),
    }
}

#[derive(InputObject)]
pub struct InscriptionInput {
    pub email: String,
    /// Au moins 8 caractères, avec majuscule, minuscule, chiffre et caractère spécial.
    pub mot_de_passe: String,
    pub denomination: String,
    /// NCC : 7 chiffres et une lettre (ex. 1234567A).
    pub numero_cc: String,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub region: Option<Region>,
}

#[derive(InputObject)]
pub struct VerifierOtpInput {
    pub email: String,
    pub code: String,
    #[graphql(name = "type")]
    pub type_: TypeOtp,
    #[graphql(default)]
    pub espace: Espace,
}

#[derive(InputObject)]
pub struct ReinitialiserMotDePasseInput {
    pub email: String,
    pub code: String,
    pub nouveau_mot_de_passe: String,
    #[graphql(default)]
    pub espace: Espace,
}

#[derive(InputObject)]
pub struct ChangerMotDePasseInput {
    pub ancien_mot_de_passe: String,
    pub nouveau_mot_de_passe: String,
}

#[derive(Default)]
pub struct ComptesMutation;

#[Object]
impl ComptesMutation {
    /// Inscription d'une entreprise : crée le compte (en attente de vérification par
    /// l'ARTCI) et envoie un code `INSCRIPTION` à l'adresse e-mail.
    async fn inscription(
        &self,
        ctx: &Context<'_>,
        input: InscriptionInput,
    ) -> AppResult<InscriptionRecue> {
        comptes::inscrire(
            ctx.app(),
            Inscription {
                email: input.email,
                mot_de_passe: input.mot_de_passe,
                denomination: input.denomination,
                numero_cc: input.numero_cc,
                telephone: input.telephone,
                adresse: input.adresse,
                ville: input.ville,
                region: input.region,
            },
            &client(ctx),
        )
        .await?;
        Ok(InscriptionRecue {
            message: "Un code de vérification a été envoyé à cette adresse e-mail.".into(),
        })
    }

    /// Vérifie un code : `INSCRIPTION` confirme l'adresse e-mail (`OtpVerifie`),
    /// `CONNEXION` termine une connexion sensible (`Session`).
    async fn verifier_otp(
        &self,
        ctx: &Context<'_>,
        input: VerifierOtpInput,
    ) -> AppResult<ResultatOtp> {
        let issue = comptes::verifier_otp(
            ctx.app(),
            &input.email,
            &input.code,
            input.type_,
            input.espace.into(),
            &client(ctx),
        )
        .await?;
        Ok(match issue {
            IssueOtp::Verifie => ResultatOtp::OtpVerifie(OtpVerifie { ok: true }),
            IssueOtp::Session(s) => ResultatOtp::Session(s.into()),
            IssueOtp::ChangementRequis(s) => {
                ResultatOtp::ChangementMotDePasseRequis(ChangementMotDePasseRequis {
                    message: MESSAGE_CHANGEMENT.into(),
                    session: s.into(),
                })
            }
        })
    }

    /// Renvoie un code. Répond toujours `true`, que l'adresse existe ou non.
    async fn renvoyer_otp(
        &self,
        ctx: &Context<'_>,
        email: String,
        #[graphql(name = "type")] type_: TypeOtp,
        #[graphql(default)] espace: Espace,
    ) -> AppResult<bool> {
        comptes::renvoyer_otp(ctx.app(), &email, type_, espace.into(), &client(ctx)).await
    }

    /// Mot de passe oublié : envoie un code `RESET_PASSWORD`. Répond toujours `true`.
    async fn mot_de_passe_oublie(
        &self,
        ctx: &Context<'_>,
        email: String,
        #[graphql(default)] espace: Espace,
    ) -> AppResult<bool> {
        comptes::mot_de_passe_oublie(ctx.app(), &email, espace.into(), &client(ctx)).await
    }

    /// Choisit un nouveau mot de passe avec le code reçu ; toutes les sessions se terminent.
    async fn reinitialiser_mot_de_passe(
        &self,
        ctx: &Context<'_>,
        input: ReinitialiserMotDePasseInput,
    ) -> AppResult<bool> {
        comptes::reinitialiser(
            ctx.app(),
            &input.email,
            &input.code,
            input.nouveau_mot_de_passe,
            input.espace.into(),
            &client(ctx),
        )
        .await
    }

    /// Change le mot de passe de l'appelant (permis aussi sur une session restreinte) :
    /// toutes ses sessions se terminent et une nouvelle est rendue.
    async fn changer_mot_de_passe(
        &self,
        ctx: &Context<'_>,
        input: ChangerMotDePasseInput,
    ) -> AppResult<Session> {
        let titulaire = super::sessions::titulaire(ctx.principal_even_restricted()?)?;
        ctx.un_essai_de_mot_de_passe("input.ancienMotDePasse")?;
        comptes::changer_mot_de_passe(
            ctx.app(),
            titulaire,
            input.ancien_mot_de_passe,
            input.nouveau_mot_de_passe,
            &client(ctx),
        )
        .await
        .map(Into::into)
    }
}
