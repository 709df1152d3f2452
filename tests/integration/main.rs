//! The integration tests: one binary, a real PostgreSQL + PostGIS, a database per test.

mod abonnements;
mod agents;
mod boot;
mod comptes;
mod courriels;
mod decisions;
mod documents;
mod dossier;
mod echeances;
mod entites;
mod enums;
mod formulaire_securite;
mod graphql_schema;
mod http;
mod inscriptions;
mod jobs;
mod liste_entites;
mod migrations;
mod parcours;
mod rapprochement;
mod renouvellements;
mod roundtrip;
mod schema_rs;
mod support;
mod tableau_de_bord;
mod verification;
