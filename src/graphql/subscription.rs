//! The subscription root: live updates over WebSocket (`/graphql/ws`, graphql-transport-ws),
//! fed by the database's notifications (`evenements`), whichever replica made the change.
//!
//! Each event is checked twice before it reaches a subscriber: against who the subscriber
//! was when it subscribed (cheap, no query: most events are someone else's), then, for the
//! events that pass, against who it is now (its session still open, its account still
//! active, its current role), so that a closed session or a disabled account stops
//! receiving at its next event: the stream then ends with `UNAUTHENTICATED`. That second
//! check is one query per session and event, shared by all the session's subscriptions.
//!
//! A subscription also ends with `UNAUTHENTICATED` when the access token of its connection
//! expires (checked at each event and every two seconds meanwhile): the client opens a new
//! connection with a fresh token. A connection runs at most
//! `MAX_SUBSCRIPTIONS_PER_CONNECTION` subscriptions and an account
//! `MAX_SUBSCRIPTIONS_PER_ACCOUNT` (`RATE_LIMITED` beyond).

use async_graphql::{Context, ID, Object, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::auth::{self, AccessToken, Principal};
use crate::domain::acces::{self, Acces};
use crate::domain::roles;
use crate::error::{AppError, AppResult};
use crate::evenements::Evenement;
use crate::graphql::types::{Assignation, Entite, uuid_de};
use crate::graphql::{AbonnementsConnexion, ContextExt};
use crate::models::enums::{RoleUtilisateur, StatutAssignation, StatutWorkflow};
use crate::models::sessions::Titulaire;
use crate::models::{assignations_demandes, entites_base};
use crate::state::AppState;

#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Chaque changement d'un dossier : son statut, son contenu (nouvelle version), son agent
    /// ou la fin de son agrément. Une entreprise reçoit ceux de ses propres entités, les
    /// agents de l'ARTCI ceux de toutes ; `entiteId` restreint à une entité (celle d'une
    /// autre entreprise est `NOT_FOUND`).
    async fn dossier_modifie(
        &self,
        ctx: &Context<'_>,
        entite_id: Option<ID>,
    ) -> Result<impl Stream<Item = AppResult<DossierModifie>> + use<>, AppError> {
        let principal = ctx.principal()?;
        if principal == Principal::Anonyme {
            return Err(AppError::unauthenticated());
        }
        let entite = entite_id.map(|id| uuid_de(&id, "entiteId")).transpose()?;
        let app = ctx.app().clone();
        if let Some(id) = entite {
            let mut conn = app.pool.get().await?;
            acces::verifier(&mut conn, principal, id, Acces::Lecture).await?;
        }
        abonnement(ctx, move |qui, evenement| match *evenement {
            Evenement::Dossier {
                entite_id,
                compte_id,
                statut,
                version,
            } if entite.is_none_or(|e| e == entite_id) => {
                let visible = match qui {
                    Principal::Agent { .. } => true,
                    Principal::Entreprise { compte_id: moi } => compte_id == Some(moi),
                    Principal::Anonyme => false,
                };
                visible.then_some(DossierModifie {
                    entite_id,
                    statut,
                    version,
                })
            }
            _ => None,
        })
    }

    /// Chaque changement du panier de l'agent appelant : une assignation qui lui est faite,
    /// retirée (réassignée à un autre), qui change de statut ou d'échéance. Réservé aux
    /// éditeurs et au-delà.
    async fn panier_modifie(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = AppResult<AssignationModifiee>> + use<>, AppError> {
        ctx.require_role(RoleUtilisateur::Editeur)?;
        abonnement(ctx, |qui, evenement| {
            let Principal::Agent { user_id, role } = qui else {
                return None;
            };
            let modifiee = AssignationModifiee::depuis(evenement)?;
            let concerne =
                modifiee.agent_id == user_id || modifiee.ancien_agent_id == Some(user_id);
            (concerne && roles::au_moins(role, RoleUtilisateur::Editeur)).then_some(modifiee)
        })
    }

    /// Chaque entrée ou sortie de la liste des traitements à valider (N+1) : une assignation
    /// qui passe en attente de validation, ou qui la quitte (validée ou renvoyée à l'agent).
    /// Réservé aux administrateurs.
    async fn validations_modifiees(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = AppResult<AssignationModifiee>> + use<>, AppError> {
        ctx.require_role(RoleUtilisateur::Admin)?;
        abonnement(ctx, |qui, evenement| {
            let Principal::Agent { role, .. } = qui else {
                return None;
            };
            let modifiee = AssignationModifiee::depuis(evenement)?;
            let attente = Some(StatutAssignation::TraiteAttenteValidation);
            let concerne = Some(modifiee.statut) == attente || modifiee.ancien_statut == attente;
            (concerne && roles::au_moins(role, RoleUtilisateur::Admin)).then_some(modifiee)
        })
    }
}

/// The events `garder` turns into items for the caller of `ctx`, each checked against who
/// the caller was when it subscribed, then against who it is now (see the module's doc).
///
/// A subscription holds a place of its connection (`MAX_SUBSCRIPTIONS_PER_CONNECTION`) and
/// of its account (`MAX_SUBSCRIPTIONS_PER_ACCOUNT`) while it runs, and ends with
/// `UNAUTHENTICATED` when the connection's access token expires.
fn abonnement<T, F>(
    ctx: &Context<'_>,
    garder: F,
) -> AppResult<impl Stream<Item = AppResult<T>> + use<T, F>>
where
    T: Send + 'static,
    F: Fn(Principal, &Evenement) -> Option<T> + Send + 'static,
{
    let app = ctx.app().clone();
    let requete = ctx.request();
    let abonne = Abonne {
        principal: requete.principal.unwrap_or(Principal::Anonyme),
        session_id: requete.session_id,
        expire_le: requete.expire_le,
    };
    if abonne.expire(&app) {
        return Err(jeton_expire());
    }
    let connexion = match ctx.data_opt::<AbonnementsConnexion>() {
        Some(AbonnementsConnexion(places)) => {
            Some(places.clone().try_acquire_owned().map_err(|_| {
                AppError::rate_limited_because(format!(
                    "Au plus {} abonnements par connexion (MAX_SUBSCRIPTIONS_PER_CONNECTION).",
                    app.config.http.max_subscriptions_per_connection
                ))
            })?)
        }
        None => None,
    };
    let compte = match abonne.principal {
        Principal::Entreprise { compte_id } => Some(compte_id),
        Principal::Agent { user_id, .. } => Some(user_id),
        Principal::Anonyme => None,
    };
    let compte = match compte {
        Some(id) => Some(app.abonnements.prendre(id).ok_or_else(|| {
            AppError::rate_limited_because(format!(
                "Au plus {} abonnements à la fois par compte (MAX_SUBSCRIPTIONS_PER_ACCOUNT).",
                app.abonnements.max()
            ))
        })?),
        None => None,
    };
    let recepteur = app.evenements.abonner();
    let places = (connexion, compte);
    Ok(futures_util::stream::unfold(
        Some((recepteur, app, abonne, garder, places)),
        |etat| async move {
            let (mut recepteur, app, abonne, garder, places) = etat?;
            loop {
                let recu = tokio::select! {
                    recu = recepteur.recv() => recu,
                    () = tokio::time::sleep(VERIFICATION_EXPIRATION) => {
                        if abonne.expire(&app) {
                            return Some((Err(jeton_expire()), None));
                        }
                        continue;
                    }
                };
                let (numero, evenement) = match recu {
                    Ok(recu) => recu,
                    Err(RecvError::Lagged(perdus)) => {
                        tracing::warn!(perdus, "abonné en retard : événements perdus");
                        continue;
                    }
                    Err(RecvError::Closed) => return None,
                };
                if abonne.expire(&app) {
                    return Some((Err(jeton_expire()), None));
                }
                if garder(abonne.principal, &evenement).is_none() {
                    continue;
                }
                let item = match abonne.actuel(&app, numero).await {
                    Ok(actuel) => match garder(actuel, &evenement) {
                        Some(item) => Ok(item),
                        None => continue,
                    },
                    Err(e) => Err(e),
                };
                let fin = item.is_err();
                let suite = (!fin).then_some((recepteur, app, abonne, garder, places));
                return Some((item, suite));
            }
        },
    ))
}

/// How often an idle subscription checks whether its token has expired.
const VERIFICATION_EXPIRATION: std::time::Duration = std::time::Duration::from_secs(2);

fn jeton_expire() -> AppError {
    AppError::unauthenticated_because(
        "Le jeton d'accès a expiré : l'abonnement prend fin. Rouvrez-le avec un nouveau jeton.",
    )
}

/// The subscriber as its token named it when it subscribed.
#[derive(Debug, Clone, Copy)]
struct Abonne {
    principal: Principal,
    session_id: Option<Uuid>,
    expire_le: Option<DateTime<Utc>>,
}

impl Abonne {
    fn expire(&self, app: &AppState) -> bool {
        self.expire_le.is_some_and(|fin| app.clock.now() >= fin)
    }

    /// Who the subscriber is now: `UNAUTHENTICATED` once its session is closed or its account
    /// disabled. Checked once per session and event, whatever the number of the session's
    /// subscriptions (`AppState::sessions_abonnees`).
    async fn actuel(&self, app: &AppState, numero: u64) -> AppResult<Principal> {
        let titulaire = match self.principal {
            Principal::Entreprise { compte_id } => Titulaire::Compte(compte_id),
            Principal::Agent { user_id, .. } => Titulaire::Agent(user_id),
            Principal::Anonyme => return Err(AppError::unauthenticated()),
        };
        let session_id = self.session_id.ok_or_else(AppError::unauthenticated)?;
        let verifier = async {
            let mut conn = app
                .pool
                .get()
                .await
                .map_err(|_| auth::TokenError::Unavailable)?;
            let jeton = AccessToken {
                titulaire,
                session_id,
                expire_le: self.expire_le.unwrap_or(DateTime::<Utc>::MAX_UTC),
            };
            auth::resolve(&mut conn, jeton, app.clock.now())
                .await
                .map(|(principal, _)| principal)
        };
        match app
            .sessions_abonnees
            .obtenir(session_id, numero, verifier)
            .await
        {
            Ok(principal) => Ok(principal),
            Err(auth::TokenError::Unavailable) => Err(AppError::unavailable()),
            Err(_) => Err(AppError::unauthenticated()),
        }
    }
}

/// Un dossier a changé.
pub struct DossierModifie {
    entite_id: Uuid,
    statut: StatutWorkflow,
    version: i32,
}

#[Object]
impl DossierModifie {
    async fn entite_id(&self) -> ID {
        ID(self.entite_id.to_string())
    }

    /// Le statut du dossier après le changement.
    async fn statut(&self) -> StatutWorkflow {
        self.statut
    }

    /// La version du dossier après le changement (celle qu'attendent les enregistrements).
    async fn version(&self) -> i32 {
        self.version
    }

    /// Le dossier tel qu'il est maintenant (`null` s'il a été supprimé).
    async fn entite(&self, ctx: &Context<'_>) -> AppResult<Option<Entite>> {
        let principal = ctx.principal()?;
        let mut conn = ctx.app().pool.get().await?;
        match acces::verifier(&mut conn, principal, self.entite_id, Acces::Lecture).await {
            Ok((entite, _)) => Ok(Some(Entite::autorisee(entite))),
            Err(e) if e.code() == crate::error::Code::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Une assignation a été créée ou a changé de statut, d'agent ou d'échéance.
pub struct AssignationModifiee {
    assignation_id: Uuid,
    entite_id: Uuid,
    agent_id: Uuid,
    ancien_agent_id: Option<Uuid>,
    statut: StatutAssignation,
    ancien_statut: Option<StatutAssignation>,
}

impl AssignationModifiee {
    fn depuis(evenement: &Evenement) -> Option<Self> {
        match *evenement {
            Evenement::Assignation {
                assignation_id,
                entite_id,
                agent_id,
                ancien_agent_id,
                statut,
                ancien_statut,
            } => Some(Self {
                assignation_id,
                entite_id,
                agent_id,
                ancien_agent_id,
                statut,
                ancien_statut,
            }),
            Evenement::Dossier { .. } => None,
        }
    }
}

#[Object]
impl AssignationModifiee {
    async fn assignation_id(&self) -> ID {
        ID(self.assignation_id.to_string())
    }

    async fn entite_id(&self) -> ID {
        ID(self.entite_id.to_string())
    }

    /// Le statut de l'assignation après le changement.
    async fn statut(&self) -> StatutAssignation {
        self.statut
    }

    /// Le statut avant le changement (`null` pour une nouvelle assignation).
    async fn ancien_statut(&self) -> Option<StatutAssignation> {
        self.ancien_statut
    }

    /// L'assignation telle qu'elle est maintenant, avec son dossier.
    async fn assignation(&self, ctx: &Context<'_>) -> AppResult<Option<Assignation>> {
        ctx.require_staff()?;
        let mut conn = ctx.app().pool.get().await?;
        let Some(assignation) =
            assignations_demandes::find_by_id(&mut conn, self.assignation_id).await?
        else {
            return Ok(None);
        };
        let entite = entites_base::find_by_id(&mut conn, assignation.entite_id).await?;
        Ok(Some(Assignation::autorisee(assignation, Some(entite))))
    }
}
