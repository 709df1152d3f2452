//! Operator commands beside `serve`.

use std::io::IsTerminal;

use anyhow::{Context as _, bail};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::config::{CreateUserArgs, RestaurationArgs, SauvegardeArgs};
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

/// `registre-dcp seed`: fills a demonstration database (see [`crate::seed`]).
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub database: crate::config::DatabaseConfig,
    /// How many entities to create.
    #[arg(long, default_value_t = 1000)]
    pub entites: u64,
    /// Seed of the random draws: one seed, one data set.
    #[arg(long, default_value_t = crate::seed::GRAINE_PAR_DEFAUT)]
    pub graine: u64,
    /// Add to a database that already holds entities or company accounts (refused otherwise).
    #[arg(long, conflicts_with = "si_vide")]
    pub ajouter: bool,
    /// Do nothing (and succeed) when the database already holds entities or company accounts.
    #[arg(long)]
    pub si_vide: bool,
    /// Reference day (AAAA-MM-JJ) the dates are drawn around; today by default.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    /// Validity of an approval, in months.
    #[arg(long, env = "VALIDITE_AGREMENT_MOIS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub validite_agrement_mois: u32,
}

pub async fn seed(args: SeedArgs) -> anyhow::Result<()> {
    crate::db::wait_until_reachable(&args.database).await?;
    let options = crate::seed::OptionsSeed {
        entites: args.entites,
        graine: args.graine,
        ajouter: args.ajouter,
        si_vide: args.si_vide,
        aujourd_hui: args.date.unwrap_or_else(|| chrono::Utc::now().date_naive()),
        validite_mois: args.validite_agrement_mois,
    };
    let bilan = crate::seed::executer(&args.database.url, &options).await?;
    println!("{}", crate::seed::resume(&bilan));
    if bilan.deja_peuplee {
        return Ok(());
    }
    println!(
        "Comptes de démonstration (mot de passe « {} ») : aminata.kone@demo.artci.ci (admin), \
         awa.traore@demo.artci.ci (editeur), entreprise000001@demo.registre-dcp.ci, …",
        crate::seed::MOT_DE_PASSE_DEMO
    );
    Ok(())
}

/// `registre-dcp sauvegarde --sortie FICHIER` (see [`crate::sauvegarde`]).
pub async fn sauvegarde(args: SauvegardeArgs) -> anyhow::Result<()> {
    crate::db::wait_until_reachable(&args.database).await?;
    let stockage = crate::storage::Stockage::new(&args.storage)?;
    let m = crate::sauvegarde::sauvegarder(&args.database.url, &stockage, &args.sortie).await?;
    println!(
        "Sauvegarde écrite : {} (base {} octets, {} document(s), migration {}{})",
        args.sortie.display(),
        m.base.taille,
        m.objets.len(),
        m.migration,
        avertissements(&m)
    );
    Ok(())
}

/// `registre-dcp restauration --entree FICHIER` (see [`crate::sauvegarde`]).
pub async fn restauration(args: RestaurationArgs) -> anyhow::Result<()> {
    crate::db::wait_until_reachable(&args.database).await?;
    let stockage = crate::storage::Stockage::new(&args.storage)?;
    let m = crate::sauvegarde::restaurer(&args.database.url, &stockage, &args.entree).await?;
    println!(
        "Restauration terminée, empreintes vérifiées : {} du {} (base {} octets, {} document(s), \
         migration {}{})",
        args.entree.display(),
        m.cree_le.format("%Y-%m-%d %H:%M:%S UTC"),
        m.base.taille,
        m.objets.len(),
        m.migration,
        avertissements(&m)
    );
    Ok(())
}

fn avertissements(m: &crate::sauvegarde::manifeste::Manifeste) -> String {
    let mut texte = String::new();
    if !m.supprimes_pendant_la_sauvegarde.is_empty() {
        texte.push_str(&format!(
            " ; {} document(s) supprimé(s) pendant la sauvegarde, retirés",
            m.supprimes_pendant_la_sauvegarde.len()
        ));
    }
    if !m.absents_a_la_source.is_empty() {
        texte.push_str(&format!(
            " ; {} document(s) sans fichier dans le stockage source : {}",
            m.absents_a_la_source.len(),
            m.absents_a_la_source.join(", ")
        ));
    }
    texte
}
