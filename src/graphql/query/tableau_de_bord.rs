//! ARTCI's dashboard: the period's dossiers by status, region and sector, and each agent's
//! workload.

use async_graphql::{Context, Object};

use crate::domain::tableau_de_bord;
use crate::error::AppResult;
use crate::graphql::ContextExt;
use crate::graphql::types::tableau_de_bord::{PeriodeInput, TableauDeBord};
use crate::models::enums::RoleUtilisateur;

#[derive(Default)]
pub struct TableauDeBordQuery;

#[Object]
impl TableauDeBordQuery {
    /// Le tableau de bord de l'ARTCI sur une période : les dossiers soumis sur la période par
    /// statut, statut de conformité, région et secteur, et la charge de chaque agent.
    /// Réservé aux administrateurs : il montre le travail de tous les agents.
    //
    // Admin and above, not every staff role: the board names each agent with their open,
    // overdue and finished work, which is a manager's view (admins assign dossiers and
    // validate the agents' work as N+1). An editeur sees its own basket (`panier`), a
    // lecteur the dossiers (`entites`), neither their colleagues' workload.
    async fn tableau_de_bord(
        &self,
        ctx: &Context<'_>,
        periode: PeriodeInput,
    ) -> AppResult<TableauDeBord> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        let aujourd_hui = ctx.app().clock.today();
        let periode = tableau_de_bord::periode(
            periode.type_periode.into(),
            periode.debut.map(Into::into),
            periode.fin.map(Into::into),
            aujourd_hui,
        )?;
        let mut conn = ctx.app().pool.get().await?;
        Ok(
            tableau_de_bord::tableau_de_bord(&mut conn, periode, aujourd_hui)
                .await?
                .into(),
        )
    }
}
