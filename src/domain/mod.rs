//! The rules of the domain, in plain Rust: no HTTP, no SQL.

pub mod mot_de_passe;
pub mod validation;
