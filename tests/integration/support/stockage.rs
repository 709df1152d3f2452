//! The document store of one test: a directory of its own, removed when the test ends.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::TestApp;

/// A storage directory of one test, removed when the test ends.
pub struct Repertoire(pub PathBuf);

impl Repertoire {
    pub fn new() -> Self {
        Self(std::env::temp_dir().join(format!("registre-dcp-documents-{}", Uuid::new_v4())))
    }

    /// Every stored file, at any depth.
    pub fn fichiers(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.0, &mut out);
        out
    }
}

impl Drop for Repertoire {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub async fn app_avec_stockage() -> (TestApp, Repertoire) {
    let repertoire = Repertoire::new();
    let dir = repertoire.0.clone();
    let app = TestApp::with_config(|config| config.storage.storage_dir = dir).await;
    (app, repertoire)
}
