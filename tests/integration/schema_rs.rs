//! `src/schema.rs` against a migrated database: the same tables, columns in the same order
//! with the same types, nullability and primary keys, and the same enum types. A migration
//! changed without regenerating the file (`diesel print-schema`) fails here.

use std::collections::BTreeMap;

use crate::support::TestDb;

const SCHEMA_RS: &str = include_str!("../../src/schema.rs");

/// The 25 tables of the registry.
/// Tables beside the registry's 25 (sessions, mail outbox, rate limits, approved versions
/// and amendments).
pub const TABLES_DE_SERVICE: &[&str] = &[
    "courriels_sortants",
    "echecs_connexion",
    "grappes_carte",
    "jetons_rafraichissement",
    "limites_debit",
    "modifications_dossier",
    "numeros_delivres",
    "rappels_rapport_activite",
    "rapports_activite",
    "registre_public",
    "sessions",
    "versions_approuvees",
];

const TABLES: [&str; 25] = [
    "assignations_demandes",
    "categories_donnees",
    "certifications_securite",
    "comptes_entreprises",
    "conformite_administrative",
    "demandes_rapprochement",
    "documents_joints",
    "dpo",
    "entites_base",
    "entites_conformite",
    "entites_contact",
    "entites_localisation",
    "entites_workflow",
    "feedbacks_verification",
    "finalites_bases_legales",
    "historique_statuts",
    "mesures_securite",
    "otp_codes",
    "registre_traitements",
    "renouvellements",
    "responsables_legaux",
    "securite_conformite",
    "sous_traitance",
    "transferts_internationaux",
    "users",
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Colonne {
    nom: String,
    type_diesel: String,
    nullable: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    cle_primaire: Vec<String>,
    colonnes: Vec<Colonne>,
}

/// The tables of the `diesel::table!` blocks, by SQL name.
fn tables_de_schema_rs() -> BTreeMap<String, Table> {
    let mut tables = BTreeMap::new();
    let mut courante: Option<(String, Table)> = None;
    let mut sql_name: Option<String> = None;
    for ligne in SCHEMA_RS.lines().map(str::trim) {
        if let Some((nom, table)) = courante.as_mut() {
            if ligne == "}" {
                let (nom, table) = courante.take().unwrap();
                tables.insert(nom, table);
            } else if let Some(reste) = ligne.strip_prefix("#[sql_name = \"") {
                sql_name = Some(reste.trim_end_matches("\"]").to_owned());
            } else if let Some((colonne, type_rs)) = ligne.split_once(" -> ") {
                let type_rs = type_rs.trim_end_matches(',');
                let (type_diesel, nullable) = match type_rs
                    .strip_prefix("Nullable<")
                    .and_then(|t| t.strip_suffix('>'))
                {
                    Some(t) => (t, true),
                    None => (type_rs, false),
                };
                table.colonnes.push(Colonne {
                    nom: sql_name.take().unwrap_or_else(|| colonne.to_owned()),
                    type_diesel: type_diesel.to_owned(),
                    nullable,
                });
            } else {
                assert!(
                    ligne.is_empty() || ligne.starts_with("#[") || ligne.starts_with("///"),
                    "ligne inattendue dans la table {nom} : {ligne}"
                );
            }
        } else if let Some((nom, cle)) = ligne.strip_suffix(") {").and_then(|l| l.split_once(" ("))
        {
            let table = Table {
                cle_primaire: cle.split(", ").map(str::to_owned).collect(),
                colonnes: Vec::new(),
            };
            courante = Some((nom.to_owned(), table));
        }
    }
    tables
}

/// `diesel print-schema`'s name of a PostgreSQL enum type.
fn camel_case(nom: &str) -> String {
    nom.split('_')
        .map(|mot| {
            let mut lettres = mot.chars();
            lettres.next().map_or_else(String::new, |premiere| {
                premiere.to_uppercase().chain(lettres).collect()
            })
        })
        .collect()
}

fn type_diesel(udt: &str, est_enum: bool) -> String {
    if est_enum {
        return camel_case(udt);
    }
    match udt {
        "uuid" => "Uuid",
        "text" => "Text",
        "bool" => "Bool",
        "int2" => "Int2",
        "int4" => "Int4",
        "int8" => "Int8",
        "float8" => "Float8",
        "numeric" => "Numeric",
        "timestamptz" => "Timestamptz",
        "date" => "Date",
        "jsonb" => "Jsonb",
        "inet" => "Inet",
        "geography" => "Geography",
        autre => panic!("type {autre} sans correspondance diesel dans ce test"),
    }
    .to_owned()
}

async fn tables_de_la_base(db: &TestDb) -> BTreeMap<String, Table> {
    let client = db.client().await;
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let lignes = client
        .query(
            "SELECT c.relname::text, a.attname::text, t.typname::text, t.typtype = 'e', \
                    NOT a.attnotnull \
               FROM pg_attribute a \
               JOIN pg_class c ON c.oid = a.attrelid \
               JOIN pg_type t ON t.oid = a.atttypid \
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' \
                AND c.relname NOT IN ('spatial_ref_sys', '__diesel_schema_migrations') \
                AND a.attnum > 0 AND NOT a.attisdropped \
              ORDER BY c.relname, a.attnum",
            &[],
        )
        .await
        .unwrap();
    for ligne in lignes {
        let table: String = ligne.get(0);
        let udt: String = ligne.get(2);
        tables.entry(table).or_default().colonnes.push(Colonne {
            nom: ligne.get(1),
            type_diesel: type_diesel(&udt, ligne.get(3)),
            nullable: ligne.get(4),
        });
    }
    let cles = client
        .query(
            "SELECT c.relname::text, a.attname::text \
               FROM pg_index i \
               JOIN pg_class c ON c.oid = i.indrelid \
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey) \
              WHERE i.indisprimary AND c.relnamespace = 'public'::regnamespace \
                AND c.relname NOT IN ('spatial_ref_sys', '__diesel_schema_migrations') \
              ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)",
            &[],
        )
        .await
        .unwrap();
    for ligne in cles {
        let table: String = ligne.get(0);
        tables
            .entry(table)
            .or_default()
            .cle_primaire
            .push(ligne.get(1));
    }
    tables
}

#[tokio::test]
async fn la_base_a_exactement_les_25_tables() {
    let db = TestDb::new().await;
    let tables: Vec<String> = db
        .client()
        .await
        .query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' \
               AND tablename NOT IN ('spatial_ref_sys', '__diesel_schema_migrations') \
             ORDER BY tablename",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut attendues: Vec<&str> = TABLES.iter().chain(TABLES_DE_SERVICE).copied().collect();
    attendues.sort_unstable();
    assert_eq!(tables, attendues);
}

#[tokio::test]
async fn schema_rs_decrit_la_base_migree() {
    let db = TestDb::new().await;
    let base = tables_de_la_base(&db).await;
    let fichier = tables_de_schema_rs();

    let noms_base: Vec<&String> = base.keys().collect();
    let noms_fichier: Vec<&String> = fichier.keys().collect();
    assert_eq!(noms_fichier, noms_base, "tables de src/schema.rs");
    assert_eq!(noms_fichier.len(), TABLES.len() + TABLES_DE_SERVICE.len());

    for (nom, table) in &base {
        let decrite = &fichier[nom];
        assert_eq!(
            decrite.cle_primaire, table.cle_primaire,
            "clé primaire de {nom}"
        );
        let noms: Vec<&str> = decrite.colonnes.iter().map(|c| c.nom.as_str()).collect();
        let attendus: Vec<&str> = table.colonnes.iter().map(|c| c.nom.as_str()).collect();
        assert_eq!(noms, attendus, "colonnes de {nom}, dans l'ordre");
        for (c, attendue) in decrite.colonnes.iter().zip(&table.colonnes) {
            assert_eq!(c, attendue, "{nom}.{}", attendue.nom);
        }
    }
}

#[tokio::test]
async fn schema_rs_declare_chaque_type_enum_de_la_base() {
    let db = TestDb::new().await;
    let enums_base: Vec<(String, String)> = db
        .client()
        .await
        .query(
            "SELECT typname::text FROM pg_type \
              WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace ORDER BY typname",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let nom: String = row.get(0);
            (camel_case(&nom), nom)
        })
        .collect();

    // `#[diesel(postgres_type(name = "x"))]` followed by `pub struct X;` in `sql_types`.
    let mut enums_fichier = Vec::new();
    let mut nom_pg = None;
    for ligne in SCHEMA_RS.lines().map(str::trim) {
        if let Some(reste) = ligne.strip_prefix("#[diesel(postgres_type(name = \"") {
            nom_pg = Some(reste.trim_end_matches("\"))]").to_owned());
        } else if let Some(reste) = ligne.strip_prefix("pub struct ") {
            let nom = nom_pg.take().expect("postgres_type avant la struct");
            enums_fichier.push((reste.trim_end_matches(';').to_owned(), nom));
        }
    }
    enums_fichier.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(enums_fichier, enums_base);
}
