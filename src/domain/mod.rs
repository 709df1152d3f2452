//! The rules of the domain, in plain Rust: no HTTP, no SQL.

pub mod agents;
pub mod connexion;
pub mod debit;
pub mod inscription;
pub mod mot_de_passe;
pub mod otp;
pub mod validation;
