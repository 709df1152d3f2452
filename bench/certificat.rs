//! Times the certificate renderer on a typical dossier (5 processing activities) and
//! writes the last PDF: `cargo run --release --example certificat [-- out.pdf [activities]]`
//! (with a count, the 5 activities are repeated up to it: a long dossier).

use std::time::Instant;

use chrono::NaiveDate;
use registre_dcp::models::enums::TypeFormalite;
use registre_dcp::rendu::certificat::{Certificat, TraitementCertifie, rendre};

fn main() {
    let certificat = Certificat {
        type_formalite: TypeFormalite::DeclarationPrealable,
        numero: "RCP-2026-000001".into(),
        version: 2,
        date_emission: NaiveDate::from_ymd_opt(2026, 12, 6).expect("date"),
        date_expiration: NaiveDate::from_ymd_opt(2029, 12, 5).expect("date"),
        denomination: "Société Ivoirienne de Télécommunications Éburnéennes".into(),
        sigle: Some("SITE".into()),
        adresse: Some("Boulevard Valéry Giscard d'Estaing, Treichville, 01 BP 1234".into()),
        ville: Some("Abidjan".into()),
        traitements: [
            (
                "Gestion des abonnés",
                "Souscription, facturation et recouvrement des créances",
            ),
            (
                "Vidéoprotection des agences",
                "Sécurité des biens et des personnes",
            ),
            (
                "Gestion du personnel",
                "Paie, carrière, formation et obligations sociales",
            ),
            (
                "Prospection commerciale",
                "Envoi d'offres aux clients ayant consenti",
            ),
            (
                "Lutte contre la fraude",
                "Détection des usages frauduleux du réseau",
            ),
        ]
        .into_iter()
        .map(|(nom, finalite)| TraitementCertifie {
            nom: nom.into(),
            finalites: vec![finalite.into()],
        })
        .collect(),
        adresse_verification: "https://registre.artci.ci/verification/RCP-2026-000001".into(),
    };

    let mut certificat = certificat;
    if let Some(nombre) = std::env::args().nth(2) {
        let nombre: usize = nombre.parse().expect("un nombre de traitements");
        let modeles = certificat.traitements.clone();
        certificat.traitements = (0..nombre)
            .map(|i| {
                let mut t = modeles[i % modeles.len()].clone();
                t.nom = format!("{} ({})", t.nom, i + 1);
                t
            })
            .collect();
    }

    // One render first: loads the embedded fonts.
    let mut pdf = rendre(&certificat).expect("rendu");
    let n = 50;
    let debut = Instant::now();
    for _ in 0..n {
        pdf = rendre(&certificat).expect("rendu");
    }
    let moyenne = debut.elapsed().as_secs_f64() * 1000.0 / n as f64;
    println!(
        "{n} rendus : {moyenne:.2} ms en moyenne, {} octets",
        pdf.len()
    );
    if let Some(chemin) = std::env::args().nth(1) {
        std::fs::write(&chemin, &pdf).expect("écriture du PDF");
        println!("écrit : {chemin}");
    }
}
