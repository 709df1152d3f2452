//! Rebuilds the binary when a migration is added or changed: they are embedded in it
//! (`diesel_migrations::embed_migrations!`), and a new directory is not seen otherwise.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
