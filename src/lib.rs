//! registre-dcp: the back end of Côte d'Ivoire's registry of personal-data processing
//! (Loi n° 2013-450). A GraphQL service over PostgreSQL + PostGIS.
//!
//! The data flows one way: `http` (axum) → `graphql` resolvers (parse, authorise, call) →
//! `domain` (the rules) → `models` (Diesel queries) → PostgreSQL.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod evenements;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod migrations;
pub mod models;
pub mod places;
pub mod rendu;
pub mod sauvegarde;
pub mod schema;
pub mod seed;
pub mod server;
pub mod state;
pub mod storage;
