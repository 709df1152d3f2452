//! The outbox worker: sends the due mails a batch at a time and reschedules the failures, so
//! that no mail is lost while SMTP is down.
//!
//! Several replicas may run it together. A pass claims its batch in one statement
//! (`FOR UPDATE SKIP LOCKED`) that also moves the rows' `prochain_essai_le` [`RESERVATION`]
//! ahead: no other pass takes them while this one sends them, and if this process dies they
//! fall due again afterwards (such a mail may then go twice; none is lost). Every instant
//! comes from the application's clock, never from SQL `now()`.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::models::courriels_sortants::{self, CourrielSortant};
use crate::state::AppState;

use super::envoi::DELAI_ENVOI;

/// Mails claimed by one pass.
pub const LOT: i64 = 20;
/// Pause between two passes of the background task.
pub const INTERVALLE: Duration = Duration::from_secs(5);
/// How long a claimed mail stays out of other passes' reach.
pub const RESERVATION: chrono::Duration = chrono::Duration::minutes(10);
/// A pass starts no new mail after this (real time): with each mail bounded by
/// `DELAI_ENVOI`, it is done long before its reservation ends.
const DUREE_MAX_PASSE: Duration = Duration::from_secs(300);
/// How long a shutdown waits for the pass under way.
const ATTENTE_ARRET: Duration = Duration::from_secs(10);

const _: () =
    assert!(DUREE_MAX_PASSE.as_secs() + DELAI_ENVOI.as_secs() < RESERVATION.num_seconds() as u64);

/// The wait before the next attempt of a mail that failed `tentatives` times: 30 s, doubled
/// at each failure, at most an hour.
pub fn delai_avant_nouvel_essai(tentatives: i32) -> chrono::Duration {
    let doublements = tentatives.saturating_sub(1).clamp(0, 7) as u32;
    chrono::Duration::seconds((30_i64 << doublements).min(3600))
}

/// One pass: claims the due mails (at most [`LOT`]), sends them, records each outcome.
/// Returns how many were delivered. An SMTP failure is no error: the mail is rescheduled.
pub async fn envoyer_en_attente(state: &AppState) -> anyhow::Result<usize> {
    Ok(passe(state).await?.envoyes)
}

struct Bilan {
    reclames: usize,
    envoyes: usize,
}

async fn passe(state: &AppState) -> anyhow::Result<Bilan> {
    let debut = Instant::now();
    let now = state.clock.now();
    let lot = {
        let mut conn = state
            .pool
            .get()
            .await
            .context("connexion à la base pour la file des courriels")?;
        courriels_sortants::claim_due(&mut conn, now, now + RESERVATION, LOT)
            .await
            .context("réservation des courriels à envoyer")?
    };
    let reclames = lot.len();
    let mut envoyes = 0;
    let mut restants = lot.into_iter();
    while let Some(courriel) = restants.next() {
        if debut.elapsed() > DUREE_MAX_PASSE {
            let ids: Vec<Uuid> = std::iter::once(courriel.id)
                .chain(restants.map(|c| c.id))
                .collect();
            let mut conn = state.pool.get().await.context("connexion à la base")?;
            courriels_sortants::release(&mut conn, &ids, state.clock.now())
                .await
                .context("remise en file des courriels non tentés")?;
            break;
        }
        if envoyer(state, &courriel).await? {
            envoyes += 1;
        }
    }
    Ok(Bilan { reclames, envoyes })
}

/// Sends one claimed mail and records the outcome; `true` when it was delivered.
async fn envoyer(state: &AppState, courriel: &CourrielSortant) -> anyhow::Result<bool> {
    let resultat = match courriel.corps.as_deref() {
        Some(corps) => {
            state
                .mailer
                .envoyer(
                    &courriel.destinataire,
                    &courriel.modele,
                    &courriel.sujet,
                    corps,
                )
                .await
        }
        None => Err("corps absent".to_owned()),
    };
    let mut conn = state.pool.get().await.context("connexion à la base")?;
    let now = state.clock.now();
    match resultat {
        Ok(()) => {
            courriels_sortants::mark_sent(&mut conn, courriel.id, now)
                .await
                .context("courriel envoyé mais non marqué comme tel")?;
            Ok(true)
        }
        Err(erreur) => {
            let tentatives = courriel.tentatives.saturating_add(1);
            let prochain_essai_le = now + delai_avant_nouvel_essai(tentatives);
            tracing::warn!(
                courriel = %courriel.id,
                modele = %courriel.modele,
                tentatives,
                %prochain_essai_le,
                %erreur,
                "échec d'envoi d'un courriel : nouvel essai plus tard"
            );
            courriels_sortants::mark_failed(&mut conn, courriel.id, &erreur, prochain_essai_le)
                .await
                .context("enregistrement de l'échec d'un courriel")?;
            Ok(false)
        }
    }
}

/// Starts the background task: a pass every [`INTERVALLE`] (at once again after a full
/// batch), until `arret` turns `true`.
pub fn demarrer(state: AppState, mut arret: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        if !state.mailer.par_smtp() {
            tracing::warn!("SMTP_URL absent : les courriels sont écrits au journal, pas envoyés");
        }
        loop {
            loop {
                match passe(&state).await {
                    Ok(bilan) => {
                        if bilan.envoyes > 0 {
                            tracing::info!(envoyes = bilan.envoyes, "courriels envoyés");
                        }
                        if bilan.reclames < LOT as usize || *arret.borrow() {
                            break;
                        }
                    }
                    Err(erreur) => {
                        tracing::warn!(erreur = format!("{erreur:#}"), "passe d'envoi échouée");
                        break;
                    }
                }
            }
            tokio::select! {
                _ = arret.wait_for(|arreter| *arreter) => break,
                () = tokio::time::sleep(INTERVALLE) => {}
            }
        }
        tracing::info!("envoi des courriels arrêté");
    })
}

/// Waits for the task started by [`demarrer`] to finish its pass (the stop must have been
/// signalled), then gives up on it: mails it had claimed fall due again later.
pub async fn arreter(mut tache: JoinHandle<()>) {
    if tokio::time::timeout(ATTENTE_ARRET, &mut tache)
        .await
        .is_err()
    {
        tracing::warn!("envoi des courriels interrompu en cours de passe");
        tache.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l_attente_double_a_chaque_echec_jusqu_a_une_heure() {
        let secondes: Vec<i64> = (1..=9)
            .map(|n| delai_avant_nouvel_essai(n).num_seconds())
            .collect();
        assert_eq!(secondes, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(delai_avant_nouvel_essai(0).num_seconds(), 30);
        assert_eq!(delai_avant_nouvel_essai(i32::MAX).num_seconds(), 3600);
    }
}
