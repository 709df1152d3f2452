//! The committed `schema.graphql` is the code's schema.

use std::path::Path;

#[test]
fn schema_graphql_est_a_jour() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let generated = registre_dcp::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema.graphql ne correspond plus au code : régénérez-le avec \
         `cargo run -- schema > schema.graphql` (ou UPDATE_SCHEMA=1 cargo test schema_graphql)"
    );
}
