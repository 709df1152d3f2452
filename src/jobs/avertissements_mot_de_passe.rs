//! Password-expiry warnings: company accounts and staff are mailed 15 days and 7 days before
//! their password expires (`password_expires_at`), each warning once per expiry.
//!
//! The windows are disjoint: the 15-day warning goes while the expiry is 7 to 15 days away,
//! the 7-day one while it is less than 7 days away. A replica that was down on the day
//! sends the warning late rather than not at all (its text gives the real number of days
//! left); one that was down for the whole first window sends the 7-day warning only. Each
//! warning is recorded (the expiry it was for) in the transaction that queues its mail, with
//! a compare-and-set, so two runs never send it twice. Nothing is sent when passwords do not
//! expire (`PASSWORD_MAX_AGE_DAYS = 0`).

use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::mail::{self, Courriel};
use crate::models::comptes_entreprises;
use crate::models::users::{self, PalierAvertissement};
use crate::state::AppState;

/// Rows read at a time.
const LOT: i64 = 100;

/// The window of instants in which an expiry gets the `palier` warning at `now`: `(de, a]`.
pub fn fenetre(palier: PalierAvertissement, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    match palier {
        PalierAvertissement::J15 => (now + Duration::days(7), now + Duration::days(15)),
        PalierAvertissement::J7 => (now, now + Duration::days(7)),
    }
}

/// The warning's mail: calendar days left (UTC, Côte d'Ivoire's time) and the expiry date.
pub fn courriel(echeance: DateTime<Utc>, now: DateTime<Utc>) -> Courriel {
    let date = echeance.date_naive();
    Courriel::MotDePasseExpireBientot {
        jours: (date - now.date_naive()).num_days(),
        date,
    }
}

/// Sends the warnings due at `state.clock`'s now; returns how many were queued.
pub async fn run(state: &AppState) -> anyhow::Result<usize> {
    if state.config.comptes.password_max_age_days == 0 {
        return Ok(0);
    }
    let now = state.clock.now();
    let mut conn = state.pool.get().await?;
    let mut envoyes = 0;
    for palier in [PalierAvertissement::J7, PalierAvertissement::J15] {
        let (de, a) = fenetre(palier, now);
        loop {
            let lot =
                comptes_entreprises::password_warnings_due(&mut conn, palier, de, a, LOT).await?;
            let taille = lot.len();
            for compte in lot {
                if let Some(echeance) = compte.password_expires_at
                    && avertir(
                        &mut conn,
                        Destinataire::Compte(compte.id),
                        &compte.email,
                        palier,
                        echeance,
                        now,
                    )
                    .await?
                {
                    envoyes += 1;
                }
            }
            if taille < LOT as usize {
                break;
            }
        }
        loop {
            let lot = users::password_warnings_due(&mut conn, palier, de, a, LOT).await?;
            let taille = lot.len();
            for agent in lot {
                if let Some(echeance) = agent.password_expires_at
                    && avertir(
                        &mut conn,
                        Destinataire::Agent(agent.id),
                        &agent.email,
                        palier,
                        echeance,
                        now,
                    )
                    .await?
                {
                    envoyes += 1;
                }
            }
            if taille < LOT as usize {
                break;
            }
        }
    }
    Ok(envoyes)
}

#[derive(Clone, Copy)]
enum Destinataire {
    Compte(uuid::Uuid),
    Agent(uuid::Uuid),
}

/// Records the warning and queues its mail in one transaction; `false` when another run
/// recorded it first or the password changed meanwhile.
async fn avertir(
    conn: &mut AsyncPgConnection,
    destinataire: Destinataire,
    email: &str,
    palier: PalierAvertissement,
    echeance: DateTime<Utc>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    conn.transaction(async |conn| {
        let enregistre = match destinataire {
            Destinataire::Compte(id) => {
                comptes_entreprises::record_password_warning(conn, id, palier, echeance).await?
            }
            Destinataire::Agent(id) => {
                users::record_password_warning(conn, id, palier, echeance).await?
            }
        };
        if enregistre {
            mail::mettre_en_file(conn, email, &courriel(echeance, now), now).await?;
        }
        Ok(enregistre)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn les_fenetres_sont_disjointes_et_couvrent_quinze_jours() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        let (de7, a7) = fenetre(PalierAvertissement::J7, now);
        let (de15, a15) = fenetre(PalierAvertissement::J15, now);
        assert_eq!(de7, now);
        assert_eq!(a7, de15);
        assert_eq!(a15, now + Duration::days(15));
    }

    #[test]
    fn le_courriel_compte_les_jours_du_calendrier() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).unwrap();
        let echeance = Utc.with_ymd_and_hms(2026, 12, 8, 8, 0, 0).unwrap();
        match courriel(echeance, now) {
            Courriel::MotDePasseExpireBientot { jours, date } => {
                assert_eq!(jours, 15);
                assert_eq!(date, echeance.date_naive());
            }
            _ => panic!("mauvais courriel"),
        }
    }
}
