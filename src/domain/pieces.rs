//! The documents a dossier needs, in one place.
//!
//! The list follows the first version's form and ARTCI's practice for a declaration:
//! - every organisation: its `registre_commerce` (RCCM) and its `statuts`, which prove it
//!   exists and who represents it, and the `cni` of its legal representative;
//! - with a correspondant designated (Loi n° 2013-450, and the arrêté on the correspondant):
//!   the correspondant's `dpo_cv`, `dpo_casier_judiciaire`, `dpo_cni` and
//!   `dpo_extrait_naissance`, the four pieces of the designation file.
//!
//! An authorisation asks for nothing more here: the law leaves the list to ARTCI, and no
//! additional piece is named by the sources this service follows; the agent asks for what a
//! case needs through a request for complements.

use crate::domain::contenu::ContenuDossier;
use crate::models::enums::{StatutVerificationDocument, TypeDocument};

/// The document types `contenu`'s dossier needs.
pub fn requises(contenu: &ContenuDossier) -> Vec<TypeDocument> {
    let mut liste = vec![
        TypeDocument::RegistreCommerce,
        TypeDocument::Statuts,
        TypeDocument::Cni,
    ];
    if contenu.correspondant_actif().is_some() {
        liste.extend([
            TypeDocument::DpoCv,
            TypeDocument::DpoCasierJudiciaire,
            TypeDocument::DpoCni,
            TypeDocument::DpoExtraitNaissance,
        ]);
    }
    liste
}

/// Of the required types, those without a current document that ARTCI has not rejected
/// (`courants`: the type and review status of each document not superseded).
pub fn manquantes(
    requises: &[TypeDocument],
    courants: &[(TypeDocument, StatutVerificationDocument)],
) -> Vec<TypeDocument> {
    requises
        .iter()
        .copied()
        .filter(|t| {
            !courants
                .iter()
                .any(|(type_, statut)| type_ == t && *statut != StatutVerificationDocument::Rejete)
        })
        .collect()
}

/// Of the required types, those whose current document ARTCI rejected: they block a
/// `conforme` decision.
pub fn rejetees(
    requises: &[TypeDocument],
    courants: &[(TypeDocument, StatutVerificationDocument)],
) -> Vec<TypeDocument> {
    requises
        .iter()
        .copied()
        .filter(|t| {
            courants
                .iter()
                .any(|(type_, statut)| type_ == t && *statut == StatutVerificationDocument::Rejete)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use StatutVerificationDocument as S;
    use TypeDocument as T;

    #[test]
    fn une_piece_rejetee_ou_absente_manque_une_piece_en_attente_non() {
        let requises = requises(&ContenuDossier::default());
        assert_eq!(requises, [T::RegistreCommerce, T::Statuts, T::Cni]);
        let courants = [(T::RegistreCommerce, S::EnAttente), (T::Statuts, S::Rejete)];
        assert_eq!(manquantes(&requises, &courants), [T::Statuts, T::Cni]);
        assert_eq!(rejetees(&requises, &courants), [T::Statuts]);
    }
}
