//! The official certificate of a formality (récépissé de déclaration, autorisation de
//! traitement, attestation de dispense) as an A4 PDF/A-2u document.
//!
//! Pure: plain data in, bytes out. The same input always gives the same bytes: the document
//! dates come from the issue date and the document identifiers from the number and version.
//!
//! The PDF is written by `krilla` (fonts subset and embedded, sRGB output intent, XMP
//! metadata); the text is set in DejaVu Sans, embedded in the binary; the QR code is drawn
//! as vector rectangles from the modules that `qrcode` computes.
//!
//! The certificate names the entity (denomination, sigle, address, city) and its declared
//! processing activities. It never carries an NCC nor anyone's contact data: the
//! [`Certificat`] struct has no field for them.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use qrcode::{EcLevel, QrCode};

use super::date_longue;
use crate::models::enums::TypeFormalite;

/// One declared processing activity as the certificate lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraitementCertifie {
    pub nom: String,
    pub finalites: Vec<String>,
}

/// What the certificate shows. Nothing else is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificat {
    pub type_formalite: TypeFormalite,
    /// "RCP-2026-000001" or "AUT-2026-000001".
    pub numero: String,
    /// 1, 2, …: a new version is issued when the dossier changes.
    pub version: i32,
    pub date_emission: NaiveDate,
    pub date_expiration: NaiveDate,
    pub denomination: String,
    pub sigle: Option<String>,
    pub adresse: Option<String>,
    pub ville: Option<String>,
    pub traitements: Vec<TraitementCertifie>,
    /// Full URL of the public check page, encoded in the QR code and printed beside it.
    pub adresse_verification: String,
}

/// Why a certificate could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ErreurRendu {
    /// The embedded font could not be read (a broken build, never the input).
    #[error("police embarquée illisible : {0}")]
    Police(&'static str),
    /// The verification address does not fit in a QR code.
    #[error("code QR impossible pour l'adresse de vérification : {0}")]
    CodeQr(#[from] qrcode::types::QrError),
    /// krilla refused to write the document (e.g. a PDF/A rule broken).
    #[error("écriture du PDF : {0}")]
    Pdf(#[from] KrillaError),
}

/// The title the formality calls for.
pub fn titre(t: TypeFormalite) -> &'static str {
    match t {
        TypeFormalite::DeclarationPrealable => "Récépissé de déclaration",
        TypeFormalite::AutorisationPrealable => "Autorisation de traitement",
        TypeFormalite::Dispense => "Attestation de dispense",
    }
}

/// The formality's name, as printed in the "Formalité" line.
fn libelle_formalite(t: TypeFormalite) -> &'static str {
    match t {
        TypeFormalite::DeclarationPrealable => "Déclaration préalable",
        TypeFormalite::AutorisationPrealable => "Autorisation préalable",
        TypeFormalite::Dispense => "Dispense de formalité préalable",
    }
}

/// The article of Loi n° 2013-450 that founds the formality.
fn article(t: TypeFormalite) -> u8 {
    match t {
        TypeFormalite::DeclarationPrealable => 5,
        TypeFormalite::Dispense => 6,
        TypeFormalite::AutorisationPrealable => 7,
    }
}

/// The heading of the list of activities.
fn intitule_traitements(t: TypeFormalite) -> &'static str {
    match t {
        TypeFormalite::DeclarationPrealable => "Traitements déclarés",
        TypeFormalite::AutorisationPrealable => "Traitements autorisés",
        TypeFormalite::Dispense => "Traitements concernés",
    }
}

const LOI: &str =
    "Loi n° 2013-450 du 19 juin 2013 relative à la protection des données à caractère personnel";
const EMETTEUR: &str = "Autorité de Régulation des Télécommunications/TIC de Côte d'Ivoire (ARTCI)";

/// « 06/12/2026 (6 décembre 2026) ».
fn date_complete(d: NaiveDate) -> String {
    format!("{} ({})", d.format("%d/%m/%Y"), date_longue(d))
}

// --- Fonts -------------------------------------------------------------------------------

static DEJAVU: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static DEJAVU_GRAS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A font twice: krilla's handle (to draw) and rustybuzz's face (to measure the same way
/// krilla shapes).
struct Police {
    krilla: Font,
    face: rustybuzz::Face<'static>,
}

impl Police {
    fn charger(donnees: &'static [u8]) -> Option<Police> {
        Some(Police {
            krilla: Font::new(donnees.into(), 0)?,
            face: rustybuzz::Face::from_slice(donnees, 0)?,
        })
    }

    /// Width in points of `texte` at `taille`.
    fn largeur(&self, texte: &str, taille: f32) -> f32 {
        let mut tampon = rustybuzz::UnicodeBuffer::new();
        tampon.push_str(texte);
        tampon.guess_segment_properties();
        let forme = rustybuzz::shape(&self.face, &[], tampon);
        let unites: i32 = forme.glyph_positions().iter().map(|p| p.x_advance).sum();
        unites as f32 * taille / self.face.units_per_em() as f32
    }
}

/// The text with every character that either font cannot draw replaced (control characters
/// become spaces, others « ? »): PDF/A forbids the .notdef glyph, and a certificate must
/// render whatever the entity typed, in the regular or the bold face.
fn nettoyer(normale: &Police, grasse: &Police, texte: &str) -> String {
    texte
        .chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if normale.face.glyph_index(c).is_some() && grasse.face.glyph_index(c).is_some()
            {
                c
            } else {
                '?'
            }
        })
        .collect()
}

static POLICES: LazyLock<Option<(Police, Police)>> =
    LazyLock::new(|| Some((Police::charger(DEJAVU)?, Police::charger(DEJAVU_GRAS)?)));

// --- Page geometry (points, origin at the top left, y downwards) ----------------------------

const LARGEUR_PAGE: f32 = 595.276;
const HAUTEUR_PAGE: f32 = 841.89;
const MARGE: f32 = 56.7; // 2 cm
const DROITE: f32 = LARGEUR_PAGE - MARGE;
const LARGEUR_UTILE: f32 = DROITE - MARGE;
/// The lowest baseline of the flowing text (the footer lies below).
const BAS_TEXTE: f32 = HAUTEUR_PAGE - 70.0;
/// Height of the verification box at the bottom of page 1.
const HAUTEUR_VERIFICATION: f32 = 112.0;
const HAUT_VERIFICATION: f32 = HAUTEUR_PAGE - 56.0 - HAUTEUR_VERIFICATION;
/// Column of the values in the label/value blocks.
const COLONNE_VALEUR: f32 = MARGE + 128.0;

/// An sRGB colour (krilla's constructor is not `const`).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Couleur(u8, u8, u8);

const ENCRE: Couleur = Couleur(28, 33, 40);
const GRIS: Couleur = Couleur(95, 101, 110);
const GRIS_CLAIR: Couleur = Couleur(200, 204, 210);
const FOND: Couleur = Couleur(244, 245, 247);
const ORANGE: Couleur = Couleur(242, 124, 0);
const VERT: Couleur = Couleur(0, 150, 80);
const BLEU: Couleur = Couleur(20, 70, 160);
const BLANC: Couleur = Couleur(255, 255, 255);
const NOIR: Couleur = Couleur(0, 0, 0);

/// What is drawn on a page, laid out before any drawing so that "Page x / y" is known.
enum Element {
    Texte {
        x: f32,
        y: f32,
        taille: f32,
        gras: bool,
        couleur: Couleur,
        texte: String,
    },
    Rectangle {
        rect: Rect,
        couleur: Couleur,
    },
    /// The QR code: its modules (row-major, `cote` per side) drawn in `rect`, quiet zone
    /// included.
    Qr {
        rect: Rect,
    },
    /// A clickable area that opens the verification address.
    Lien {
        rect: Rect,
    },
}

fn rect(x: f32, y: f32, l: f32, h: f32) -> Rect {
    // Only called with positive sizes computed from constants and measured text.
    Rect::from_xywh(x, y, l.max(0.01), h.max(0.01)).expect("rectangle de taille positive")
}

/// Lays the text out, page after page.
struct Mise<'a> {
    normale: &'a Police,
    grasse: &'a Police,
    pages: Vec<Vec<Element>>,
    /// Baseline of the next line.
    y: f32,
    /// Lowest baseline allowed on the current page.
    bas: f32,
    /// The header of the pages after the first one.
    entete_suite: String,
    /// The section heading repeated at the top of a new page ("… (suite)").
    section_courante: Option<String>,
}

impl<'a> Mise<'a> {
    fn police(&self, gras: bool) -> &'a Police {
        if gras { self.grasse } else { self.normale }
    }

    fn pousser(&mut self, e: Element) {
        self.pages.last_mut().expect("au moins une page").push(e);
    }

    fn texte(&mut self, x: f32, y: f32, taille: f32, gras: bool, couleur: Couleur, t: &str) {
        if t.trim().is_empty() {
            return;
        }
        self.pousser(Element::Texte {
            x,
            y,
            taille,
            gras,
            couleur,
            texte: t.to_string(),
        });
    }

    fn centre(&mut self, y: f32, taille: f32, gras: bool, couleur: Couleur, t: &str) {
        let l = self.police(gras).largeur(t, taille);
        self.texte(LARGEUR_PAGE / 2.0 - l / 2.0, y, taille, gras, couleur, t);
    }

    /// Splits `texte` into lines no wider than `largeur`: at spaces, and inside a word only
    /// when the word alone is too wide.
    fn couper(&self, texte: &str, taille: f32, gras: bool, largeur: f32) -> Vec<String> {
        let police = self.police(gras);
        let espace = police.largeur(" ", taille);
        let mut lignes = Vec::new();
        let mut ligne = String::new();
        let mut l_ligne = 0.0;
        for mot in texte.split_whitespace() {
            let l_mot = police.largeur(mot, taille);
            if !ligne.is_empty() && l_ligne + espace + l_mot <= largeur {
                ligne.push(' ');
                ligne.push_str(mot);
                l_ligne += espace + l_mot;
                continue;
            }
            if !ligne.is_empty() {
                lignes.push(std::mem::take(&mut ligne));
            }
            if l_mot <= largeur {
                ligne = mot.to_string();
                l_ligne = l_mot;
            } else {
                // A word wider than the column (an address, a long identifier): cut it.
                let mut morceau = String::new();
                for c in mot.chars() {
                    morceau.push(c);
                    if police.largeur(&morceau, taille) > largeur && morceau.chars().count() > 1 {
                        morceau.pop();
                        lignes.push(std::mem::take(&mut morceau));
                        morceau.push(c);
                    }
                }
                l_ligne = police.largeur(&morceau, taille);
                ligne = morceau;
            }
        }
        if !ligne.is_empty() {
            lignes.push(ligne);
        }
        lignes
    }

    /// Makes room for `hauteur` more points below the current line, on a new page if needed.
    fn place(&mut self, hauteur: f32) {
        if self.y + hauteur > self.bas {
            self.nouvelle_page();
        }
    }

    fn nouvelle_page(&mut self) {
        self.pages.push(Vec::new());
        self.bas = BAS_TEXTE;
        let entete = self.entete_suite.clone();
        self.texte(MARGE, 44.0, 8.5, true, GRIS, &entete);
        self.pousser(Element::Rectangle {
            rect: rect(MARGE, 51.0, LARGEUR_UTILE, 0.8),
            couleur: ORANGE,
        });
        self.y = 80.0;
        if let Some(section) = self.section_courante.clone() {
            self.titre_section(&format!("{section} (suite)"));
        }
    }

    fn titre_section(&mut self, t: &str) {
        self.place(40.0);
        self.y += 6.0;
        self.pousser(Element::Rectangle {
            rect: rect(MARGE, self.y - 10.0, 3.0, 13.0),
            couleur: ORANGE,
        });
        self.texte(MARGE + 9.0, self.y, 11.5, true, ENCRE, t);
        self.pousser(Element::Rectangle {
            rect: rect(MARGE, self.y + 5.0, LARGEUR_UTILE, 0.5),
            couleur: GRIS_CLAIR,
        });
        self.y += 20.0;
    }

    /// A "Label : value" line, the value wrapped in its column.
    fn champ(&mut self, libelle: &str, valeur: &str, gras: bool) {
        let taille = 10.0;
        let lignes = self.couper(valeur, taille, gras, DROITE - COLONNE_VALEUR);
        for (i, ligne) in lignes.iter().enumerate() {
            self.place(0.0);
            if i == 0 {
                self.texte(MARGE, self.y, 9.0, false, GRIS, &format!("{libelle} :"));
            }
            self.texte(COLONNE_VALEUR, self.y, taille, gras, ENCRE, ligne);
            self.y += 14.0;
        }
        self.y += 2.0;
    }

    /// A paragraph at `x`, wrapped to the right margin.
    fn paragraphe(&mut self, x: f32, taille: f32, gras: bool, couleur: Couleur, t: &str) {
        let interligne = taille * 1.35;
        for ligne in self.couper(t, taille, gras, DROITE - x) {
            self.place(0.0);
            self.texte(x, self.y, taille, gras, couleur, &ligne);
            self.y += interligne;
        }
    }
}

/// Renders the certificate as a PDF/A-2u document.
pub fn rendre(c: &Certificat) -> Result<Vec<u8>, ErreurRendu> {
    let (normale, grasse) = POLICES.as_ref().ok_or(ErreurRendu::Police("DejaVu Sans"))?;
    let qr = QrCode::with_error_correction_level(c.adresse_verification.as_bytes(), EcLevel::M)?;

    let n = |t: &str| nettoyer(normale, grasse, t);
    let titre = titre(c.type_formalite);
    let numero = n(&c.numero);

    let mut mise = Mise {
        normale,
        grasse,
        pages: vec![Vec::new()],
        y: 0.0,
        bas: HAUT_VERIFICATION - 18.0,
        entete_suite: format!("ARTCI · {titre} N° {numero} · Version {}", c.version),
        section_courante: None,
    };

    // Ivorian colours along the top edge.
    let tiers = LARGEUR_PAGE / 3.0;
    mise.pousser(Element::Rectangle {
        rect: rect(0.0, 0.0, tiers, 7.0),
        couleur: ORANGE,
    });
    mise.pousser(Element::Rectangle {
        rect: rect(2.0 * tiers, 0.0, tiers, 7.0),
        couleur: VERT,
    });

    // Letterhead.
    mise.centre(46.0, 9.5, true, ENCRE, "RÉPUBLIQUE DE CÔTE D'IVOIRE");
    mise.centre(58.0, 8.0, false, GRIS, "Union – Discipline – Travail");
    mise.pousser(Element::Rectangle {
        rect: rect(LARGEUR_PAGE / 2.0 - 20.0, 66.0, 40.0, 0.8),
        couleur: GRIS_CLAIR,
    });
    mise.centre(86.0, 11.5, true, ENCRE, EMETTEUR);
    mise.centre(
        100.0,
        8.5,
        false,
        GRIS,
        "Protection des données à caractère personnel",
    );
    mise.pousser(Element::Rectangle {
        rect: rect(MARGE, 112.0, LARGEUR_UTILE, 1.2),
        couleur: ORANGE,
    });

    // Title, number, version, legal basis.
    mise.centre(146.0, 22.0, true, ENCRE, titre);
    mise.centre(
        169.0,
        12.5,
        true,
        BLEU,
        &format!("N° {numero}   ·   Version {}", c.version),
    );
    mise.y = 190.0;
    // « Récépissé » is masculine, « autorisation » and « attestation » feminine.
    let delivre = match c.type_formalite {
        TypeFormalite::DeclarationPrealable => "Délivré",
        TypeFormalite::AutorisationPrealable | TypeFormalite::Dispense => "Délivrée",
    };
    let fondement = format!(
        "{delivre} en application de l'article {} de la {LOI}.",
        article(c.type_formalite)
    );
    for ligne in mise.couper(&fondement, 9.0, false, LARGEUR_UTILE - 40.0) {
        let y = mise.y;
        mise.centre(y, 9.0, false, GRIS, &ligne);
        mise.y += 12.5;
    }
    mise.y += 10.0;

    // The entity.
    mise.titre_section("Responsable du traitement");
    mise.champ("Dénomination", &n(&c.denomination), true);
    if let Some(sigle) = c.sigle.as_deref().filter(|s| !s.trim().is_empty()) {
        mise.champ("Sigle", &n(sigle), false);
    }
    if let Some(adresse) = c.adresse.as_deref().filter(|s| !s.trim().is_empty()) {
        mise.champ("Adresse", &n(adresse), false);
    }
    if let Some(ville) = c.ville.as_deref().filter(|s| !s.trim().is_empty()) {
        mise.champ("Ville", &n(ville), false);
    }
    mise.y += 6.0;

    // The formality.
    mise.titre_section("Formalité");
    mise.champ("Formalité", libelle_formalite(c.type_formalite), true);
    mise.champ(
        "Base légale",
        &format!(
            "Loi n° 2013-450 du 19 juin 2013, article {}",
            article(c.type_formalite)
        ),
        false,
    );
    mise.champ("Date de délivrance", &date_complete(c.date_emission), false);
    mise.champ("Valable jusqu'au", &date_complete(c.date_expiration), true);
    mise.y += 6.0;

    // The activities, flowing onto further pages.
    let section = format!(
        "{} ({})",
        intitule_traitements(c.type_formalite),
        c.traitements.len()
    );
    mise.titre_section(&section);
    mise.section_courante = Some(intitule_traitements(c.type_formalite).to_string());
    if c.traitements.is_empty() {
        mise.paragraphe(MARGE, 9.5, false, GRIS, "Aucun traitement.");
    }
    for (i, t) in c.traitements.iter().enumerate() {
        let rang = format!("{}.", i + 1);
        let retrait = MARGE + 30.0;
        let nom = mise.couper(&n(&t.nom), 10.0, true, DROITE - retrait);
        let finalites: Vec<String> = t
            .finalites
            .iter()
            .map(|f| n(f))
            .filter(|f| !f.trim().is_empty())
            .collect();
        let libelle = if finalites.len() > 1 {
            "Finalités"
        } else {
            "Finalité"
        };
        let texte_finalites = if finalites.is_empty() {
            format!("{libelle} : non précisée")
        } else {
            format!("{libelle} : {}", finalites.join(" ; "))
        };
        let lignes_finalites = mise.couper(&texte_finalites, 9.0, false, DROITE - retrait);
        // Keep the name with the first line of its purposes.
        mise.place(nom.len() as f32 * 13.5 + 12.0);
        for (j, ligne) in nom.iter().enumerate() {
            if j == 0 {
                // The rank right-aligned before the name: "9." and "100." end together.
                let l = grasse.largeur(&rang, 10.0);
                mise.texte(retrait - 5.0 - l, mise.y, 10.0, true, ORANGE, &rang);
            }
            mise.texte(retrait, mise.y, 10.0, true, ENCRE, ligne);
            mise.y += 13.5;
        }
        for ligne in &lignes_finalites {
            mise.place(0.0);
            mise.texte(retrait, mise.y, 9.0, false, GRIS, ligne);
            mise.y += 12.0;
        }
        mise.y += 7.0;
    }

    // Place and date of issue, after the list.
    let fait = format!("Fait à Abidjan, le {}", date_longue(c.date_emission));
    mise.place(20.0);
    mise.y += 10.0;
    let l = normale.largeur(&fait, 9.5);
    let y = mise.y;
    mise.texte(DROITE - l, y, 9.5, false, ENCRE, &fait);

    verification(&mut mise, c);
    let pages = mise.pages;
    ecrire(c, titre, &numero, pages, normale, grasse, &qr)
}

/// The verification box at the bottom of page 1: QR code, sentence, address in clear.
fn verification(mise: &mut Mise, c: &Certificat) {
    let haut = HAUT_VERIFICATION;
    let page1 = &mut mise.pages[0];
    page1.push(Element::Rectangle {
        rect: rect(MARGE, haut, LARGEUR_UTILE, HAUTEUR_VERIFICATION),
        couleur: FOND,
    });
    page1.push(Element::Rectangle {
        rect: rect(MARGE, haut, 3.0, HAUTEUR_VERIFICATION),
        couleur: VERT,
    });
    let cote = HAUTEUR_VERIFICATION - 16.0;
    let qr_rect = rect(MARGE + 12.0, haut + 8.0, cote, cote);
    page1.push(Element::Qr { rect: qr_rect });
    page1.push(Element::Lien { rect: qr_rect });

    let x = MARGE + 12.0 + cote + 16.0;
    let largeur = DROITE - 12.0 - x;
    let mut y = haut + 24.0;
    let mut lignes_texte = Vec::new();
    lignes_texte.push((
        "Vérifiez l'authenticité de ce document :".to_string(),
        10.5,
        true,
        ENCRE,
        15.0,
    ));
    let adresse = nettoyer(mise.normale, mise.grasse, &c.adresse_verification);
    for ligne in mise.couper(&adresse, 9.5, false, largeur) {
        lignes_texte.push((ligne, 9.5, false, BLEU, 13.0));
    }
    let aide = "Scannez le code QR ou saisissez cette adresse dans un navigateur : la page \
                de l'ARTCI indique si ce numéro est en vigueur et donne l'empreinte SHA-256 \
                de chaque version du document.";
    let lignes_aide = mise.couper(aide, 8.0, false, largeur);
    let mut premiere_aide = true;
    for ligne in lignes_aide {
        let avant = if premiere_aide { 5.0 } else { 0.0 };
        premiere_aide = false;
        lignes_texte.push((ligne, 8.0, false, GRIS, 10.5 + avant));
    }
    let mut y_adresse = (f32::MAX, 0.0f32);
    let page1 = &mut mise.pages[0];
    for (i, (ligne, taille, gras, couleur, pas)) in lignes_texte.into_iter().enumerate() {
        if i > 0 {
            y += pas;
        }
        if couleur == BLEU {
            y_adresse.0 = y_adresse.0.min(y - taille);
            y_adresse.1 = y_adresse.1.max(y + 3.0);
        }
        page1.push(Element::Texte {
            x,
            y,
            taille,
            gras,
            couleur,
            texte: ligne,
        });
    }
    if y_adresse.0 < y_adresse.1 {
        page1.push(Element::Lien {
            rect: rect(x, y_adresse.0, largeur, y_adresse.1 - y_adresse.0),
        });
    }
}

fn remplir(surface: &mut Surface, couleur: Couleur) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(couleur.0, couleur.1, couleur.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn dessiner_rect(surface: &mut Surface, r: Rect, couleur: Couleur) {
    let mut pb = PathBuilder::new();
    pb.push_rect(r);
    if let Some(chemin) = pb.finish() {
        remplir(surface, couleur);
        surface.draw_path(&chemin);
    }
}

/// The QR code with its 4-module quiet zone, dark modules merged into horizontal runs.
fn dessiner_qr(surface: &mut Surface, r: Rect, qr: &QrCode) {
    dessiner_rect(surface, r, BLANC);
    let cote = qr.width();
    let module = r.width() / (cote + 8) as f32;
    let couleurs = qr.to_colors();
    let mut pb = PathBuilder::new();
    for ligne in 0..cote {
        let mut colonne = 0;
        while colonne < cote {
            if couleurs[ligne * cote + colonne] == qrcode::Color::Dark {
                let debut = colonne;
                while colonne < cote && couleurs[ligne * cote + colonne] == qrcode::Color::Dark {
                    colonne += 1;
                }
                pb.push_rect(rect(
                    r.left() + (4 + debut) as f32 * module,
                    r.top() + (4 + ligne) as f32 * module,
                    (colonne - debut) as f32 * module,
                    module,
                ));
            } else {
                colonne += 1;
            }
        }
    }
    if let Some(chemin) = pb.finish() {
        remplir(surface, NOIR);
        surface.draw_path(&chemin);
    }
}

fn ecrire(
    c: &Certificat,
    titre: &str,
    numero: &str,
    pages: Vec<Vec<Element>>,
    normale: &Police,
    grasse: &Police,
    qr: &QrCode,
) -> Result<Vec<u8>, ErreurRendu> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_U)
        .finish()
        .expect("PDF/A-2u est une configuration valide");
    let reglages = SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(reglages);
    let d = c.date_emission;
    document.set_metadata(
        Metadata::new()
            .title(format!("{titre} N° {numero} (version {})", c.version))
            .authors(vec![EMETTEUR.to_string()])
            .description(nettoyer(normale, grasse, &c.denomination))
            .language("fr-CI".to_string())
            .creator("registre-dcp".to_string())
            .creation_date(
                DateTime::new(d.year().clamp(0, 9999) as u16)
                    .month(d.month() as u8)
                    .day(d.day() as u8),
            )
            .document_id(format!("{numero}/{}", c.version)),
    );

    let total = pages.len();
    let pied_gauche = format!("ARTCI · {titre} N° {numero} · Version {}", c.version);
    for (indice, elements) in pages.into_iter().enumerate() {
        let reglages = PageSettings::from_wh(LARGEUR_PAGE, HAUTEUR_PAGE).expect("format A4");
        let mut page = document.start_page_with(reglages);
        let mut liens = Vec::new();
        {
            let mut surface = page.surface();
            let texte = |s: &mut Surface, x, y, taille, gras: bool, couleur, t: &str| {
                remplir(s, couleur);
                let police = if gras { grasse } else { normale };
                s.draw_text(
                    Point::from_xy(x, y),
                    police.krilla.clone(),
                    taille,
                    t,
                    false,
                    TextDirection::Auto,
                );
            };
            for e in elements {
                match e {
                    Element::Texte {
                        x,
                        y,
                        taille,
                        gras,
                        couleur,
                        texte: t,
                    } => texte(&mut surface, x, y, taille, gras, couleur, &t),
                    Element::Rectangle { rect, couleur } => {
                        dessiner_rect(&mut surface, rect, couleur)
                    }
                    Element::Qr { rect } => dessiner_qr(&mut surface, rect, qr),
                    Element::Lien { rect } => liens.push(rect),
                }
            }
            // Footer.
            let y = HAUTEUR_PAGE - 36.0;
            dessiner_rect(
                &mut surface,
                rect(MARGE, y - 11.0, LARGEUR_UTILE, 0.5),
                GRIS_CLAIR,
            );
            let numero_page = format!("Page {} / {}", indice + 1, total);
            let l = normale.largeur(&numero_page, 7.5);
            let gauche = {
                let max = LARGEUR_UTILE - l - 20.0;
                let mut g = pied_gauche.clone();
                while normale.largeur(&g, 7.0) > max && g.chars().count() > 1 {
                    g.pop();
                }
                g
            };
            texte(&mut surface, MARGE, y, 7.0, false, GRIS, &gauche);
            texte(&mut surface, DROITE - l, y, 7.5, false, GRIS, &numero_page);
            surface.finish();
        }
        for r in liens {
            page.add_annotation(Annotation::new_link(
                LinkAnnotation::new(
                    r,
                    Target::Action(Action::Link(LinkAction::new(
                        c.adresse_verification.clone(),
                    ))),
                ),
                Some("Page de vérification du document".to_string()),
            ));
        }
        page.finish();
    }
    Ok(document.finish()?)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    const URL: &str = "https://registre.artci.ci/verification/RCP-2026-000001";
    const DENOMINATION: &str = "Société Ivoirienne de Télécommunications Éburnéennes";

    fn certificat(traitements: usize) -> Certificat {
        Certificat {
            type_formalite: TypeFormalite::DeclarationPrealable,
            numero: "RCP-2026-000001".into(),
            version: 2,
            date_emission: NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
            date_expiration: NaiveDate::from_ymd_opt(2029, 12, 5).unwrap(),
            denomination: DENOMINATION.into(),
            sigle: Some("SITE".into()),
            adresse: Some("Boulevard Valéry Giscard d'Estaing, Treichville, 01 BP 1234".into()),
            ville: Some("Abidjan".into()),
            traitements: (1..=traitements)
                .map(|i| TraitementCertifie {
                    nom: format!("Traitement n° {i} : gestion des abonnés et de la facturation"),
                    finalites: vec![
                        "Gestion de la relation client et du recouvrement des créances".into(),
                        "Prévention de la fraude, sécurité des réseaux et des systèmes \
                         d'information, réponse aux réquisitions judiciaires"
                            .into(),
                    ],
                })
                .collect(),
            adresse_verification: URL.into(),
        }
    }

    /// Runs a tool that the tests need; a missing tool fails the test, never skips it.
    fn outil(programme: &str, arguments: &[&str]) -> String {
        let sortie = Command::new(programme)
            .args(arguments)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "{programme} est introuvable ou ne démarre pas ({e}) : installez \
                     poppler-utils (pdftotext, pdftoppm, pdfinfo) et zbar-tools (zbarimg)"
                )
            });
        assert!(
            sortie.status.success(),
            "{programme} {arguments:?} a échoué : {}",
            String::from_utf8_lossy(&sortie.stderr)
        );
        String::from_utf8(sortie.stdout).expect("sortie UTF-8")
    }

    fn ecrire_pdf(dossier: &Path, octets: &[u8]) -> String {
        let chemin = dossier.join("certificat.pdf");
        std::fs::write(&chemin, octets).unwrap();
        chemin.to_str().unwrap().to_string()
    }

    fn pages(pdf: &str) -> usize {
        let info = outil("pdfinfo", &[pdf]);
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .expect("pdfinfo donne le nombre de pages")
            .trim()
            .parse()
            .unwrap()
    }

    #[test]
    fn rendu_titres_des_formalites() {
        assert_eq!(
            titre(TypeFormalite::DeclarationPrealable),
            "Récépissé de déclaration"
        );
        assert_eq!(
            titre(TypeFormalite::AutorisationPrealable),
            "Autorisation de traitement"
        );
        assert_eq!(titre(TypeFormalite::Dispense), "Attestation de dispense");
    }

    #[test]
    fn rendu_certificat_lisible_par_pdftotext() {
        let dossier = tempfile::tempdir().unwrap();
        let pdf = ecrire_pdf(dossier.path(), &rendre(&certificat(5)).unwrap());
        let texte = outil("pdftotext", &["-layout", &pdf, "-"]);
        for attendu in [
            "RCP-2026-000001",
            DENOMINATION,
            "SITE",
            "Treichville",
            "Abidjan",
            "Récépissé de déclaration",
            "Version 2",
            "06/12/2026",
            "6 décembre 2026",
            "05/12/2029",
            "5 décembre 2029",
            "Autorité de Régulation des Télécommunications/TIC de Côte d'Ivoire (ARTCI)",
            "Loi n° 2013-450 du 19 juin 2013, article 5",
            "Traitement n° 5",
            "Vérifiez l'authenticité de ce document",
            URL,
            "Page 1 / ",
        ] {
            assert!(
                texte.contains(attendu),
                "« {attendu} » manque dans le texte du PDF :\n{texte}"
            );
        }
    }

    #[test]
    fn rendu_dossier_type_sur_une_page() {
        let dossier = tempfile::tempdir().unwrap();
        let mut c = certificat(5);
        for t in &mut c.traitements {
            t.nom = "Gestion des abonnés".into();
            t.finalites = vec!["Souscription, facturation et recouvrement".into()];
        }
        let pdf = ecrire_pdf(dossier.path(), &rendre(&c).unwrap());
        assert_eq!(pages(&pdf), 1);
        let texte = outil("pdftotext", &["-layout", &pdf, "-"]);
        assert!(texte.contains("Page 1 / 1"), "{texte}");
        assert!(
            texte.contains("Fait à Abidjan, le 6 décembre 2026"),
            "{texte}"
        );
    }

    #[test]
    fn rendu_titre_et_article_selon_la_formalite() {
        let dossier = tempfile::tempdir().unwrap();
        for (t, titre, article) in [
            (
                TypeFormalite::AutorisationPrealable,
                "Autorisation de traitement",
                "article 7",
            ),
            (
                TypeFormalite::Dispense,
                "Attestation de dispense",
                "article 6",
            ),
        ] {
            let mut c = certificat(1);
            c.type_formalite = t;
            let pdf = ecrire_pdf(dossier.path(), &rendre(&c).unwrap());
            let texte = outil("pdftotext", &["-layout", &pdf, "-"]);
            assert!(texte.contains(titre), "{titre} manque :\n{texte}");
            assert!(texte.contains(article), "{article} manque :\n{texte}");
        }
    }

    #[test]
    fn rendu_code_qr_decode_par_zbarimg() {
        let dossier = tempfile::tempdir().unwrap();
        let pdf = ecrire_pdf(dossier.path(), &rendre(&certificat(5)).unwrap());
        let racine = dossier.path().join("page");
        let racine = racine.to_str().unwrap();
        outil(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                &pdf,
                racine,
            ],
        );
        let lu = outil("zbarimg", &["--raw", "-q", &format!("{racine}.png")]);
        assert_eq!(lu.trim_end_matches('\n'), URL);
    }

    #[test]
    fn rendu_cent_traitements_sur_plusieurs_pages() {
        let dossier = tempfile::tempdir().unwrap();
        let mut c = certificat(100);
        c.traitements[99].nom = "Vidéoprotection des agences : dernier traitement".into();
        let pdf = ecrire_pdf(dossier.path(), &rendre(&c).unwrap());
        let n = pages(&pdf);
        assert!(n > 1, "100 traitements tiennent sur {n} page");
        let texte = outil("pdftotext", &["-layout", &pdf, "-"]);
        assert!(texte.contains("Vidéoprotection des agences : dernier traitement"));
        assert!(texte.contains(&format!("Page {n} / {n}")));
        assert!(texte.contains("Traitements déclarés (suite)"));
        // The QR code is still read on page 1.
        let racine = dossier.path().join("page");
        let racine = racine.to_str().unwrap();
        outil(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                &pdf,
                racine,
            ],
        );
        let lu = outil("zbarimg", &["--raw", "-q", &format!("{racine}.png")]);
        assert_eq!(lu.trim_end_matches('\n'), URL);
    }

    #[test]
    fn rendu_pdfa_2u_declare() {
        let dossier = tempfile::tempdir().unwrap();
        let octets = rendre(&certificat(5)).unwrap();
        let pdf = ecrire_pdf(dossier.path(), &octets);
        let info = outil("pdfinfo", &["-meta", &pdf]);
        assert!(info.contains("<pdfaid:part>2</pdfaid:part>"), "{info}");
        assert!(
            info.contains("<pdfaid:conformance>U</pdfaid:conformance>"),
            "{info}"
        );
        assert!(outil("pdfinfo", &[&pdf]).contains("595.276 x 841.89 pts (A4)"));
    }

    #[test]
    fn rendu_deterministe() {
        let c = certificat(5);
        assert_eq!(rendre(&c).unwrap(), rendre(&c).unwrap());
        let mut autre = c.clone();
        autre.version = 3;
        assert_ne!(rendre(&c).unwrap(), rendre(&autre).unwrap());
    }

    #[test]
    fn rendu_texte_hors_police_et_mots_trop_longs() {
        let dossier = tempfile::tempdir().unwrap();
        let mut c = certificat(1);
        c.denomination = "Entreprise 🚀 漢字\u{7}".into();
        c.sigle = None;
        c.adresse = None;
        c.traitements[0].nom = "X".repeat(300);
        c.traitements[0].finalites = vec![];
        c.adresse_verification =
            format!("https://registre.artci.ci/verification/{}", "A".repeat(120));
        let pdf = ecrire_pdf(dossier.path(), &rendre(&c).unwrap());
        let texte = outil("pdftotext", &["-layout", &pdf, "-"]);
        assert!(texte.contains("Entreprise ? ??"), "{texte}");
        assert!(texte.contains("Finalité : non précisée"));
        assert!(!texte.contains("Sigle"));
    }

    #[test]
    fn rendu_caractere_absent_de_la_police_grasse() {
        // The denomination is set in bold: a character only the regular face has must not
        // reach the bold face (PDF/A forbids .notdef; krilla would refuse the document).
        let (normale, grasse) = POLICES.as_ref().unwrap();
        let absent = (0x20u32..0x3_0000)
            .filter_map(char::from_u32)
            .find(|&c| {
                normale.face.glyph_index(c).is_some() && grasse.face.glyph_index(c).is_none()
            })
            .expect("DejaVu Sans a des glyphes que DejaVu Sans Bold n'a pas");
        let mut c = certificat(1);
        c.denomination = format!("Entité {absent}");
        c.traitements[0].nom = format!("Traitement {absent}");
        rendre(&c).unwrap();
    }

    #[test]
    fn rendu_date_longue_en_francais() {
        assert_eq!(
            date_longue(NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()),
            "1er mars 2027"
        );
        assert_eq!(
            date_longue(NaiveDate::from_ymd_opt(2026, 8, 15).unwrap()),
            "15 août 2026"
        );
    }
}
