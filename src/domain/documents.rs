//! Documents attached to a dossier: what may be uploaded (by whom, of what kind and size),
//! and who may download it. The bytes go to [`Stockage`]; the metadata to `documents_joints`.

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::Principal;
use crate::domain::acces::{self, Acces};
use crate::domain::roles;
use crate::error::{AppError, AppResult, Code};
use crate::models::DocumentJoint;
use crate::models::documents_joints::{self, NouveauDocument};
use crate::models::enums::{RoleUtilisateur, StatutVerificationDocument, TypeDocument};
use crate::storage::Stockage;

/// Largest document, per the domain (and the table's CHECK): 10 MiB.
pub const TAILLE_MAX_OCTETS: usize = 10 * 1024 * 1024;
/// Longest file name kept, in characters.
const NOM_MAX_CARACTERES: usize = 200;
const CHAMP_FICHIER: &str = "input.fichier";

/// A file as received: the name is the client's, the content is not yet checked.
pub struct Depot {
    pub entite_id: Uuid,
    pub type_document: TypeDocument,
    pub nom_fichier: String,
    pub contenu: Bytes,
}

/// The media type of `contenu`, from its first bytes only: PDF, PNG or JPEG. The file name
/// and the client's `Content-Type` say nothing trustworthy.
pub fn detecter_type(contenu: &[u8]) -> Option<&'static str> {
    if contenu.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if contenu.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if contenu.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Unicode's bidirectional controls: a right-to-left override (U+202E) inside `factureRLOfdp.exe`
/// shows it as `factureexe.pdf` in a file list.
fn bidi(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// The client's file name without any path, control or bidirectional character or
/// surrounding blanks, capped in length; a name left empty becomes `document`.
pub fn nettoyer_nom(nom: &str) -> String {
    let base = nom.rsplit(['/', '\\']).next().unwrap_or("");
    let propre: String = base
        .chars()
        .filter(|c| !c.is_control() && !bidi(*c))
        .take(NOM_MAX_CARACTERES)
        .collect();
    let propre = propre.trim().trim_start_matches('.').trim();
    if propre.is_empty() {
        "document".to_owned()
    } else {
        propre.to_owned()
    }
}

/// `nom` (already cleaned) ending in the extension of the detected `mime` type: a PDF named
/// `rapport.exe` is stored as `rapport.exe.pdf`, so that nobody downloading it is told it is
/// something else.
pub fn nom_du_type(nom: String, mime: &str) -> String {
    let (extensions, canonique): (&[&str], &str) = match mime {
        "application/pdf" => (&["pdf"], "pdf"),
        "image/png" => (&["png"], "png"),
        "image/jpeg" => (&["jpg", "jpeg"], "jpg"),
        _ => return nom,
    };
    let extension = nom.rsplit_once('.').map(|(_, e)| e.to_lowercase());
    if extension.is_some_and(|e| extensions.contains(&e.as_str())) {
        nom
    } else {
        format!("{nom}.{canonique}")
    }
}

pub fn sha256_hex(contenu: &[u8]) -> String {
    let digest = Sha256::digest(contenu);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The size and type checks, before anything is stored: (mime type, size). Errors name
/// `input.fichier`, the field of `televerserDocument`.
pub fn verifier_contenu(contenu: &[u8]) -> AppResult<(&'static str, i32)> {
    verifier_fichier(contenu, CHAMP_FICHIER)
}

/// [`verifier_contenu`] for a file sent in the input field `champ` (`input.preuve`).
pub fn verifier_fichier(contenu: &[u8], champ: &str) -> AppResult<(&'static str, i32)> {
    if contenu.is_empty() {
        return Err(AppError::bad_input(champ, "Le fichier est vide."));
    }
    if contenu.len() > TAILLE_MAX_OCTETS {
        return Err(AppError::bad_input(champ, "Le fichier dépasse 10 Mo."));
    }
    let mime = detecter_type(contenu).ok_or_else(|| {
        AppError::bad_input(
            champ,
            "Format non accepté : seuls les PDF, PNG et JPEG sont acceptés.",
        )
    })?;
    let taille = i32::try_from(contenu.len()).map_err(AppError::internal)?;
    Ok((mime, taille))
}

/// The `documents_joints` columns of who deposits a file: a company account or a staff member.
pub fn deposant(principal: Principal) -> AppResult<(Option<Uuid>, Option<Uuid>)> {
    match principal {
        Principal::Entreprise { compte_id } => Ok((Some(compte_id), None)),
        Principal::Agent { user_id, .. } => Ok((None, Some(user_id))),
        Principal::Anonyme => Err(AppError::unauthenticated()),
    }
}

/// Checks the file of `depot` (errors naming `champ`) and describes its row: a new id, the
/// storage key generated from it, the cleaned name, the detected type and the digest. Nothing
/// is stored yet: see [`stocker_puis_enregistrer`].
pub fn preparer(depot: &Depot, principal: Principal, champ: &str) -> AppResult<NouveauDocument> {
    let (depose_par_compte_id, depose_par_user_id) = deposant(principal)?;
    let (mime_type, taille_octets) = verifier_fichier(&depot.contenu, champ)?;
    let id = Uuid::new_v4();
    Ok(NouveauDocument {
        id,
        entite_id: depot.entite_id,
        type_document: depot.type_document,
        nom_fichier: nom_du_type(nettoyer_nom(&depot.nom_fichier), mime_type),
        cle_stockage: Stockage::cle_document(depot.entite_id, id),
        taille_octets,
        mime_type: mime_type.to_owned(),
        sha256: sha256_hex(&depot.contenu),
        depose_par_compte_id,
        depose_par_user_id,
        visible_entreprise: true,
    })
}

/// Stores `contenu` under `cle`, then runs `enregistrer` (which writes the rows referring to
/// it). The object goes first so that no row ever points at missing bytes; if `enregistrer`
/// fails the object is deleted again, so that no object is left without its row.
pub async fn stocker_puis_enregistrer<T>(
    stockage: &Stockage,
    cle: &str,
    contenu: Bytes,
    enregistrer: impl AsyncFnOnce() -> AppResult<T>,
) -> AppResult<T> {
    stockage
        .deposer(cle, contenu)
        .await
        .map_err(erreur_stockage)?;
    match enregistrer().await {
        Ok(resultat) => Ok(resultat),
        Err(e) => {
            if let Err(suppression) = stockage.supprimer(cle).await {
                tracing::error!(
                    cle = %cle,
                    error = %suppression,
                    "objet orphelin : suppression après échec de l'insertion impossible"
                );
            }
            Err(e)
        }
    }
}

/// What a company may store (`MAX_DOCUMENTS_PER_ENTITY`, `MAX_DOCUMENT_BYTES_PER_ENTITY`,
/// `MAX_DOCUMENT_BYTES_PER_ACCOUNT`): its uploads count, superseded ones included; ARTCI's
/// do not.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    pub documents_par_entite: u32,
    pub octets_par_entite: u64,
    pub octets_par_compte: u64,
}

impl From<&crate::config::StorageConfig> for Quotas {
    fn from(c: &crate::config::StorageConfig) -> Self {
        Self {
            documents_par_entite: c.max_documents_par_entite,
            octets_par_entite: c.max_octets_par_entite,
            octets_par_compte: c.max_octets_par_compte,
        }
    }
}

/// Refuses a company's upload of `taille` bytes to `entite_id` that would pass a quota
/// (`BAD_USER_INPUT` on `input.fichier`, naming the quota); staff are not counted.
async fn verifier_quotas(
    conn: &mut AsyncPgConnection,
    quotas: Quotas,
    principal: Principal,
    entite_id: Uuid,
    taille: usize,
) -> AppResult<()> {
    let Principal::Entreprise { compte_id } = principal else {
        return Ok(());
    };
    let (documents, octets_entite, octets_compte) =
        documents_joints::occupation(conn, entite_id, compte_id).await?;
    let taille = taille as u64;
    let mo = |octets: u64| octets / (1024 * 1024);
    let refus = if documents >= i64::from(quotas.documents_par_entite) {
        Some(format!(
            "Ce dossier a atteint son quota de {} documents (MAX_DOCUMENTS_PER_ENTITY) : \
             retirez-en avant d'en ajouter.",
            quotas.documents_par_entite
        ))
    } else if octets_entite.max(0) as u64 + taille > quotas.octets_par_entite {
        Some(format!(
            "Ce dossier a atteint son quota de {} Mo de documents \
             (MAX_DOCUMENT_BYTES_PER_ENTITY).",
            mo(quotas.octets_par_entite)
        ))
    } else if octets_compte.max(0) as u64 + taille > quotas.octets_par_compte {
        Some(format!(
            "Votre compte a atteint son quota de {} Mo de documents \
             (MAX_DOCUMENT_BYTES_PER_ACCOUNT).",
            mo(quotas.octets_par_compte)
        ))
    } else {
        None
    };
    match refus {
        Some(message) => Err(AppError::bad_input(CHAMP_FICHIER, message)),
        None => Ok(()),
    }
}

/// Uploads a document, through [`preparer`] and [`stocker_puis_enregistrer`]: a company to
/// its own dossier while it may edit it; staff (`editeur`+) to any dossier at any status (an
/// audit or inspection report, a signed decision), hidden from the company when
/// `visible_entreprise` is false.
pub async fn televerser(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    principal: Principal,
    depot: Depot,
    visible_entreprise: Option<bool>,
    quotas: Quotas,
) -> AppResult<DocumentJoint> {
    match principal {
        Principal::Agent { role, .. } => {
            if !roles::au_moins(role, RoleUtilisateur::Editeur) {
                return Err(AppError::forbidden());
            }
            acces::verifier(conn, principal, depot.entite_id, Acces::Lecture).await?;
        }
        _ => {
            if visible_entreprise == Some(false) {
                return Err(AppError::bad_input(
                    "input.visibleEntreprise",
                    "Seule l'ARTCI dépose un document que l'entreprise ne voit pas.",
                ));
            }
            acces::verifier(conn, principal, depot.entite_id, Acces::Ecriture).await?;
        }
    }
    if depot.type_document == TypeDocument::PreuveRapprochement {
        // A proof belongs to a claim: it comes with `demanderRapprochement`, nowhere else.
        return Err(AppError::bad_input(
            "input.typeDocument",
            "Une preuve de rapprochement se joint à la demande de rapprochement.",
        ));
    }
    let mut nouveau = preparer(&depot, principal, CHAMP_FICHIER)?;
    verifier_quotas(
        conn,
        quotas,
        principal,
        depot.entite_id,
        depot.contenu.len(),
    )
    .await?;
    nouveau.visible_entreprise = visible_entreprise.unwrap_or(true);
    let cle = nouveau.cle_stockage.clone();
    stocker_puis_enregistrer(stockage, &cle, depot.contenu, async || {
        Ok(documents_joints::create(conn, &nouveau).await?)
    })
    .await
}

/// A company's own document it may still change: uploaded by a company, on a dossier the
/// caller may write, not superseded, not issued by ARTCI. Anything else of another company is
/// `NOT_FOUND`.
async fn document_modifiable(
    conn: &mut AsyncPgConnection,
    principal: Principal,
    document_id: Uuid,
) -> AppResult<DocumentJoint> {
    let introuvable = || AppError::not_found("Document");
    let document = documents_joints::find_for_update(conn, document_id)
        .await?
        .ok_or_else(introuvable)?;
    if !matches!(principal, Principal::Entreprise { .. }) {
        return Err(AppError::forbidden_because(
            "L'entreprise remplace ou retire ses propres documents.",
        ));
    }
    if document.depose_par_compte_id.is_none() || !lisible_hors_personnel(document.type_document) {
        return Err(introuvable());
    }
    acces::verifier(conn, principal, document.entite_id, Acces::Lecture)
        .await
        .map_err(|e| match e.code() {
            Code::Unavailable | Code::Internal => e,
            _ => introuvable(),
        })?;
    acces::verifier(conn, principal, document.entite_id, Acces::Ecriture).await?;
    if document.remplace_par_id.is_some() {
        return Err(AppError::conflict(
            "Ce document a déjà été remplacé : le plus récent seul se change.",
        ));
    }
    Ok(document)
}

/// `remplacerDocument`: the company uploads a new version of one of its documents; the old
/// one is kept, superseded, for the history (and its review with it).
// Each argument is one fact of the replacement, named at its one call site.
#[allow(clippy::too_many_arguments)]
pub async fn remplacer(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    principal: Principal,
    document_id: Uuid,
    nom_fichier: String,
    contenu: Bytes,
    quotas: Quotas,
    maintenant: DateTime<Utc>,
) -> AppResult<DocumentJoint> {
    conn.transaction::<_, AppError, _>(async |conn| {
        let ancien = document_modifiable(conn, principal, document_id).await?;
        verifier_quotas(conn, quotas, principal, ancien.entite_id, contenu.len()).await?;
        let depot = Depot {
            entite_id: ancien.entite_id,
            type_document: ancien.type_document,
            nom_fichier,
            contenu,
        };
        let nouveau = preparer(&depot, principal, CHAMP_FICHIER)?;
        let cle = nouveau.cle_stockage.clone();
        stocker_puis_enregistrer(stockage, &cle, depot.contenu, async || {
            let cree = documents_joints::create(conn, &nouveau).await?;
            if !documents_joints::marquer_remplace(conn, ancien.id, cree.id, maintenant).await? {
                return Err(AppError::conflict("Ce document a déjà été remplacé."));
            }
            Ok(cree)
        })
        .await
    })
    .await
}

/// `supprimerDocument`: the company withdraws one of its documents ARTCI has not reviewed
/// yet, while it may edit its dossier. The row goes first, in its transaction; the stored
/// file is removed once that is committed, so that a failure of the store leaves at worst a
/// file without a row (logged), never a row without its file.
pub async fn supprimer(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    principal: Principal,
    document_id: Uuid,
) -> AppResult<()> {
    let cle = conn
        .transaction::<_, AppError, _>(async |conn| {
            let document = document_modifiable(conn, principal, document_id).await?;
            if document.statut_verification != StatutVerificationDocument::EnAttente {
                return Err(AppError::conflict(
                    "L'ARTCI a déjà examiné ce document : remplacez-le plutôt, il reste dans \
                     l'historique.",
                ));
            }
            documents_joints::supprimer(conn, document.id)
                .await?
                .ok_or_else(|| AppError::not_found("Document"))
        })
        .await?;
    if let Err(e) = stockage.supprimer(&cle).await {
        tracing::error!(cle = %cle, error = %e, "fichier orphelin : suppression impossible");
    }
    Ok(())
}

/// Whether `principal`, who may read the entity, sees `document` among its documents: staff
/// see all; the company neither a claim's proof nor what ARTCI hid from it.
pub fn visible_pour(principal: Principal, document: &DocumentJoint) -> bool {
    match principal {
        Principal::Agent { .. } => true,
        _ => document.visible_entreprise && lisible_hors_personnel(document.type_document),
    }
}

/// The document and its bytes, for `principal`: a public document of a published entity for
/// anyone; otherwise staff and the owner company only. Anything else is `NOT_FOUND`, so that
/// existence is not revealed.
///
/// A claim's proof (`preuve_rapprochement`) is for staff only, whoever owns the entity: it was
/// deposed on an entity its author did not own, and once a claim is approved the entity's new
/// owner must not read the proofs of the other claimants (identity papers, mandates).
pub async fn telecharger(
    conn: &mut AsyncPgConnection,
    stockage: &Stockage,
    principal: Principal,
    document_id: Uuid,
) -> AppResult<(DocumentJoint, Bytes)> {
    let introuvable = || AppError::not_found("Document");
    let document = documents_joints::find_by_id(conn, document_id)
        .await?
        .ok_or_else(introuvable)?;
    if !visible_pour(principal, &document) && !matches!(principal, Principal::Agent { .. }) {
        return Err(introuvable());
    }
    // A public document is public only while its entity is in the public register.
    let public =
        document.est_public && documents_joints::entite_publique(conn, document.entite_id).await?;
    if !public {
        if principal == Principal::Anonyme {
            return Err(introuvable());
        }
        acces::verifier(conn, principal, document.entite_id, Acces::Lecture)
            .await
            .map_err(|e| match e.code() {
                Code::Unavailable | Code::Internal => e,
                _ => introuvable(),
            })?;
    }
    let contenu = stockage
        .lire(&document.cle_stockage)
        .await
        .map_err(erreur_stockage)?
        .ok_or_else(|| {
            AppError::internal(format!(
                "objet absent du stockage : {}",
                document.cle_stockage
            ))
        })?;
    Ok((document, contenu))
}

/// Whether a document of this type may be read by anyone but staff (its owner company, or
/// the public when it is public): every type but a claim's proof.
pub fn lisible_hors_personnel(type_document: TypeDocument) -> bool {
    type_document != TypeDocument::PreuveRapprochement
}

fn erreur_stockage(e: object_store::Error) -> AppError {
    tracing::error!(error = %e, "stockage des documents indisponible");
    AppError::unavailable()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_type_vient_du_contenu() {
        assert_eq!(detecter_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            detecter_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(detecter_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(detecter_type(b"<html><script>"), None);
        assert_eq!(detecter_type(b"MZ\x90\0"), None);
        assert_eq!(detecter_type(b"%PD"), None);
    }

    #[test]
    fn le_nom_perd_ses_caracteres_bidirectionnels_et_prend_l_extension_de_son_type() {
        assert_eq!(nettoyer_nom("facture\u{202E}fdp.exe"), "facturefdp.exe");
        assert_eq!(nettoyer_nom("a\u{2066}b\u{200F}.pdf"), "ab.pdf");
        assert_eq!(
            nom_du_type("rapport.exe".into(), "application/pdf"),
            "rapport.exe.pdf"
        );
        assert_eq!(
            nom_du_type("Statuts.PDF".into(), "application/pdf"),
            "Statuts.PDF"
        );
        assert_eq!(nom_du_type("photo.jpeg".into(), "image/jpeg"), "photo.jpeg");
        assert_eq!(
            nom_du_type("photo.png".into(), "image/jpeg"),
            "photo.png.jpg"
        );
        assert_eq!(nom_du_type("document".into(), "image/png"), "document.png");
    }

    #[test]
    fn le_nom_perd_son_chemin_et_sa_longueur() {
        assert_eq!(nettoyer_nom("../../etc/passwd"), "passwd");
        assert_eq!(nettoyer_nom("C:\\Users\\x\\statuts.pdf"), "statuts.pdf");
        assert_eq!(nettoyer_nom("  rc\u{0}\n.pdf "), "rc.pdf");
        assert_eq!(nettoyer_nom("dir/"), "document");
        assert_eq!(nettoyer_nom(".."), "document");
        assert_eq!(nettoyer_nom(&"é".repeat(500)).chars().count(), 200);
    }

    #[test]
    fn un_fichier_vide_trop_gros_ou_deguise_est_refuse() {
        for contenu in [
            Vec::new(),
            b"<html>".to_vec(),
            [b"%PDF-".as_slice(), &vec![0; TAILLE_MAX_OCTETS]].concat(),
        ] {
            let err = verifier_contenu(&contenu).unwrap_err();
            assert_eq!(err.code(), Code::BadUserInput);
            assert_eq!(err.field(), Some("input.fichier"));
        }
        assert_eq!(
            verifier_contenu(b"%PDF-1.4").unwrap(),
            ("application/pdf", 8)
        );
    }

    #[test]
    fn l_empreinte_est_en_hexadecimal_minuscule() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
