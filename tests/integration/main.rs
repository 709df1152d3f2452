//! The integration tests: one binary, a real PostgreSQL + PostGIS, a database per test.

mod agents;
mod boot;
mod comptes;
mod courriels;
mod documents;
mod entites;
mod enums;
mod graphql_schema;
mod http;
mod inscriptions;
mod jobs;
mod migrations;
mod roundtrip;
mod schema_rs;
mod support;
