//! `inscription`: a company signs up.

use super::*;
use crate::models::courriels_sortants;

pub struct Inscription {
    pub email: String,
    pub mot_de_passe: String,
    pub denomination: String,
    pub numero_cc: String,
    pub telephone: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub region: Option<Region>,
}

/// `inscription`: creates the account and mails its code; a taken e-mail gets the same
/// answer, and its owner is told instead.
pub async fn inscrire(state: &AppState, form: Inscription, client: &Client) -> AppResult<()> {
    let email = field("input.email", validation::normalize_email(&form.email))?;
    field(
        "input.motDePasse",
        mot_de_passe::check_new_password(&form.mot_de_passe),
    )?;
    let denomination = field(
        "input.denomination",
        validation::required_text(&form.denomination, 200),
    )?;
    let numero_cc = field("input.numeroCc", validation::normalize_ncc(&form.numero_cc))?;
    let telephone = match form.telephone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(field("input.telephone", validation::normalize_phone(t))?),
    };
    let adresse = optional_text("input.adresse", form.adresse, 300)?;
    let ville = optional_text("input.ville", form.ville, 100)?;

    let mut conn = state.pool.get().await?;
    limiter(&mut conn, state, client, "inscription", Some(&email)).await?;
    // Hash first: a taken address then costs the same time as a new one. The connection
    // goes back to the pool meanwhile.
    drop(conn);
    let password_hash = mot_de_passe::hash(form.mot_de_passe)
        .await
        .map_err(AppError::internal)?;
    let mut conn = state.pool.get().await?;
    let now = state.clock.now();
    let code = otp::generer();
    let nouveau = NouveauCompte {
        email: email.clone(),
        password_hash,
        denomination,
        numero_cc,
        telephone,
        adresse,
        ville,
        region: form.region,
        password_last_changed: now,
        password_expires_at: password_expiry(state, now),
        created_at: now,
    };
    let ip = client.ipnet();
    let key = state.otp_key.clone();
    conn.transaction::<_, AppError, _>(async |conn| {
            if identites::find_by_email(conn, Espace::Entreprise, &email).await?.is_some() {
                // Its owner is told once a day at most, however often it is tried.
                let modele = Courriel::InscriptionDejaFaite.modele();
                let depuis = now - Duration::days(1);
                if !courriels_sortants::queued_since(conn, &email, modele, depuis).await? {
                    mail::mettre_en_file(conn, &email, &Courriel::InscriptionDejaFaite, now)
                        .await?;
                }
                return Ok(());
            }
            if identites::ncc_taken(conn, &nouveau.numero_cc).await? {
                return Err(AppError::conflict_on(
                    "input.numeroCc",
                    "Un compte existe déjà pour ce NCC : si l'entreprise est la vôtre, contactez l'ARTCI.",
                ));
            }
            let id = identites::create_compte(conn, &nouveau).await?;
            let titulaire = Titulaire::Compte(id);
            let hash = key.hacher(titulaire, TypeOtp::Inscription, &code);
            let nouveau_code = NouveauCode {
                titulaire,
                type_: TypeOtp::Inscription,
                code_hash: &hash,
                ip,
                created_at: now,
                expires_at: now + otp::DUREE_DE_VIE,
            };
            otp_codes::replace(conn, &nouveau_code, otp::MAX_TENTATIVES).await?;
            mail::mettre_en_file(conn, &email, &Courriel::OtpInscription { code }, now).await?;
            Ok(())
    })
    .await
}
