//! The rules of the domain. No HTTP here, and data only through `models`: `otp`, `workflow`,
//! `formalites`, `score`, `validation`, `mot_de_passe` and `roles` are pure; `comptes`,
//! `inscription`, `agents` and `rapprochement` orchestrate the models in transactions.

pub mod acces;
pub mod agents;
pub mod certificats;
pub mod comptes;
pub mod contenu;
pub mod debit;
pub mod decisions;
pub mod delais;
pub mod documents;
pub mod dossier;
pub mod entites;
pub mod formalites;
pub mod inscription;
pub mod modifications;
pub mod mot_de_passe;
pub mod otp;
pub mod pays;
pub mod pieces;
pub mod progression;
pub mod rapports_activite;
pub mod rapprochement;
pub mod renouvellements;
pub mod roles;
pub mod score;
pub mod soumission;
pub mod tableau_de_bord;
pub mod transitions;
pub mod validation;
pub mod verification;
pub mod workflow;
