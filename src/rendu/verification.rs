//! The public check page that a certificate's QR code opens: server-rendered HTML for a
//! person holding the paper and a phone.
//!
//! No JavaScript and no outside asset: one inline `<style>` allowed by its hash in the
//! Content-Security-Policy ([`politique_securite_contenu`]). Every piece of data is escaped.

use std::fmt::Write as _;

use base64::Engine as _;
use chrono::NaiveDate;
use http::StatusCode;
use sha2::{Digest, Sha256};

use super::certificat::titre;
use super::date_longue;
use crate::models::enums::TypeFormalite;

/// One version of a certificate, as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionAffichee {
    pub version: i32,
    pub date_emission: NaiveDate,
    /// Hex SHA-256 of the version's PDF.
    pub sha256: String,
    /// Where its PDF is downloaded: a path on this site ("/…") or an http(s) URL; anything
    /// else is not linked.
    pub lien_pdf: String,
    pub en_vigueur: bool,
}

/// What the page shows of a published entity's certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FicheVerification {
    pub numero: String,
    pub denomination: String,
    pub sigle: Option<String>,
    pub ville: Option<String>,
    pub type_formalite: TypeFormalite,
    /// First issue.
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    /// Newest first; the one `en_vigueur` is the current.
    pub versions: Vec<VersionAffichee>,
}

/// The outcome of a check, one page each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// 200.
    Valide(FicheVerification),
    /// 410: the approval has expired.
    Expire(FicheVerification),
    /// 410: the number was replaced (e.g. a declaration that became an authorisation).
    Remplace {
        numero: String,
        remplace_par: Option<String>,
    },
    /// 404: unknown or not published.
    Introuvable { numero: String },
    /// 400: not shaped like RCP-2026-000001 / AUT-2026-000001.
    NumeroInvalide { saisie: String },
}

/// `^(RCP|AUT)-\d{4}-\d{6}$`.
pub fn numero_valide(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 15
        && (b.starts_with(b"RCP-") || b.starts_with(b"AUT-"))
        && b[4..8].iter().all(u8::is_ascii_digit)
        && b[8] == b'-'
        && b[9..].iter().all(u8::is_ascii_digit)
}

/// The only style of these pages; its hash is in the CSP.
const STYLE: &str = "\
:root{color-scheme:light;--encre:#1c2128;--gris:#5f656e;--bord:#d5d9de;--fond:#f4f5f7;\
--vert:#00783f;--vert-fond:#e6f4ec;--rouge:#b3261e;--rouge-fond:#fbeaea;--orange:#c25e00;\
--orange-fond:#fdf0e3;--bleu:#14469f}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",sans-serif;\
color:var(--encre);background:var(--fond);line-height:1.45;font-size:16px}
header{background:#fff;border-top:6px solid var(--orange);border-bottom:1px solid var(--bord);\
padding:.8rem 1rem}
header p{margin:0;max-width:40rem;margin-inline:auto}
.emetteur{font-weight:700}
.objet{color:var(--gris);font-size:.875rem}
main{max-width:40rem;margin:0 auto;padding:1rem}
.verdict{border-radius:.75rem;padding:1rem 1.1rem;margin:0 0 1rem;border:2px solid}
.verdict h1{margin:.1rem 0 .3rem;font-size:1.6rem;line-height:1.2}
.verdict p{margin:.25rem 0}
.marque{display:inline-block;width:2.6rem;height:2.6rem;border-radius:50%;color:#fff;\
font-size:1.6rem;line-height:2.6rem;text-align:center;font-weight:700}
.valide{background:var(--vert-fond);border-color:var(--vert)}
.valide .marque{background:var(--vert)}.valide h1{color:var(--vert)}
.expire{background:var(--rouge-fond);border-color:var(--rouge)}
.expire .marque{background:var(--rouge)}.expire h1{color:var(--rouge)}
.alerte{background:var(--orange-fond);border-color:var(--orange)}
.alerte .marque{background:var(--orange)}.alerte h1{color:var(--orange)}
.numero{font-weight:700;font-size:1.1rem;letter-spacing:.02em}
section{background:#fff;border:1px solid var(--bord);border-radius:.75rem;padding:.4rem 1rem;\
margin:0 0 1rem}
h2{font-size:1.1rem;margin:.6rem 0}
dl{margin:0}
dt{color:var(--gris);font-size:.875rem;margin-top:.6rem}
dd{margin:0 0 .2rem;font-weight:600;overflow-wrap:anywhere}
ol{list-style:none;margin:0;padding:0}
li{border-top:1px solid var(--bord);padding:.7rem 0}
li:first-child{border-top:0}
.etat{display:inline-block;font-size:.8rem;font-weight:700;border-radius:1rem;padding:0 .55rem;\
margin-left:.3rem}
.en-vigueur{background:var(--vert-fond);color:var(--vert)}
.remplacee{background:var(--fond);color:var(--gris)}
code{font-family:ui-monospace,\"DejaVu Sans Mono\",monospace;font-size:.8rem;\
overflow-wrap:anywhere;word-break:break-all;display:block;background:var(--fond);\
padding:.3rem .45rem;border-radius:.35rem;margin:.2rem 0 .4rem}
a{color:var(--bleu)}
.telecharger{display:inline-block;padding:.45rem .8rem;border:1px solid var(--bleu);\
border-radius:.5rem;text-decoration:none;font-weight:600}
.note{color:var(--gris);font-size:.875rem}
footer{max-width:40rem;margin:0 auto;padding:0 1rem 2rem;color:var(--gris);font-size:.8rem}
";

/// The Content-Security-Policy header value for these pages.
pub fn politique_securite_contenu() -> String {
    let empreinte = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
    format!(
        "default-src 'none'; style-src 'sha256-{empreinte}'; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'"
    )
}

/// Escapes text for HTML content and double- or single-quoted attribute values.
fn echapper(s: &str) -> String {
    let mut sortie = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => sortie.push_str("&amp;"),
            '<' => sortie.push_str("&lt;"),
            '>' => sortie.push_str("&gt;"),
            '"' => sortie.push_str("&quot;"),
            '\'' => sortie.push_str("&#39;"),
            _ => sortie.push(c),
        }
    }
    sortie
}

/// A PDF link is kept only when it is a path on this site or an http(s) URL.
fn lien_sur(lien: &str) -> bool {
    (lien.starts_with('/') && !lien.starts_with("//"))
        || lien.starts_with("https://")
        || lien.starts_with("http://")
}

/// The page for a check, with its HTTP status.
pub fn page(v: &Verification) -> (StatusCode, String) {
    match v {
        Verification::Valide(f) => (StatusCode::OK, page_fiche(f, true)),
        Verification::Expire(f) => (StatusCode::GONE, page_fiche(f, false)),
        Verification::Remplace {
            numero,
            remplace_par,
        } => {
            let mut corps = String::new();
            let nouveau = match remplace_par.as_deref() {
                Some(n) if numero_valide(n) => format!(
                    " Il a été remplacé par le numéro <a href=\"{0}\">{0}</a>\u{a0}: consultez-le pour \
                     connaître la situation actuelle de l'entité.",
                    echapper(n)
                ),
                Some(n) => format!(" Il a été remplacé par le numéro {}.", echapper(n)),
                None => String::new(),
            };
            verdict(
                &mut corps,
                "alerte",
                "!",
                "Numéro remplacé",
                numero,
                &format!(
                    "<p>Ce numéro n'est plus en vigueur\u{a0}: le document qui le porte a été remplacé \
                     (par exemple une déclaration devenue une autorisation).{nouveau}</p>"
                ),
            );
            (StatusCode::GONE, document("Numéro remplacé", &corps))
        }
        Verification::Introuvable { numero } => {
            let mut corps = String::new();
            verdict(
                &mut corps,
                "expire",
                "✗",
                "Numéro introuvable",
                numero,
                "<p>Aucune entité publiée ne porte ce numéro.</p>\
                 <p>Vérifiez la saisie. Un document présentant ce numéro ne peut pas être \
                 confirmé par l'ARTCI.</p>",
            );
            (
                StatusCode::NOT_FOUND,
                document("Numéro introuvable", &corps),
            )
        }
        Verification::NumeroInvalide { saisie } => {
            let mut corps = String::new();
            let saisie: String = saisie.chars().take(64).collect();
            verdict(
                &mut corps,
                "alerte",
                "?",
                "Numéro mal formé",
                &saisie,
                "<p>Ce texte n'a pas la forme d'un numéro du registre\u{a0}: RCP-AAAA-NNNNNN pour un \
                 récépissé ou une attestation, AUT-AAAA-NNNNNN pour une autorisation (par \
                 exemple RCP-2026-000001).</p>",
            );
            (
                StatusCode::BAD_REQUEST,
                document("Numéro mal formé", &corps),
            )
        }
    }
}

/// The coloured box at the top: mark, heading, number, explanation (`explication` is HTML).
fn verdict(
    corps: &mut String,
    classe: &str,
    marque: &str,
    intitule: &str,
    numero: &str,
    explication: &str,
) {
    let _ = write!(
        corps,
        "<div class=\"verdict {classe}\"><span class=\"marque\" aria-hidden=\"true\">{marque}</span>\
         <h1>{intitule}</h1><p class=\"numero\">N°\u{a0}{}</p>{explication}</div>",
        echapper(numero)
    );
}

fn page_fiche(f: &FicheVerification, valide: bool) -> String {
    let titre_formalite = titre(f.type_formalite);
    let mut corps = String::new();
    if valide {
        verdict(
            &mut corps,
            "valide",
            "✓",
            "Numéro valide",
            &f.numero,
            &format!(
                "<p>Ce numéro figure au registre de l'ARTCI\u{a0}: {} en vigueur pour <strong>{}</strong>, \
                 valable jusqu'au {}.</p>",
                echapper(&minuscule_initiale(titre_formalite)),
                echapper(&f.denomination),
                date_longue(f.date_expiration)
            ),
        );
    } else {
        verdict(
            &mut corps,
            "expire",
            "✗",
            "Numéro expiré",
            &f.numero,
            &format!(
                "<p>Ce numéro n'est plus valide\u{a0}: l'agrément a expiré le {}.</p>\
                 <p>Le document ne couvre plus les traitements de <strong>{}</strong>.</p>",
                date_longue(f.date_expiration),
                echapper(&f.denomination)
            ),
        );
    }

    let actuelle = f
        .versions
        .iter()
        .find(|v| v.en_vigueur)
        .or(f.versions.first());
    corps.push_str("<section><h2>Entité</h2><dl>");
    champ(&mut corps, "Dénomination", &echapper(&f.denomination));
    if let Some(s) = f.sigle.as_deref().filter(|s| !s.trim().is_empty()) {
        champ(&mut corps, "Sigle", &echapper(s));
    }
    if let Some(v) = f.ville.as_deref().filter(|s| !s.trim().is_empty()) {
        champ(&mut corps, "Ville", &echapper(v));
    }
    champ(&mut corps, "Document", titre_formalite);
    champ(
        &mut corps,
        "Première délivrance",
        &date_longue(f.date_emission),
    );
    champ(
        &mut corps,
        if valide {
            "Valable jusqu'au"
        } else {
            "Expiré le"
        },
        &date_longue(f.date_expiration),
    );
    if let Some(v) = actuelle {
        champ(
            &mut corps,
            if valide {
                "Version en vigueur"
            } else {
                "Dernière version"
            },
            &format!(
                "Version {}, délivrée le {}",
                v.version,
                date_longue(v.date_emission)
            ),
        );
    }
    corps.push_str("</dl></section>");

    if !f.versions.is_empty() {
        corps.push_str("<section><h2>Versions du document</h2><ol>");
        for v in &f.versions {
            let _ = write!(
                corps,
                "<li><strong>Version {}</strong>, délivrée le {}",
                v.version,
                date_longue(v.date_emission)
            );
            if v.en_vigueur {
                corps.push_str(if valide {
                    "<span class=\"etat en-vigueur\">en vigueur</span>"
                } else {
                    "<span class=\"etat remplacee\">dernière version</span>"
                });
            } else if let Some(suivante) = f
                .versions
                .iter()
                .map(|w| w.version)
                .filter(|&n| n > v.version)
                .min()
            {
                let _ = write!(
                    corps,
                    "<span class=\"etat remplacee\">remplacée par la version {suivante}</span>"
                );
            }
            let _ = write!(
                corps,
                "<br><span class=\"note\">Empreinte SHA-256 du PDF :</span><code>{}</code>",
                echapper(&v.sha256)
            );
            if lien_sur(&v.lien_pdf) {
                let _ = write!(
                    corps,
                    "<a class=\"telecharger\" href=\"{}\">Télécharger le PDF de la version {}</a>",
                    echapper(&v.lien_pdf),
                    v.version
                );
            }
            corps.push_str("</li>");
        }
        corps.push_str(
            "</ol><p class=\"note\">Pour vérifier un fichier reçu, calculez son empreinte SHA-256 \
             et comparez-la à celle de sa version ci-dessus\u{a0}: elles doivent être identiques.</p>\
             </section>",
        );
    }

    let intitule = if valide {
        "Numéro valide"
    } else {
        "Numéro expiré"
    };
    document(&format!("{intitule} · {}", f.numero), &corps)
}

fn champ(corps: &mut String, libelle: &str, valeur_html: &str) {
    let _ = write!(corps, "<dt>{libelle}</dt><dd>{valeur_html}</dd>");
}

/// « Récépissé de déclaration » → « récépissé de déclaration ».
fn minuscule_initiale(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The whole page around `corps` (HTML). `titre_page` is text.
fn document(titre_page: &str, corps: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{} · Vérification ARTCI</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header><p class=\"emetteur\">Autorité de Régulation des Télécommunications/TIC de Côte \
         d'Ivoire (ARTCI)</p><p class=\"objet\">Vérification d'un document du registre des \
         traitements de données à caractère personnel (Loi n°\u{a0}2013-450)</p></header>\n\
         <main>\n{corps}\n</main>\n<footer>Cette page indique l'état du numéro au registre tenu \
         par l'ARTCI au moment de la consultation.</footer>\n</body>\n</html>\n",
        echapper(titre_page)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    fn fiche() -> FicheVerification {
        FicheVerification {
            numero: "RCP-2026-000001".into(),
            denomination: "Société Ivoirienne de Télécommunications Éburnéennes".into(),
            sigle: Some("SITE".into()),
            ville: Some("Abidjan".into()),
            type_formalite: TypeFormalite::DeclarationPrealable,
            date_emission: date(2026, 1, 15),
            date_expiration: date(2029, 12, 5),
            versions: vec![
                VersionAffichee {
                    version: 2,
                    date_emission: date(2026, 12, 6),
                    sha256: "a".repeat(64),
                    lien_pdf: "/certificats/RCP-2026-000001/2.pdf".into(),
                    en_vigueur: true,
                },
                VersionAffichee {
                    version: 1,
                    date_emission: date(2026, 1, 15),
                    sha256: "b".repeat(64),
                    lien_pdf: "/certificats/RCP-2026-000001/1.pdf".into(),
                    en_vigueur: false,
                },
            ],
        }
    }

    fn toutes() -> Vec<Verification> {
        vec![
            Verification::Valide(fiche()),
            Verification::Expire(fiche()),
            Verification::Remplace {
                numero: "RCP-2026-000001".into(),
                remplace_par: Some("AUT-2026-000007".into()),
            },
            Verification::Remplace {
                numero: "RCP-2026-000001".into(),
                remplace_par: None,
            },
            Verification::Introuvable {
                numero: "RCP-2026-999999".into(),
            },
            Verification::NumeroInvalide {
                saisie: "<script>alert(1)</script>".into(),
            },
        ]
    }

    /// The exact text between `<style>` and `</style>`.
    fn style(html: &str) -> &str {
        let debut = html.find("<style>").expect("un élément style") + "<style>".len();
        let fin = html.find("</style>").expect("fin du style");
        &html[debut..fin]
    }

    #[test]
    fn rendu_page_valide() {
        let (statut, html) = page(&Verification::Valide(fiche()));
        assert_eq!(statut, StatusCode::OK);
        for attendu in [
            "Numéro valide",
            "RCP-2026-000001",
            "Société Ivoirienne de Télécommunications Éburnéennes",
            "SITE",
            "Abidjan",
            "Récépissé de déclaration",
            "15 janvier 2026",
            "5 décembre 2029",
            "Version 2, délivrée le 6 décembre 2026",
            "en vigueur",
            "remplacée par la version 2",
            &"a".repeat(64),
            &"b".repeat(64),
            "href=\"/certificats/RCP-2026-000001/2.pdf\"",
            "href=\"/certificats/RCP-2026-000001/1.pdf\"",
        ] {
            assert!(html.contains(attendu), "« {attendu} » manque :\n{html}");
        }
        assert!(!html.contains("remplacée par la version 1"));
    }

    #[test]
    fn rendu_page_expiree() {
        let (statut, html) = page(&Verification::Expire(fiche()));
        assert_eq!(statut, StatusCode::GONE);
        assert!(html.contains("Numéro expiré"));
        assert!(html.contains(
            "Ce numéro n'est plus valide\u{a0}: l'agrément a expiré le 5 décembre 2029."
        ));
        assert!(html.contains("class=\"verdict expire\""));
        assert!(!html.contains("Numéro valide"));
    }

    #[test]
    fn rendu_page_remplacee() {
        let (statut, html) = page(&Verification::Remplace {
            numero: "RCP-2026-000001".into(),
            remplace_par: Some("AUT-2026-000007".into()),
        });
        assert_eq!(statut, StatusCode::GONE);
        assert!(html.contains("Numéro remplacé"));
        assert!(html.contains("<a href=\"AUT-2026-000007\">AUT-2026-000007</a>"));
        let (statut, html) = page(&Verification::Remplace {
            numero: "RCP-2026-000001".into(),
            remplace_par: None,
        });
        assert_eq!(statut, StatusCode::GONE);
        assert!(!html.contains("<a "));
        // A successor that is not a number is shown, never linked.
        let (_, html) = page(&Verification::Remplace {
            numero: "RCP-2026-000001".into(),
            remplace_par: Some("javascript:alert(1)".into()),
        });
        assert!(!html.contains("<a "));
    }

    #[test]
    fn rendu_page_introuvable_et_numero_invalide() {
        let (statut, html) = page(&Verification::Introuvable {
            numero: "RCP-2026-999999".into(),
        });
        assert_eq!(statut, StatusCode::NOT_FOUND);
        assert!(html.contains("Aucune entité publiée ne porte ce numéro."));
        assert!(html.contains("RCP-2026-999999"));
        let (statut, html) = page(&Verification::NumeroInvalide {
            saisie: "RCP-26-1".into(),
        });
        assert_eq!(statut, StatusCode::BAD_REQUEST);
        assert!(html.contains("Numéro mal formé"));
        assert!(html.contains("RCP-26-1"));
        assert!(html.contains("RCP-AAAA-NNNNNN"));
    }

    #[test]
    fn rendu_aucun_script_et_entete_commune() {
        for v in toutes() {
            let (_, html) = page(&v);
            assert!(!html.to_lowercase().contains("<script"), "{html}");
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
            assert!(html.contains("<meta charset=\"utf-8\">"));
            assert!(html.contains(
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            ));
            // No outside asset: no URL in the style, no stylesheet link, no image.
            assert!(!style(&html).contains("url("));
            assert!(!html.contains("<link") && !html.contains("<img"));
        }
    }

    #[test]
    fn rendu_echappement() {
        let mut f = fiche();
        f.denomination = "<b>&\"'".into();
        f.sigle = Some("<i>".into());
        f.versions[0].sha256 = "<s>".into();
        f.versions[0].lien_pdf = "/pdf?a=1&b=\"2\"".into();
        f.versions[1].lien_pdf = "javascript:alert(1)".into();
        let (_, html) = page(&Verification::Valide(f));
        assert!(html.contains("&lt;b&gt;&amp;&quot;&#39;"));
        assert!(!html.contains("<b>&"));
        assert!(html.contains("&lt;i&gt;") && !html.contains("<i>"));
        assert!(html.contains("&lt;s&gt;"));
        assert!(html.contains("href=\"/pdf?a=1&amp;b=&quot;2&quot;\""));
        assert!(!html.contains("javascript:"));
        let (_, html) = page(&Verification::Introuvable {
            numero: "<b>&\"'".into(),
        });
        assert!(html.contains("&lt;b&gt;&amp;&quot;&#39;") && !html.contains("<b>&"));
    }

    #[test]
    fn rendu_empreinte_csp_du_style() {
        let csp = politique_securite_contenu();
        for v in toutes() {
            let (_, html) = page(&v);
            let empreinte = base64::engine::general_purpose::STANDARD
                .encode(Sha256::digest(style(&html).as_bytes()));
            assert!(
                csp.contains(&format!("style-src 'sha256-{empreinte}'")),
                "{csp}"
            );
            assert_eq!(html.matches("<style>").count(), 1);
            assert!(!html.contains(" style="), "no inline style attribute");
        }
        for directive in [
            "default-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{csp}");
        }
        assert!(!csp.contains("script-src") && !csp.contains("img-src"));
    }

    #[test]
    fn rendu_numero_valide() {
        assert!(numero_valide("RCP-2026-000001"));
        assert!(numero_valide("AUT-2026-123456"));
        for faux in [
            "",
            "rcp-2026-000001",
            "RCP-2026-00001",
            "RCP-2026-0000011",
            "XYZ-2026-000001",
            "RCP-20a6-000001",
            "RCP_2026-000001",
            "RCP-2026-00000١",
            " RCP-2026-000001",
        ] {
            assert!(!numero_valide(faux), "{faux:?}");
        }
    }
}
