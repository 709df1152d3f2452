//! Operator commands beside `serve`.

use std::io::IsTerminal;

use anyhow::{Context as _, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::config::CreateUserArgs;
use crate::domain::{mot_de_passe, validation};
use crate::models::enums::RoleUtilisateur;
use crate::models::users::{self, NouvelUtilisateur};

/// `registre-dcp create-user`: creates an ARTCI staff account. The password comes from
/// `REGISTRE_PASSWORD`, or is asked for twice on the terminal; it must meet the policy.
pub async fn create_user(args: CreateUserArgs) -> anyhow::Result<()> {
    let email = validation::normalize_email(&args.email).map_err(anyhow::Error::msg)?;
    let nom =
        validation::required_text(&args.nom, 100).map_err(|e| anyhow::anyhow!("--nom : {e}"))?;
    let prenom = validation::required_text(&args.prenom, 100)
        .map_err(|e| anyhow::anyhow!("--prenom : {e}"))?;
    let Some(role) = RoleUtilisateur::from_label(args.role.trim()) else {
        bail!("--role : super_admin, admin, editeur ou lecteur");
    };
    let password = match std::env::var("REGISTRE_PASSWORD") {
        Ok(p) => p,
        Err(_) if std::io::stdin().is_terminal() => {
            let first = rpassword::prompt_password("Mot de passe : ")?;
            let second = rpassword::prompt_password("Confirmation : ")?;
            if first != second {
                bail!("les deux mots de passe diffèrent");
            }
            first
        }
        Err(_) => bail!(
            "mot de passe absent : définissez REGISTRE_PASSWORD ou lancez la commande dans un terminal"
        ),
    };
    mot_de_passe::check_new_password(&password).map_err(anyhow::Error::msg)?;
    let password_hash = mot_de_passe::hash(password).await?;

    crate::db::wait_until_reachable(&args.database).await?;
    let mut conn = AsyncPgConnection::establish(&args.database.url)
        .await
        .context("connexion à la base")?;
    if users::find_by_email(&mut conn, &email).await?.is_some() {
        bail!("un utilisateur existe déjà avec l'adresse {email}");
    }
    let user = users::create(
        &mut conn,
        &NouvelUtilisateur {
            nom,
            prenom,
            email,
            password_hash,
            role,
            doit_changer_mot_de_passe: false,
        },
    )
    .await?;
    println!(
        "Utilisateur créé : {} ({}, {})",
        user.id,
        user.email,
        role.label()
    );
    Ok(())
}
