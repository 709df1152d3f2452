//! The integration tests: one binary, a real PostgreSQL + PostGIS, a database per test.

mod boot;
mod enums;
mod graphql_schema;
mod http;
mod migrations;
mod roundtrip;
mod schema_rs;
mod support;
