//! ARTCI's staff, managed by a super_admin.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::agents::{self, SaisieAgent};
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::{Agent, uuid_de};
use crate::models::enums::RoleUtilisateur;

#[derive(InputObject)]
pub struct CreerAgentInput {
    /// Adresse e-mail professionnelle : l'agent y reçoit son mot de passe temporaire.
    pub email: String,
    pub nom: String,
    pub prenom: String,
    pub role: RoleUtilisateur,
    /// Le supérieur (N+1) : un administrateur actif.
    pub superieur_id: Option<ID>,
    /// Numéro ivoirien à 10 chiffres, avec ou sans +225.
    pub telephone: Option<String>,
}

#[derive(InputObject)]
pub struct ModifierRoleAgentInput {
    pub agent_id: ID,
    pub role: RoleUtilisateur,
}

#[derive(InputObject)]
pub struct DefinirSuperieurInput {
    pub agent_id: ID,
    /// Le nouveau supérieur (N+1), un administrateur actif ; null retire le supérieur.
    pub superieur_id: Option<ID>,
}

#[derive(Default)]
pub struct AgentsMutation;

#[Object]
impl AgentsMutation {
    /// Crée un compte agent de l'ARTCI. Un mot de passe temporaire aléatoire lui est envoyé
    /// par e-mail ; il devra le changer à sa première connexion. Réservé au super
    /// administrateur ; une adresse déjà utilisée est un `CONFLICT`.
    async fn creer_agent(&self, ctx: &Context<'_>, input: CreerAgentInput) -> AppResult<Agent> {
        ctx.require_role(RoleUtilisateur::SuperAdmin)?;
        let superieur_id = input
            .superieur_id
            .as_ref()
            .map(|id| uuid_de(id, "input.superieurId"))
            .transpose()?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let agent = agents::creer(
            &mut conn,
            SaisieAgent {
                email: input.email,
                nom: input.nom,
                prenom: input.prenom,
                role: input.role,
                superieur_id,
                telephone: input.telephone,
            },
            app.clock.now(),
        )
        .await?;
        Ok(Agent(agent))
    }

    /// Change le rôle d'un agent ; il s'applique dès sa requête suivante. Un super
    /// administrateur ne peut pas modifier son propre rôle. Réservé au super administrateur.
    async fn modifier_role_agent(
        &self,
        ctx: &Context<'_>,
        input: ModifierRoleAgentInput,
    ) -> AppResult<Agent> {
        let (acteur_id, _) = ctx.require_role(RoleUtilisateur::SuperAdmin)?;
        let agent_id = uuid_de(&input.agent_id, "input.agentId")?;
        let mut conn = ctx.app().pool.get().await?;
        let agent = agents::modifier_role(&mut conn, acteur_id, agent_id, input.role).await?;
        Ok(Agent(agent))
    }

    /// Désactive un agent : il ne peut plus se connecter et ses sessions prennent fin
    /// aussitôt. Un super administrateur ne peut pas se désactiver lui-même. Réservé au
    /// super administrateur.
    async fn desactiver_agent(&self, ctx: &Context<'_>, agent_id: ID) -> AppResult<Agent> {
        let (acteur_id, _) = ctx.require_role(RoleUtilisateur::SuperAdmin)?;
        let agent_id = uuid_de(&agent_id, "agentId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let agent =
            agents::changer_activite(&mut conn, acteur_id, agent_id, false, app.clock.now())
                .await?;
        Ok(Agent(agent))
    }

    /// Réactive un agent désactivé. Réservé au super administrateur.
    async fn reactiver_agent(&self, ctx: &Context<'_>, agent_id: ID) -> AppResult<Agent> {
        let (acteur_id, _) = ctx.require_role(RoleUtilisateur::SuperAdmin)?;
        let agent_id = uuid_de(&agent_id, "agentId")?;
        let app = ctx.app();
        let mut conn = app.pool.get().await?;
        let agent =
            agents::changer_activite(&mut conn, acteur_id, agent_id, true, app.clock.now()).await?;
        Ok(Agent(agent))
    }

    /// Désigne le supérieur (N+1) d'un agent : un administrateur actif, pas l'agent lui-même,
    /// sans créer de cycle ; null le retire. Réservé au super administrateur.
    async fn definir_superieur(
        &self,
        ctx: &Context<'_>,
        input: DefinirSuperieurInput,
    ) -> AppResult<Agent> {
        ctx.require_role(RoleUtilisateur::SuperAdmin)?;
        let agent_id = uuid_de(&input.agent_id, "input.agentId")?;
        let superieur_id = input
            .superieur_id
            .as_ref()
            .map(|id| uuid_de(id, "input.superieurId"))
            .transpose()?;
        let mut conn = ctx.app().pool.get().await?;
        let agent = agents::definir_superieur(&mut conn, agent_id, superieur_id).await?;
        Ok(Agent(agent))
    }
}
