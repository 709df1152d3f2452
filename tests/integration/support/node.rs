//! The Node.js programs of the tests (the GraphQL-over-HTTP audit, the typed client, the
//! browser test), run on the test's runtime without blocking the server it also runs.

use std::process::{Output, Stdio};
use std::time::Duration;

use tokio::process::Command;

/// Runs `commande` to its end within `delai` and returns what it printed; panics, naming
/// `quoi`, when it cannot start (Node.js missing: the way to get it is said) or takes longer.
pub async fn executer(commande: &mut Command, quoi: &str, delai: Duration) -> Output {
    let programme = commande
        .as_std()
        .get_program()
        .to_string_lossy()
        .into_owned();
    let sortie = commande.stdin(Stdio::null()).kill_on_drop(true).output();
    match tokio::time::timeout(delai, sortie).await {
        Ok(Ok(sortie)) => sortie,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{programme}` est introuvable : lancez les tests par scripts/test, qui installe \
             Node.js et npm (paquets Debian) quand ils manquent"
        ),
        Ok(Err(e)) => panic!("impossible de lancer {quoi} : {e}"),
        Err(_) => panic!("{quoi} n'a pas fini en {} s", delai.as_secs()),
    }
}
