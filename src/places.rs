//! Caps on what one key (an account, a client address) holds at once: the mutations an
//! account runs, its subscriptions, the WebSockets of an address. A [`Place`] is held for as
//! long as the thing runs and given back when dropped; a key that holds nothing any more
//! leaves no entry behind, so the map stays as small as the keys active right now.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// At most `max` places per key at once (`max == 0`: no cap).
#[derive(Debug)]
pub struct Places<K: Eq + Hash> {
    max: usize,
    cles: Arc<Mutex<HashMap<K, Arc<Semaphore>>>>,
}

/// One place of a key, given back when dropped.
#[derive(Debug)]
pub struct Place<K: Eq + Hash> {
    jeton: Option<(OwnedSemaphorePermit, Arc<Semaphore>)>,
    cle: Option<K>,
    cles: Arc<Mutex<HashMap<K, Arc<Semaphore>>>>,
}

impl<K: Eq + Hash + Clone> Places<K> {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            cles: Arc::default(),
        }
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// A place for `cle` now, or `None` when it holds `max` already.
    pub fn prendre(&self, cle: K) -> Option<Place<K>> {
        if self.max == 0 {
            return Some(self.sans_cap());
        }
        let semaphore = self.semaphore(&cle);
        match semaphore.clone().try_acquire_owned() {
            Ok(permis) => Some(self.place(cle, permis, semaphore)),
            Err(_) => {
                drop(semaphore);
                self.oublier_si_libre(&cle);
                None
            }
        }
    }

    /// A place for `cle`, waiting up to `attente` for one to be given back.
    pub async fn attendre(&self, cle: K, attente: Duration) -> Option<Place<K>> {
        if self.max == 0 {
            return Some(self.sans_cap());
        }
        let semaphore = self.semaphore(&cle);
        match tokio::time::timeout(attente, semaphore.clone().acquire_owned()).await {
            Ok(Ok(permis)) => Some(self.place(cle, permis, semaphore)),
            _ => {
                drop(semaphore);
                self.oublier_si_libre(&cle);
                None
            }
        }
    }

    fn sans_cap(&self) -> Place<K> {
        Place {
            jeton: None,
            cle: None,
            cles: self.cles.clone(),
        }
    }

    fn semaphore(&self, cle: &K) -> Arc<Semaphore> {
        let mut cles = self.cles.lock().unwrap_or_else(|e| e.into_inner());
        cles.entry(cle.clone())
            .or_insert_with(|| Arc::new(Semaphore::new(self.max)))
            .clone()
    }

    fn place(&self, cle: K, permis: OwnedSemaphorePermit, semaphore: Arc<Semaphore>) -> Place<K> {
        Place {
            jeton: Some((permis, semaphore)),
            cle: Some(cle),
            cles: self.cles.clone(),
        }
    }

    fn oublier_si_libre(&self, cle: &K) {
        oublier_si_libre(&self.cles, cle);
    }
}

/// Removes `cle`'s entry when nobody holds or awaits one of its places (only the map holds
/// its semaphore). Every holder and waiter clones the semaphore under the map's lock, so the
/// count read under the same lock is exact.
fn oublier_si_libre<K: Eq + Hash>(cles: &Mutex<HashMap<K, Arc<Semaphore>>>, cle: &K) {
    let mut cles = cles.lock().unwrap_or_else(|e| e.into_inner());
    if cles.get(cle).is_some_and(|s| Arc::strong_count(s) == 1) {
        cles.remove(cle);
    }
}

impl<K: Eq + Hash> Drop for Place<K> {
    fn drop(&mut self) {
        if let (Some((permis, semaphore)), Some(cle)) = (self.jeton.take(), self.cle.take()) {
            drop(permis);
            drop(semaphore);
            oublier_si_libre(&self.cles, &cle);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn une_cle_tient_au_plus_max_places_et_les_rend() {
        let places = Places::new(2);
        let a = places.prendre("a").unwrap();
        let _b = places.prendre("a").unwrap();
        assert!(places.prendre("a").is_none());
        // Another key is not concerned.
        let c = places.prendre("c").unwrap();
        drop(a);
        let _a = places.prendre("a").unwrap();
        drop(c);
        assert!(!places.cles.lock().unwrap().contains_key("c"));
        assert!(places.prendre("a").is_none());
    }

    #[test]
    fn sans_cap_tout_passe() {
        let places = Places::new(0);
        let tenues: Vec<_> = (0..100).map(|_| places.prendre(1).unwrap()).collect();
        assert_eq!(tenues.len(), 100);
        assert!(places.cles.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn une_place_attendue_vient_quand_une_autre_est_rendue() {
        let places = Arc::new(Places::new(1));
        let tenue = places.prendre(7).unwrap();
        assert!(
            places
                .attendre(7, Duration::from_millis(20))
                .await
                .is_none()
        );
        let attente = {
            let places = places.clone();
            tokio::spawn(async move { places.attendre(7, Duration::from_secs(5)).await.is_some() })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(tenue);
        assert!(attente.await.unwrap());
        assert!(places.cles.lock().unwrap().is_empty());
    }
}
