//! Slow clients: a header or a body trickled a byte at a time holds its connection for a
//! bounded time, and one address cannot hold more than its share of connections, while a
//! benign client keeps being served.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::support::TestApp;

/// How long a benign request may take while the slow clients hold their connections.
const BENIN: Duration = Duration::from_secs(2);

/// A benign request over its own connection: the answer's status line, and how long it took.
fn benin(adresse: SocketAddr) -> (String, Duration) {
    let debut = Instant::now();
    let mut flux = TcpStream::connect(adresse).unwrap();
    flux.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    flux.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reponse = String::new();
    let _ = flux.read_to_string(&mut reponse);
    let statut = reponse.lines().next().unwrap_or_default().to_owned();
    (statut, debut.elapsed())
}

/// Sends `morceaux` one every `pas` until the server closes the connection; returns what it
/// answered and when it closed (`None`: still open after `limite`).
fn goutte_a_goutte(
    flux: &mut TcpStream,
    morceaux: impl Iterator<Item = Vec<u8>>,
    pas: Duration,
    limite: Duration,
) -> (String, Option<Duration>) {
    let debut = Instant::now();
    flux.set_read_timeout(Some(pas)).unwrap();
    let mut recu = Vec::new();
    for morceau in morceaux {
        if debut.elapsed() > limite {
            break;
        }
        if flux.write_all(&morceau).is_err() {
            return (String::from_utf8_lossy(&recu).into(), Some(debut.elapsed()));
        }
        let mut tampon = [0u8; 4096];
        match flux.read(&mut tampon) {
            Ok(0) => return (String::from_utf8_lossy(&recu).into(), Some(debut.elapsed())),
            Ok(n) => recu.extend_from_slice(&tampon[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return (String::from_utf8_lossy(&recu).into(), Some(debut.elapsed())),
        }
    }
    (String::from_utf8_lossy(&recu).into(), None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn un_en_tete_ou_un_corps_envoye_goutte_a_goutte_est_coupe_a_son_delai() {
    let app = TestApp::with_config(|config| {
        config.http.header_timeout_secs = 1;
        config.http.body_timeout_secs = 1;
    })
    .await;
    let instance = app.replique().await;
    let adresse = instance.adresse;
    tokio::task::spawn_blocking(move || {
        // Eight slow clients: four trickle a header line, four a body, a byte every 300 ms.
        let lents: Vec<_> = (0..8)
            .map(|i| {
                std::thread::spawn(move || {
                    let mut flux = TcpStream::connect(adresse).unwrap();
                    if i % 2 == 0 {
                        flux.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
                            .unwrap();
                        let lignes = (0..).map(|n: u32| format!("X-Lent-{n}: a\r\n").into_bytes());
                        goutte_a_goutte(
                            &mut flux,
                            lignes,
                            Duration::from_millis(300),
                            Duration::from_secs(8),
                        )
                    } else {
                        flux.write_all(
                            b"POST /graphql HTTP/1.1\r\nHost: localhost\r\n\
                              Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
                        )
                        .unwrap();
                        let octets = std::iter::repeat_with(|| b" ".to_vec());
                        goutte_a_goutte(
                            &mut flux,
                            octets,
                            Duration::from_millis(300),
                            Duration::from_secs(8),
                        )
                    }
                })
            })
            .collect();
        // Meanwhile a benign client keeps its answers within the bound.
        let debut = Instant::now();
        while debut.elapsed() < Duration::from_millis(2500) {
            let (statut, duree) = benin(adresse);
            assert!(statut.starts_with("HTTP/1.1 200"), "{statut}");
            assert!(duree < BENIN, "réponse bénigne en {duree:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
        for (i, lent) in lents.into_iter().enumerate() {
            let (reponse, fermee) = lent.join().unwrap();
            let fermee = fermee.unwrap_or_else(|| panic!("client lent {i} encore servi après 8 s"));
            // One second of deadline, plus the server's and this loop's steps.
            assert!(
                fermee < Duration::from_secs(4),
                "client lent {i} coupé après {fermee:?}"
            );
            if i % 2 == 1 {
                assert!(reponse.starts_with("HTTP/1.1 408"), "{reponse}");
                assert!(reponse.contains("REQUEST_TIMEOUT"), "{reponse}");
            }
        }
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn une_adresse_ne_tient_pas_plus_que_son_plafond_de_connexions() {
    const PLAFOND: usize = 4;
    let app = TestApp::with_config(|config| {
        config.http.max_connections_per_address = PLAFOND;
        config.http.header_timeout_secs = 30;
    })
    .await;
    let instance = app.replique().await;
    let adresse = instance.adresse;
    // 127.0.0.1 opens its share of idle connections; each is accepted and stays open.
    let mut tenues = Vec::new();
    for _ in 0..PLAFOND {
        tenues.push(depuis([127, 0, 0, 1], adresse).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // One more from the same address is closed without an answer.
    let (statut, _) = requete(depuis([127, 0, 0, 1], adresse).await).await;
    assert_eq!(statut, "", "connexion au-delà du plafond servie");
    // Another address of this machine is served meanwhile.
    let (statut, duree) = requete(depuis([127, 0, 0, 2], adresse).await).await;
    assert!(statut.starts_with("HTTP/1.1 200"), "{statut}");
    assert!(duree < BENIN, "{duree:?}");
    // A connection given back is a place for the next one.
    drop(tenues);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (statut, _) = requete(depuis([127, 0, 0, 1], adresse).await).await;
    assert!(statut.starts_with("HTTP/1.1 200"), "{statut}");
}

/// A connection to `cible` from the local address `source`.
async fn depuis(source: [u8; 4], cible: SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    socket.connect(cible).await.unwrap()
}

/// A benign request over `flux`: the answer's status line (empty when the connection was
/// closed without one), and how long it took.
async fn requete(mut flux: tokio::net::TcpStream) -> (String, Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let debut = Instant::now();
    let _ = flux
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await;
    let mut reponse = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), flux.read_to_end(&mut reponse)).await;
    let reponse = String::from_utf8_lossy(&reponse);
    (
        reponse.lines().next().unwrap_or_default().to_owned(),
        debut.elapsed(),
    )
}
