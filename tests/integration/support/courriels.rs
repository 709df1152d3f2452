//! The mails a real SMTP server received. `scripts/test` starts it (aiosmtpd, storing every
//! message in the maildir `TEST_MAILDIR`) and points `TEST_SMTP_URL` at it; every `TestApp`
//! then sends through it when told to (`TestApp::distribuer_courriels`). Under a plain
//! `cargo test` both are unset and the helpers here fail, saying so.
//!
//! All tests share the server: give each mail a recipient of its own ([`adresse_unique`]).

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use mail_parser::MessageParser;
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

const SANS_SERVEUR: &str = "TEST_SMTP_URL et TEST_MAILDIR absents : ce test a besoin du serveur \
                            SMTP de test. Lancez-le avec ./scripts/test (par exemple \
                            `./scripts/test courriels`), qui démarre ce serveur puis cargo test.";

/// How long [`attendre_courriel`] waits.
const ATTENTE: Duration = Duration::from_secs(10);

/// `TEST_SMTP_URL`, or a failure that says to run `./scripts/test`.
pub fn smtp_url() -> String {
    match std::env::var("TEST_SMTP_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!("{SANS_SERVEUR}"),
    }
}

/// The maildir the test server writes to.
pub fn maildir() -> PathBuf {
    match std::env::var("TEST_MAILDIR") {
        Ok(dir) if !dir.trim().is_empty() => PathBuf::from(dir),
        _ => panic!("{SANS_SERVEUR}"),
    }
}

/// Fails early, with the instructions, when the test SMTP server is not there.
pub fn exiger_serveur_smtp() {
    smtp_url();
    maildir();
}

/// An address no other test uses.
pub fn adresse_unique(prefixe: &str) -> String {
    format!("{prefixe}.{}@exemple.ci", Uuid::new_v4().simple())
}

/// A mail as it reached the server, decoded.
#[derive(Debug, Clone)]
pub struct CourrielRecu {
    /// `From`, as `Nom <adresse>` (or the bare address).
    pub expediteur: String,
    pub sujet: String,
    /// The text, decoded (quoted-printable or base64), line ends as sent (CRLF).
    pub corps: String,
    /// The raw `Content-Type` header.
    pub type_contenu: String,
}

/// Every mail received for `destinataire` so far, oldest first.
pub fn courriels_recus(destinataire: &str) -> Vec<CourrielRecu> {
    let destinataire = destinataire.to_lowercase();
    let racine = maildir();
    let mut fichiers: Vec<(SystemTime, PathBuf)> = ["new", "cur"]
        .iter()
        .filter_map(|sous| std::fs::read_dir(racine.join(sous)).ok())
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    fichiers.sort();
    fichiers
        .into_iter()
        .filter_map(|(_, chemin)| std::fs::read(chemin).ok())
        .filter(|brut| contient(&brut.to_ascii_lowercase(), destinataire.as_bytes()))
        .filter_map(|brut| lire(&brut, &destinataire))
        .collect()
}

/// The newest mail for `destinataire`, waiting for it up to 10 s.
pub async fn attendre_courriel(destinataire: &str) -> CourrielRecu {
    let debut = Instant::now();
    loop {
        if let Some(dernier) = courriels_recus(destinataire).pop() {
            return dernier;
        }
        assert!(
            debut.elapsed() < ATTENTE,
            "aucun courriel pour {destinataire} après {} s dans {}",
            ATTENTE.as_secs(),
            maildir().display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The 6-digit code of a mail: the line made of it alone.
pub fn extraire_code(corps: &str) -> String {
    corps
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or_else(|| panic!("aucun code à 6 chiffres seul sur sa ligne dans :\n{corps}"))
        .to_owned()
}

/// A port on which nothing listens (for an SMTP server that is down).
pub fn port_ferme() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port libre")
        .port()
}

/// A TCP relay from `127.0.0.1:port` to the test SMTP server: the server is back at an
/// address that was closed. Stops when dropped.
pub struct RelaisSmtp(tokio::task::JoinHandle<()>);

impl Drop for RelaisSmtp {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub async fn relayer_vers_smtp(port: u16) -> RelaisSmtp {
    let url = smtp_url();
    let cible = url
        .split_once("://")
        .map_or(url.as_str(), |(_, reste)| reste)
        .trim_end_matches('/')
        .to_owned();
    let ecoute = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("écoute du relais SMTP");
    RelaisSmtp(tokio::spawn(async move {
        while let Ok((mut entrant, _)) = ecoute.accept().await {
            let cible = cible.clone();
            tokio::spawn(async move {
                if let Ok(mut sortant) = TcpStream::connect(&cible).await {
                    let _ = tokio::io::copy_bidirectional(&mut entrant, &mut sortant).await;
                }
            });
        }
    }))
}

fn contient(botte: &[u8], aiguille: &[u8]) -> bool {
    botte.windows(aiguille.len()).any(|w| w == aiguille)
}

/// The message if it is addressed (`To`) to `destinataire`.
fn lire(brut: &[u8], destinataire: &str) -> Option<CourrielRecu> {
    let message = MessageParser::default().parse(brut)?;
    let pour_lui = message.to()?.iter().any(|a| {
        a.address()
            .is_some_and(|adresse| adresse.eq_ignore_ascii_case(destinataire))
    });
    if !pour_lui {
        return None;
    }
    let expediteur = message
        .from()
        .and_then(|a| a.first())
        .map(|a| match (a.name(), a.address()) {
            (Some(nom), Some(adresse)) => format!("{nom} <{adresse}>"),
            (None, Some(adresse)) => adresse.to_owned(),
            (nom, None) => nom.unwrap_or_default().to_owned(),
        })
        .unwrap_or_default();
    Some(CourrielRecu {
        expediteur,
        sujet: message.subject().unwrap_or_default().to_owned(),
        corps: message.body_text(0).unwrap_or_default().into_owned(),
        type_contenu: message
            .header_raw("Content-Type")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    })
}
