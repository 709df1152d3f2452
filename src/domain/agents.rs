//! ARTCI's staff, managed by a super_admin: creating an agent (with a temporary password
//! mailed to them), changing a role, disabling and re-enabling, naming the N+1.
//!
//! Rules kept here:
//! - a super_admin cannot disable or demote themself, so the registry always keeps one;
//! - an N+1 is an active `admin` or `super_admin`, never the agent itself, and the N+1 links
//!   form no cycle; an agent who is the N+1 of active agents cannot be demoted below admin or
//!   disabled until those agents have another N+1 (else the link would break the rule);
//! - changes to the hierarchy (roles, activity, N+1 links) are serialised by a transaction
//!   lock, so two concurrent changes cannot build a cycle together;
//! - re-enabling an agent whose N+1 is no longer an active admin drops that link;
//! - disabling ends the agent's sessions at once; a role change needs no revocation, since
//!   every request reads the current role (`auth::resolve`).

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rand::TryRngCore;
use rand::rngs::OsRng;
use rand::seq::{IndexedRandom, SliceRandom};
use uuid::Uuid;

use crate::domain::mot_de_passe;
use crate::domain::validation::{normalize_email, normalize_phone, required_text};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Courriel};
use crate::models::enums::RoleUtilisateur;
use crate::models::sessions::{self, Titulaire};
use crate::models::users::{self, NouvelAgent, User};

/// Longest name or first name accepted.
pub const NOM_MAX: usize = 100;
/// Length of a temporary password.
pub const LONGUEUR_MOT_DE_PASSE_TEMPORAIRE: usize = 16;

/// A new agent as the super_admin typed it (not yet validated).
#[derive(Debug, Clone)]
pub struct SaisieAgent {
    pub email: String,
    pub nom: String,
    pub prenom: String,
    pub role: RoleUtilisateur,
    pub superieur_id: Option<Uuid>,
    pub telephone: Option<String>,
}

fn est_admin(role: RoleUtilisateur) -> bool {
    matches!(role, RoleUtilisateur::Admin | RoleUtilisateur::SuperAdmin)
}

/// Checks and normalises a new agent's fields; errors name the input field.
fn valider(saisie: &SaisieAgent) -> AppResult<NouvelAgent> {
    let email =
        normalize_email(&saisie.email).map_err(|m| AppError::bad_input("input.email", m))?;
    let nom =
        required_text(&saisie.nom, NOM_MAX).map_err(|m| AppError::bad_input("input.nom", m))?;
    let prenom = required_text(&saisie.prenom, NOM_MAX)
        .map_err(|m| AppError::bad_input("input.prenom", m))?;
    let telephone = match saisie.telephone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(normalize_phone(t).map_err(|m| AppError::bad_input("input.telephone", m))?),
    };
    Ok(NouvelAgent {
        nom,
        prenom,
        email,
        password_hash: String::new(),
        role: saisie.role,
        superieur_id: saisie.superieur_id,
        telephone,
        doit_changer_mot_de_passe: true,
    })
}

const MAJUSCULES: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const MINUSCULES: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const CHIFFRES: &[u8] = b"23456789";
const SPECIAUX: &[u8] = b"!#$%*+-=?@_";

/// A random temporary password meeting the policy: 16 characters drawn by the operating
/// system's cryptographic generator, at least one of each class, without the look-alike
/// characters (I, l, O, 0, 1) a person copying it from a mail would confuse.
pub fn mot_de_passe_temporaire() -> String {
    let mut rng = OsRng.unwrap_err();
    let tous: Vec<u8> = [MAJUSCULES, MINUSCULES, CHIFFRES, SPECIAUX].concat();
    let mut octets: Vec<u8> = [MAJUSCULES, MINUSCULES, CHIFFRES, SPECIAUX]
        .iter()
        .map(|classe| *classe.choose(&mut rng).expect("classe non vide"))
        .collect();
    while octets.len() < LONGUEUR_MOT_DE_PASSE_TEMPORAIRE {
        octets.push(*tous.choose(&mut rng).expect("alphabet non vide"));
    }
    octets.shuffle(&mut rng);
    String::from_utf8(octets).expect("alphabet ASCII")
}

/// Checks that `superieur_id` may be the N+1 of `agent_id` (`None`: an agent being created).
/// `champ` names the input field in errors.
async fn verifier_superieur(
    conn: &mut AsyncPgConnection,
    agent_id: Option<Uuid>,
    superieur_id: Uuid,
    champ: &str,
) -> AppResult<()> {
    if agent_id == Some(superieur_id) {
        return Err(AppError::bad_input(
            champ,
            "Un agent ne peut pas être son propre supérieur.",
        ));
    }
    let superieur = users::find_by_id(conn, superieur_id)
        .await?
        .ok_or_else(|| AppError::not_found("Supérieur"))?;
    if !superieur.est_actif || !est_admin(superieur.role) {
        return Err(AppError::bad_input(
            champ,
            "Le supérieur (N+1) doit être un administrateur actif.",
        ));
    }
    if let Some(agent_id) = agent_id
        && users::superior_chain(conn, superieur_id)
            .await?
            .contains(&agent_id)
    {
        return Err(AppError::bad_input(
            champ,
            "Ce choix créerait un cycle : ce supérieur dépend déjà de cet agent.",
        ));
    }
    Ok(())
}

/// Refuses to take `agent` out of the admins while active agents have them as N+1.
async fn verifier_sans_subordonnes(conn: &mut AsyncPgConnection, agent: &User) -> AppResult<()> {
    let n = users::count_active_subordinates(conn, agent.id).await?;
    if n > 0 {
        return Err(AppError::conflict(format!(
            "Cet agent est le supérieur (N+1) de {n} agent(s) actif(s) : désignez-leur d'abord \
             un autre supérieur."
        )));
    }
    Ok(())
}

async fn agent_verrouille(conn: &mut AsyncPgConnection, agent_id: Uuid) -> AppResult<User> {
    users::find_by_id_for_update(conn, agent_id)
        .await?
        .ok_or_else(|| AppError::not_found("Agent"))
}

/// Creates an agent with a random temporary password (which they must change at their
/// first login) and queues the mail that gives it to them.
pub async fn creer(
    conn: &mut AsyncPgConnection,
    saisie: SaisieAgent,
    now: DateTime<Utc>,
) -> AppResult<User> {
    let mut nouvel = valider(&saisie)?;
    let mot_de_passe = mot_de_passe_temporaire();
    nouvel.password_hash = mot_de_passe::hash(mot_de_passe.clone())
        .await
        .map_err(AppError::internal)?;
    conn.transaction(async |conn| {
        users::lock_hierarchy(conn).await?;
        if users::find_by_email(conn, &nouvel.email).await?.is_some() {
            return Err(AppError::conflict(
                "Un agent utilise déjà cette adresse e-mail.",
            ));
        }
        if let Some(superieur_id) = nouvel.superieur_id {
            verifier_superieur(conn, None, superieur_id, "input.superieurId").await?;
        }
        let agent = users::create_agent(conn, &nouvel).await?;
        mail::mettre_en_file(
            conn,
            &agent.email,
            &Courriel::CompteAgentCree {
                prenom: agent.prenom.clone(),
                mot_de_passe_temporaire: mot_de_passe,
            },
            now,
        )
        .await?;
        Ok(agent)
    })
    .await
}

/// Gives `agent_id` the role `role`, on behalf of the super_admin `acteur_id`.
pub async fn modifier_role(
    conn: &mut AsyncPgConnection,
    acteur_id: Uuid,
    agent_id: Uuid,
    role: RoleUtilisateur,
) -> AppResult<User> {
    conn.transaction(async |conn| {
        users::lock_hierarchy(conn).await?;
        let agent = agent_verrouille(conn, agent_id).await?;
        if agent.role == role {
            return Ok(agent);
        }
        if agent_id == acteur_id {
            return Err(AppError::conflict(
                "Vous ne pouvez pas modifier votre propre rôle : un autre super administrateur \
                 doit le faire.",
            ));
        }
        if est_admin(agent.role) && !est_admin(role) {
            verifier_sans_subordonnes(conn, &agent).await?;
        }
        Ok(users::set_role(conn, agent_id, role).await?)
    })
    .await
}

/// Disables (`actif = false`) or re-enables an agent, on behalf of the super_admin
/// `acteur_id`. Disabling ends their sessions at once. Already in that state: unchanged.
pub async fn changer_activite(
    conn: &mut AsyncPgConnection,
    acteur_id: Uuid,
    agent_id: Uuid,
    actif: bool,
    now: DateTime<Utc>,
) -> AppResult<User> {
    conn.transaction(async |conn| {
        users::lock_hierarchy(conn).await?;
        let agent = agent_verrouille(conn, agent_id).await?;
        if agent.est_actif == actif {
            return Ok(agent);
        }
        if !actif {
            if agent_id == acteur_id {
                return Err(AppError::conflict(
                    "Vous ne pouvez pas désactiver votre propre compte.",
                ));
            }
            verifier_sans_subordonnes(conn, &agent).await?;
            sessions::revoke_all(
                conn,
                Titulaire::Agent(agent_id),
                None,
                "compte_desactive",
                now,
            )
            .await?;
        } else if let Some(superieur_id) = agent.superieur_id {
            // While the agent was away their N+1 may have left the admins: a link that
            // breaks the rule is dropped rather than restored.
            let superieur = users::find_by_id(conn, superieur_id).await?;
            if !superieur.is_some_and(|s| s.est_actif && est_admin(s.role)) {
                users::set_superieur(conn, agent_id, None).await?;
            }
        }
        Ok(users::set_actif(conn, agent_id, actif).await?)
    })
    .await
}

/// Names `superieur_id` the N+1 of `agent_id` (`None` removes it).
pub async fn definir_superieur(
    conn: &mut AsyncPgConnection,
    agent_id: Uuid,
    superieur_id: Option<Uuid>,
) -> AppResult<User> {
    conn.transaction(async |conn| {
        users::lock_hierarchy(conn).await?;
        let agent = agent_verrouille(conn, agent_id).await?;
        if agent.superieur_id == superieur_id {
            return Ok(agent);
        }
        if let Some(superieur_id) = superieur_id {
            verifier_superieur(conn, Some(agent_id), superieur_id, "input.superieurId").await?;
        }
        Ok(users::set_superieur(conn, agent_id, superieur_id).await?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_mot_de_passe_temporaire_respecte_la_politique() {
        let mut vus = std::collections::HashSet::new();
        for _ in 0..200 {
            let mdp = mot_de_passe_temporaire();
            assert_eq!(mdp.len(), LONGUEUR_MOT_DE_PASSE_TEMPORAIRE);
            assert_eq!(mot_de_passe::check_new_password(&mdp), Ok(()), "{mdp}");
            assert!(!mdp.contains(['I', 'l', 'O', '0', '1']), "{mdp}");
            assert!(vus.insert(mdp));
        }
    }

    fn saisie() -> SaisieAgent {
        SaisieAgent {
            email: " Yao.Kouadio@ARTCI.ci ".into(),
            nom: " Kouadio ".into(),
            prenom: "Yao".into(),
            role: RoleUtilisateur::Editeur,
            superieur_id: None,
            telephone: Some("07 07 07 07 07".into()),
        }
    }

    #[test]
    fn une_saisie_valide_est_normalisee() {
        let nouvel = valider(&saisie()).unwrap();
        assert_eq!(nouvel.email, "yao.kouadio@artci.ci");
        assert_eq!(nouvel.nom, "Kouadio");
        assert_eq!(nouvel.telephone.as_deref(), Some("+2250707070707"));
        assert!(nouvel.doit_changer_mot_de_passe);
    }

    #[test]
    fn chaque_champ_invalide_est_nomme() {
        type Abimer = fn(&mut SaisieAgent);
        let cas: [(Abimer, &str); 4] = [
            (|s| s.email = "pas-un-email".into(), "input.email"),
            (|s| s.nom = "  ".into(), "input.nom"),
            (|s| s.prenom = "x".repeat(NOM_MAX + 1), "input.prenom"),
            (|s| s.telephone = Some("123".into()), "input.telephone"),
        ];
        for (abimer, champ) in cas {
            let mut s = saisie();
            abimer(&mut s);
            assert_eq!(valider(&s).unwrap_err().field(), Some(champ));
        }
    }
}
