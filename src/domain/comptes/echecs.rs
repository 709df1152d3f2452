//! Wrong passwords, at login and in `changerMotDePasse`, counted per address and client
//! (the client's IP): after `LOGIN_MAX_FAILURES` of them that client waits before its next
//! try on this address, one minute, then twice as long after each further failure, up to
//! `LOGIN_LOCKOUT_MINUTES`. Nobody else waits: the owner, from another client, logs in as
//! usual, and live sessions go on. During a wait the answer is the same whatever the
//! password tried, and whether or not the address has an account (the count is kept for
//! unknown addresses too, under a hash, never the address). When a wait starts on an
//! account its owner is told by mail (once a day at most), and a password reset, with its
//! mailed code, lifts every wait on the address.

use super::*;
use crate::models::{courriels_sortants, echecs_connexion};

/// The part of the keys that names an address (a hash of it).
fn prefixe(email: &str) -> String {
    let digest = Sha256::digest(format!("registre-dcp/echecs/{email}").as_bytes());
    hex(&digest[..16])
}

/// The key of an address tried from a client.
fn cle(email: &str, client: &Client) -> String {
    let ip = client
        .ip
        .map_or_else(|| "inconnue".to_owned(), |ip| ip.to_string());
    let digest = Sha256::digest(format!("registre-dcp/client/{ip}").as_bytes());
    format!("{}:{}", prefixe(email), hex(&digest[..16]))
}

/// One password attempt of a client on an address, before its outcome is known.
pub(super) struct Essai {
    cle: String,
    /// Whether earlier failures are counted (a success then forgets them).
    echecs_passes: bool,
}

/// Before a password is checked: `ACCOUNT_LOCKED` while this client must wait for this
/// address; else the attempt, to record its outcome.
pub(super) async fn avant_essai(
    conn: &mut AsyncPgConnection,
    email: &str,
    client: &Client,
    now: DateTime<Utc>,
) -> AppResult<Essai> {
    let cle = cle(email, client);
    let retard = echecs_connexion::retard(conn, &cle).await?;
    if retard.flatten().is_some_and(|jusqu_a| jusqu_a > now) {
        return Err(AppError::account_locked());
    }
    Ok(Essai {
        cle,
        echecs_passes: retard.is_some(),
    })
}

/// The wait after the `echecs`-th failure, if any: one minute at `seuil`, doubling after,
/// at most `plafond` minutes.
pub(super) fn attente(echecs: i32, seuil: u32, plafond: u32) -> Option<Duration> {
    let seuil = i64::from(seuil.max(1));
    let au_dela = i64::from(echecs) - seuil;
    (au_dela >= 0).then(|| {
        let minutes = 1_i64 << au_dela.min(20);
        Duration::minutes(minutes.min(i64::from(plafond.max(1))))
    })
}

/// A wrong password: counted, and the wait set once past the threshold. The owner of
/// `identite` (none for an unknown address) is told when a wait starts.
pub(super) async fn apres_echec(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    essai: &Essai,
    identite: Option<&Identite>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let config = &state.config.comptes;
    let cle = essai.cle.as_str();
    let echecs = echecs_connexion::compter(conn, cle, now).await?;
    let Some(attente) = attente(
        echecs,
        config.login_max_failures,
        config.login_lockout_minutes,
    ) else {
        return Ok(());
    };
    echecs_connexion::retarder(conn, cle, now + attente).await?;
    if let Some(identite) = identite
        && i64::from(echecs) == i64::from(config.login_max_failures.max(1))
    {
        let modele = Courriel::EssaisSuspendus.modele();
        let deja = courriels_sortants::queued_since(
            conn,
            &identite.email,
            modele,
            now - Duration::days(1),
        )
        .await?;
        if !deja {
            mail::mettre_en_file(conn, &identite.email, &Courriel::EssaisSuspendus, now).await?;
        }
    }
    Ok(())
}

/// A right password: the client's failures on the address, if any, are forgotten.
pub(super) async fn apres_succes(conn: &mut AsyncPgConnection, essai: &Essai) -> AppResult<()> {
    if essai.echecs_passes {
        echecs_connexion::oublier(conn, &essai.cle).await?;
    }
    Ok(())
}

/// The owner proved the address with a mailed code: every client's wait on it is lifted.
pub(super) async fn lever(conn: &mut AsyncPgConnection, email: &str) -> AppResult<()> {
    echecs_connexion::oublier_adresse(conn, &prefixe(email)).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l_attente_double_a_partir_du_seuil_jusqu_au_plafond() {
        let minutes = |n| attente(n, 5, 15).map(|d| d.num_minutes());
        assert_eq!(minutes(4), None);
        assert_eq!(minutes(5), Some(1));
        assert_eq!(minutes(6), Some(2));
        assert_eq!(minutes(7), Some(4));
        assert_eq!(minutes(8), Some(8));
        assert_eq!(minutes(9), Some(15));
        assert_eq!(minutes(1000), Some(15));
    }

    #[test]
    fn la_cle_ne_contient_pas_l_adresse_et_distingue_les_clients() {
        let a = Client {
            ip: Some([192, 0, 2, 1].into()),
            user_agent: None,
        };
        let b = Client {
            ip: Some([192, 0, 2, 2].into()),
            user_agent: None,
        };
        let cle_a = cle("awa@exemple.ci", &a);
        assert!(!cle_a.contains('@') && !cle_a.contains("192"));
        assert_ne!(cle_a, cle("awa@exemple.ci", &b));
        assert!(cle_a.starts_with(&format!("{}:", prefixe("awa@exemple.ci"))));
        assert_eq!(cle_a.len(), 65);
    }
}
