//! Writes the generated rows: one `INSERT … SELECT … FROM unnest(…)` per table and batch,
//! each column bound once as an array (enum columns as text, cast in SQL).

use chrono::{DateTime, Days, NaiveDate, Utc};
use diesel::sql_types::{
    Array, BigInt, Bool, Date, Double, Integer, Nullable, SmallInt, Text, Timestamptz,
    Uuid as SqlUuid,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::generation::{self, Entite};
use super::{OptionsSeed, Plan};
use crate::domain::{dossier, score, workflow};
use crate::models::enums::{DecisionTraitement, StatutWorkflow, TypeDpo};

type Textes = Array<Text>;
type TextesN = Array<Nullable<Text>>;
type Uuids = Array<SqlUuid>;
type UuidsN = Array<Nullable<SqlUuid>>;
type Instants = Array<Timestamptz>;
type InstantsN = Array<Nullable<Timestamptz>>;
type DatesN = Array<Nullable<Date>>;
type Booleens = Array<Bool>;
type Entiers = Array<Integer>;

/// The seeded ARTCI staff: admins decide, agents (editeurs) enter and verify.
pub(super) struct Personnel {
    pub admins: Vec<Uuid>,
    pub agents: Vec<Uuid>,
}

impl Personnel {
    fn agent(&self, rang: usize) -> Uuid {
        self.agents[rang % self.agents.len()]
    }

    fn admin(&self, rang: usize) -> Uuid {
        self.admins[rang % self.admins.len()]
    }
}

/// `(prénom, nom, rôle)`: e-mail `prenom.nom@demo.artci.ci`.
const PERSONNEL: &[(&str, &str, &str)] = &[
    ("Aminata", "Koné", "admin"),
    ("Jean-Marc", "Kouassi", "admin"),
    ("Awa", "Traoré", "editeur"),
    ("Serge", "Yao", "editeur"),
    ("Mariam", "Bamba", "editeur"),
    ("Didier", "Ouattara", "editeur"),
    ("Salimata", "Coulibaly", "editeur"),
    ("Hervé", "Diabaté", "editeur"),
    ("Christelle", "N'Guessan", "editeur"),
    ("Lassina", "Konan", "editeur"),
    ("Estelle", "Kouadio", "lecteur"),
];

#[derive(diesel::QueryableByName)]
struct Identifiant {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    role: String,
}

/// The staff accounts, created unless they exist (an added run reuses them).
pub(super) async fn personnel(
    conn: &mut AsyncPgConnection,
    mot_de_passe: &str,
    aujourd_hui: NaiveDate,
) -> diesel::QueryResult<Personnel> {
    let emails: Vec<String> = PERSONNEL
        .iter()
        .map(|(prenom, nom, _)| {
            format!(
                "{}.{}@demo.artci.ci",
                generation::slug(prenom, 20),
                generation::slug(nom, 20)
            )
        })
        .collect();
    let prenoms: Vec<&str> = PERSONNEL.iter().map(|p| p.0).collect();
    let noms: Vec<&str> = PERSONNEL.iter().map(|p| p.1).collect();
    let roles: Vec<&str> = PERSONNEL.iter().map(|p| p.2).collect();
    let minuit = aujourd_hui.and_hms_opt(0, 0, 0).expect("minuit").and_utc();
    diesel::sql_query(
        "INSERT INTO users (nom, prenom, email, password_hash, role, password_last_changed,
                            password_expires_at)
         SELECT nom, prenom, email, $4, role::role_utilisateur, $5, $5 + interval '180 days'
           FROM unnest($1, $2, $3, $6) AS t(nom, prenom, email, role)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind::<Textes, _>(&noms)
    .bind::<Textes, _>(&prenoms)
    .bind::<Textes, _>(&emails)
    .bind::<Text, _>(mot_de_passe)
    .bind::<Timestamptz, _>(minuit)
    .bind::<Textes, _>(&roles)
    .execute(conn)
    .await?;
    let lignes: Vec<Identifiant> = diesel::sql_query(
        "SELECT id, role::text AS role FROM users WHERE email = ANY($1) ORDER BY email",
    )
    .bind::<Textes, _>(&emails)
    .load(conn)
    .await?;
    let admins: Vec<Uuid> = lignes
        .iter()
        .filter(|l| l.role == "admin" || l.role == "super_admin")
        .map(|l| l.id)
        .collect();
    // Each editeur answers to the first admin (its N+1).
    diesel::sql_query(
        "UPDATE users SET superieur_id = $1
          WHERE email = ANY($2) AND role = 'editeur' AND superieur_id IS NULL",
    )
    .bind::<SqlUuid, _>(admins[0])
    .bind::<Textes, _>(&emails)
    .execute(conn)
    .await?;
    Ok(Personnel {
        agents: lignes
            .iter()
            .filter(|l| l.role == "editeur")
            .map(|l| l.id)
            .collect(),
        admins,
    })
}

/// The company accounts, each created and vetted a little before its first entity.
pub(super) async fn comptes(
    conn: &mut AsyncPgConnection,
    plan: &Plan,
    personnel: &Personnel,
    mot_de_passe: &str,
    options: &OptionsSeed,
) -> diesel::QueryResult<()> {
    let minuit = options
        .aujourd_hui
        .and_hms_opt(0, 0, 0)
        .expect("minuit")
        .and_utc();
    for lot in plan.comptes.chunks(super::TAILLE_LOT) {
        let entites: Vec<Entite> = lot
            .iter()
            .map(|c| generation::entite(&plan.parametres, plan.premier_rang + c.entite as u64))
            .collect();
        let ids: Vec<Uuid> = lot.iter().map(|c| c.id).collect();
        let emails: Vec<String> = lot
            .iter()
            .map(|c| format!("entreprise{:06}@demo.registre-dcp.ci", c.rang))
            .collect();
        let nccs: Vec<&str> = lot.iter().map(|c| c.ncc.as_str()).collect();
        let denominations: Vec<&str> = entites.iter().map(|e| e.denomination.as_str()).collect();
        let telephones: Vec<&str> = entites.iter().map(|e| e.telephone.as_str()).collect();
        let adresses: Vec<&str> = entites.iter().map(|e| e.adresse.as_str()).collect();
        let villes: Vec<&str> = entites.iter().map(|e| e.ville).collect();
        let regions: Vec<&str> = entites.iter().map(|e| e.region.label()).collect();
        let crees: Vec<DateTime<Utc>> = entites
            .iter()
            .map(|e| e.cree_le - chrono::Duration::days(3))
            .collect();
        let valideurs: Vec<Uuid> = (0..lot.len()).map(|i| personnel.admin(i)).collect();
        diesel::sql_query(
            "INSERT INTO comptes_entreprises (id, email, password_hash, denomination, numero_cc,
                 telephone, adresse, ville, region, email_verifie, statut_inscription,
                 inscription_validee_par, inscription_validee_le, password_last_changed,
                 password_expires_at, created_at)
             SELECT id, email, $3, denomination, ncc, telephone, adresse, ville,
                    region::region, true, 'approuvee', valideur, cree + interval '2 days',
                    $11, $11 + interval '180 days', cree
               FROM unnest($1, $2, $4, $5, $6, $7, $8, $9, $10, $12)
                    AS t(id, email, denomination, ncc, telephone, adresse, ville, region,
                         valideur, cree)",
        )
        .bind::<Uuids, _>(&ids)
        .bind::<Textes, _>(&emails)
        .bind::<Text, _>(mot_de_passe)
        .bind::<Textes, _>(&denominations)
        .bind::<Textes, _>(&nccs)
        .bind::<Textes, _>(&telephones)
        .bind::<Textes, _>(&adresses)
        .bind::<Textes, _>(&villes)
        .bind::<Textes, _>(&regions)
        .bind::<Uuids, _>(&valideurs)
        .bind::<Timestamptz, _>(minuit)
        .bind::<Instants, _>(&crees)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// The yearly counters moved past the numbers the run issued (never backwards).
pub(super) async fn compteurs(
    conn: &mut AsyncPgConnection,
    compteurs: &std::collections::BTreeMap<(i32, &'static str), i32>,
) -> diesel::QueryResult<()> {
    let annees: Vec<i32> = compteurs.keys().map(|k| k.0).collect();
    let natures: Vec<&str> = compteurs.keys().map(|k| k.1).collect();
    let derniers: Vec<i32> = compteurs.values().copied().collect();
    diesel::sql_query(
        "INSERT INTO numeros_delivres AS n (annee, nature, dernier)
         SELECT * FROM unnest($1, $2, $3)
         ON CONFLICT (annee, nature)
             DO UPDATE SET dernier = greatest(n.dernier, EXCLUDED.dernier)",
    )
    .bind::<Entiers, _>(&annees)
    .bind::<Textes, _>(&natures)
    .bind::<Entiers, _>(&derniers)
    .execute(conn)
    .await?;
    Ok(())
}

/// One batch of entities (`lot[k]` is entity `debut + k` of the run) with all their parts.
pub(super) async fn lot(
    conn: &mut AsyncPgConnection,
    lot: &[Entite],
    plan: &Plan,
    debut: usize,
    personnel: &Personnel,
) -> diesel::QueryResult<()> {
    let compte = |k: usize| -> Option<Uuid> {
        plan.proprietaires[debut + k].map(|c| plan.comptes[c as usize].id)
    };
    let numero = |k: usize| plan.numeros[debut + k].clone();
    base(conn, lot, &compte).await?;
    contact(conn, lot).await?;
    dossiers(conn, lot, &numero, personnel).await?;
    localisation(conn, lot).await?;
    conformite(conn, lot, &numero).await?;
    traitements(conn, lot).await?;
    correspondants(conn, lot).await?;
    sous_traitance(conn, lot).await?;
    securite(conn, lot).await?;
    assignations(conn, lot, plan, personnel).await?;
    Ok(())
}

async fn base(
    conn: &mut AsyncPgConnection,
    lot: &[Entite],
    compte: &(dyn Fn(usize) -> Option<Uuid> + Sync),
) -> diesel::QueryResult<()> {
    let ids: Vec<Uuid> = lot.iter().map(|e| e.id).collect();
    let comptes: Vec<Option<Uuid>> = (0..lot.len()).map(compte).collect();
    let nccs: Vec<&str> = lot.iter().map(|e| e.ncc.as_str()).collect();
    let denominations: Vec<&str> = lot.iter().map(|e| e.denomination.as_str()).collect();
    let sigles: Vec<Option<&str>> = lot.iter().map(|e| e.sigle.as_deref()).collect();
    let formes: Vec<&str> = lot.iter().map(|e| e.forme_juridique).collect();
    let secteurs: Vec<&str> = lot.iter().map(|e| e.secteur.label()).collect();
    let adresses: Vec<&str> = lot.iter().map(|e| e.adresse.as_str()).collect();
    let villes: Vec<&str> = lot.iter().map(|e| e.ville).collect();
    let communes: Vec<&str> = lot.iter().map(|e| e.commune).collect();
    let regions: Vec<&str> = lot.iter().map(|e| e.region.label()).collect();
    let telephones: Vec<&str> = lot.iter().map(|e| e.telephone.as_str()).collect();
    let emails: Vec<&str> = lot.iter().map(|e| e.email.as_str()).collect();
    let origines: Vec<&str> = lot
        .iter()
        .map(|e| match (e.proprietaire, e.rapprochee) {
            (true, false) => "auto_recensement",
            (true, true) => "rapprochement",
            (false, _) => "saisie_artci",
        })
        .collect();
    let publiees: Vec<bool> = lot
        .iter()
        .map(|e| workflow::publie_sur_carte(e.statut))
        .collect();
    let crees: Vec<DateTime<Utc>> = lot.iter().map(|e| e.cree_le).collect();
    diesel::sql_query(
        "INSERT INTO entites_base (id, compte_entreprise_id, numero_cc, denomination, sigle,
             forme_juridique, secteur_activite, adresse, ville, commune, region, telephone,
             email, origine_saisie, publie_sur_carte, created_at, updated_at)
         SELECT id, compte, ncc, denomination, sigle, forme, secteur::secteur_activite,
                adresse, ville, commune, region::region, telephone, email,
                origine::origine_saisie, publiee, cree, cree
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                AS t(id, compte, ncc, denomination, sigle, forme, secteur, adresse, ville,
                     commune, region, telephone, email, origine, publiee, cree)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<UuidsN, _>(&comptes)
    .bind::<Textes, _>(&nccs)
    .bind::<Textes, _>(&denominations)
    .bind::<TextesN, _>(&sigles)
    .bind::<Textes, _>(&formes)
    .bind::<Textes, _>(&secteurs)
    .bind::<Textes, _>(&adresses)
    .bind::<Textes, _>(&villes)
    .bind::<Textes, _>(&communes)
    .bind::<Textes, _>(&regions)
    .bind::<Textes, _>(&telephones)
    .bind::<Textes, _>(&emails)
    .bind::<Textes, _>(&origines)
    .bind::<Booleens, _>(&publiees)
    .bind::<Instants, _>(&crees)
    .execute(conn)
    .await?;
    Ok(())
}

async fn contact(conn: &mut AsyncPgConnection, lot: &[Entite]) -> diesel::QueryResult<()> {
    let ids: Vec<Uuid> = lot.iter().map(|e| e.id).collect();
    let noms: Vec<String> = lot
        .iter()
        .map(|e| format!("{} {}", e.representant_prenom, e.representant_nom))
        .collect();
    let fonctions: Vec<&str> = lot.iter().map(|e| e.representant_fonction).collect();
    let emails: Vec<&str> = lot.iter().map(|e| e.representant_email.as_str()).collect();
    let telephones: Vec<&str> = lot
        .iter()
        .map(|e| e.representant_telephone.as_str())
        .collect();
    let sites: Vec<Option<&str>> = lot.iter().map(|e| e.site_web.as_deref()).collect();
    let emails_publics: Vec<&str> = lot.iter().map(|e| e.email.as_str()).collect();
    let telephones_publics: Vec<&str> = lot.iter().map(|e| e.telephone.as_str()).collect();
    diesel::sql_query(
        "INSERT INTO entites_contact (entite_id, representant_nom, representant_fonction,
             representant_email, representant_telephone, site_web, email_public,
             telephone_public)
         SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Textes, _>(&noms)
    .bind::<Textes, _>(&fonctions)
    .bind::<Textes, _>(&emails)
    .bind::<Textes, _>(&telephones)
    .bind::<TextesN, _>(&sites)
    .bind::<Textes, _>(&emails_publics)
    .bind::<Textes, _>(&telephones_publics)
    .execute(conn)
    .await?;
    // The legal representative also heads the list of responsables.
    let prenoms: Vec<&str> = lot.iter().map(|e| e.representant_prenom).collect();
    let noms: Vec<&str> = lot.iter().map(|e| e.representant_nom).collect();
    diesel::sql_query(
        "INSERT INTO responsables_legaux (entite_id, nom, prenom, fonction, email, telephone,
             type)
         SELECT *, 'representant_legal'::type_responsable_legal
           FROM unnest($1, $2, $3, $4, $5, $6)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Textes, _>(&noms)
    .bind::<Textes, _>(&prenoms)
    .bind::<Textes, _>(&fonctions)
    .bind::<Textes, _>(&emails)
    .bind::<Textes, _>(&telephones)
    .execute(conn)
    .await?;
    Ok(())
}

async fn dossiers(
    conn: &mut AsyncPgConnection,
    lot: &[Entite],
    numero: &(dyn Fn(usize) -> Option<String> + Sync),
    personnel: &Personnel,
) -> diesel::QueryResult<()> {
    use crate::models::enums::TypeFormalite as F;
    let ids: Vec<Uuid> = lot.iter().map(|e| e.id).collect();
    let statuts: Vec<&str> = lot.iter().map(|e| e.statut.label()).collect();
    let formalites: Vec<Option<&str>> = lot
        .iter()
        .map(|e| e.type_formalite.map(|f| f.label()))
        .collect();
    let (mut recepisses, mut autorisations) = (Vec::new(), Vec::new());
    for (k, e) in lot.iter().enumerate() {
        let n = numero(k);
        match e.type_formalite {
            Some(F::AutorisationPrealable) => {
                recepisses.push(None);
                autorisations.push(n);
            }
            _ => {
                recepisses.push(n);
                autorisations.push(None);
            }
        }
    }
    let soumissions: Vec<Option<DateTime<Utc>>> = lot.iter().map(|e| e.date_soumission).collect();
    let limites: Vec<Option<NaiveDate>> = lot
        .iter()
        .map(|e| {
            e.date_soumission
                .and_then(|d| d.date_naive().checked_add_months(chrono::Months::new(1)))
        })
        .collect();
    let validations: Vec<Option<DateTime<Utc>>> = lot.iter().map(|e| e.date_validation).collect();
    let expirations: Vec<Option<NaiveDate>> = lot.iter().map(|e| e.date_expiration).collect();
    let publications: Vec<Option<DateTime<Utc>>> = lot.iter().map(|e| e.date_publication).collect();
    let rejets: Vec<Option<DateTime<Utc>>> = lot.iter().map(|e| e.date_rejet).collect();
    let motifs: Vec<Option<&str>> = lot.iter().map(|e| e.motif_rejet).collect();
    let auteurs: Vec<Option<Uuid>> = lot
        .iter()
        .map(|e| (!e.proprietaire || e.rapprochee).then(|| personnel.agent(e.agent + 1)))
        .collect();
    let assignes: Vec<Option<Uuid>> = lot
        .iter()
        .map(|e| (e.statut == StatutWorkflow::EnVerification).then(|| personnel.agent(e.agent)))
        .collect();
    let versions: Vec<i32> = lot.iter().map(|e| e.version).collect();
    let crees: Vec<DateTime<Utc>> = lot.iter().map(|e| e.cree_le).collect();
    diesel::sql_query(
        "INSERT INTO entites_workflow (entite_id, statut, type_formalite, numero_recepisse,
             numero_autorisation_artci, date_soumission, date_limite_decision, date_validation,
             date_expiration, date_publication, date_rejet, motif_rejet, created_by,
             assigned_to, version, created_at)
         SELECT id, statut::statut_workflow, formalite::type_formalite, recepisse,
                autorisation, soumission, limite, validation, expiration, publication, rejet,
                motif, auteur, assigne, version, cree
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                AS t(id, statut, formalite, recepisse, autorisation, soumission, limite,
                     validation, expiration, publication, rejet, motif, auteur, assigne,
                     version, cree)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Textes, _>(&statuts)
    .bind::<TextesN, _>(&formalites)
    .bind::<TextesN, _>(&recepisses)
    .bind::<TextesN, _>(&autorisations)
    .bind::<InstantsN, _>(&soumissions)
    .bind::<DatesN, _>(&limites)
    .bind::<InstantsN, _>(&validations)
    .bind::<DatesN, _>(&expirations)
    .bind::<InstantsN, _>(&publications)
    .bind::<InstantsN, _>(&rejets)
    .bind::<TextesN, _>(&motifs)
    .bind::<UuidsN, _>(&auteurs)
    .bind::<UuidsN, _>(&assignes)
    .bind::<Entiers, _>(&versions)
    .bind::<Instants, _>(&crees)
    .execute(conn)
    .await?;
    Ok(())
}

async fn localisation(conn: &mut AsyncPgConnection, lot: &[Entite]) -> diesel::QueryResult<()> {
    let ids: Vec<Uuid> = lot.iter().map(|e| e.id).collect();
    let longitudes: Vec<f64> = lot.iter().map(|e| e.longitude).collect();
    let latitudes: Vec<f64> = lot.iter().map(|e| e.latitude).collect();
    let precisions: Vec<i32> = lot.iter().map(|e| e.precision_m).collect();
    let methodes: Vec<&str> = lot.iter().map(|e| e.methode.label()).collect();
    let adresses: Vec<String> = lot
        .iter()
        .map(|e| format!("{}, {}", e.adresse, e.ville))
        .collect();
    let communes: Vec<&str> = lot.iter().map(|e| e.commune).collect();
    let quartiers: Vec<&str> = lot.iter().map(|e| e.quartier).collect();
    diesel::sql_query(
        "INSERT INTO entites_localisation (entite_id, geolocation, precision_m, methode,
             adresse_complete, commune, quartier)
         SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, prec,
                methode::methode_localisation, adresse, commune, quartier
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)
                AS t(id, lon, lat, prec, methode, adresse, commune, quartier)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Array<Double>, _>(&longitudes)
    .bind::<Array<Double>, _>(&latitudes)
    .bind::<Entiers, _>(&precisions)
    .bind::<Textes, _>(&methodes)
    .bind::<Textes, _>(&adresses)
    .bind::<Textes, _>(&communes)
    .bind::<Textes, _>(&quartiers)
    .execute(conn)
    .await?;
    Ok(())
}

async fn conformite(
    conn: &mut AsyncPgConnection,
    lot: &[Entite],
    numero: &(dyn Fn(usize) -> Option<String> + Sync),
) -> diesel::QueryResult<()> {
    let ids: Vec<Uuid> = lot.iter().map(|e| e.id).collect();
    let scores: Vec<i16> = lot.iter().map(|e| e.score).collect();
    let statuts: Vec<&str> = lot
        .iter()
        .map(|e| workflow::statut_conformite(e.statut).label())
        .collect();
    let a_dpo: Vec<bool> = lot.iter().map(|e| e.dpo.is_some()).collect();
    let types_dpo: Vec<Option<&str>> = lot
        .iter()
        .map(|e| e.dpo.as_ref().map(|d| d.type_dpo.label()))
        .collect();
    let effectifs: Vec<i32> = lot.iter().map(|e| e.effectif).collect();
    let volumes: Vec<i64> = lot.iter().map(|e| e.volume).collect();
    let evaluations: Vec<Option<NaiveDate>> = lot
        .iter()
        .map(|e| {
            e.date_decision
                .or(e.date_soumission)
                .map(|d| d.date_naive())
        })
        .collect();
    let delais: Vec<Option<NaiveDate>> = lot.iter().map(|e| e.delai_mise_en_conformite).collect();
    diesel::sql_query(
        "INSERT INTO entites_conformite (entite_id, score_conformite, statut_conformite, a_dpo,
             type_dpo, effectif_entreprise, volume_donnees_traitees, date_evaluation,
             delai_mise_en_conformite)
         SELECT id, score, statut::statut_conformite, a_dpo, type_dpo::type_dpo, effectif,
                volume, evaluation, delai
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9)
                AS t(id, score, statut, a_dpo, type_dpo, effectif, volume, evaluation, delai)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Array<SmallInt>, _>(&scores)
    .bind::<Textes, _>(&statuts)
    .bind::<Booleens, _>(&a_dpo)
    .bind::<TextesN, _>(&types_dpo)
    .bind::<Entiers, _>(&effectifs)
    .bind::<Array<BigInt>, _>(&volumes)
    .bind::<DatesN, _>(&evaluations)
    .bind::<DatesN, _>(&delais)
    .execute(conn)
    .await?;

    // Formalities done: the number the dossier holds, when it holds one.
    use crate::models::enums::TypeFormalite as F;
    let mut numeros_declaration = Vec::with_capacity(lot.len());
    let mut numeros_autorisation = Vec::with_capacity(lot.len());
    let mut dates_declaration = Vec::with_capacity(lot.len());
    let mut dates_autorisation = Vec::with_capacity(lot.len());
    for (k, e) in lot.iter().enumerate() {
        let n = numero(k);
        let jour = e.date_validation.map(|d| d.date_naive());
        let autorisation = e.type_formalite == Some(F::AutorisationPrealable);
        let (nd, na) = if autorisation { (None, n) } else { (n, None) };
        dates_declaration.push(nd.as_ref().and(jour));
        dates_autorisation.push(na.as_ref().and(jour));
        numeros_declaration.push(nd);
        numeros_autorisation.push(na);
    }
    let connaissance: Vec<bool> = lot.iter().map(|e| e.connaissance_loi).collect();
    let declaration: Vec<bool> = lot.iter().map(|e| e.declaration_artci).collect();
    let autorisation: Vec<bool> = lot.iter().map(|e| e.autorisation_artci).collect();
    let registre: Vec<bool> = lot.iter().map(|e| !e.traitements.is_empty()).collect();
    let droits: Vec<bool> = lot.iter().map(|e| e.procedure_droits).collect();
    diesel::sql_query(
        "INSERT INTO conformite_administrative (entite_id, connaissance_loi, declaration_artci,
             numero_declaration, date_declaration, autorisation_artci, numero_autorisation,
             date_autorisation, registre_tenu, information_personnes, procedure_droits)
         SELECT id, connaissance, declaration, CASE WHEN declaration THEN nd END,
                CASE WHEN declaration THEN dd END, autorisation,
                CASE WHEN autorisation THEN na END, CASE WHEN autorisation THEN da END,
                registre, droits, droits
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                AS t(id, connaissance, declaration, nd, dd, autorisation, na, da, registre,
                     droits)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Booleens, _>(&connaissance)
    .bind::<Booleens, _>(&declaration)
    .bind::<TextesN, _>(&numeros_declaration)
    .bind::<DatesN, _>(&dates_declaration)
    .bind::<Booleens, _>(&autorisation)
    .bind::<TextesN, _>(&numeros_autorisation)
    .bind::<DatesN, _>(&dates_autorisation)
    .bind::<Booleens, _>(&registre)
    .bind::<Booleens, _>(&droits)
    .execute(conn)
    .await?;
    Ok(())
}

async fn traitements(conn: &mut AsyncPgConnection, lot: &[Entite]) -> diesel::QueryResult<()> {
    let (mut ids, mut entites, mut noms, mut finalites, mut bases) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut personnes, mut durees, mut destinataires, mut hors_ci, mut regimes, mut ordres) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut pourcentages: Vec<i16> = Vec::new();
    for e in lot {
        for (rang, t) in e.traitements.iter().enumerate() {
            ids.push(t.id);
            entites.push(e.id);
            noms.push(t.modele.nom);
            finalites.push(t.modele.finalite);
            bases.push(t.modele.base_legale.label());
            personnes.push(t.modele.categories_personnes);
            durees.push(t.modele.duree_conservation);
            destinataires.push(t.modele.destinataires);
            hors_ci.push(t.transfert_hors_ci);
            regimes.push(t.regime.label());
            ordres.push(rang as i32);
            pourcentages.push(t.pourcentage);
        }
    }
    diesel::sql_query(
        "INSERT INTO registre_traitements (id, entite_id, nom, finalite, base_legale,
             categories_personnes, duree_conservation, destinataires, transfert_hors_ci,
             regime, ordre)
         SELECT id, entite, nom, finalite, base::base_legale, personnes, duree, destinataires,
                hors_ci, regime::type_formalite, ordre
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                AS t(id, entite, nom, finalite, base, personnes, duree, destinataires, hors_ci,
                     regime, ordre)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Uuids, _>(&entites)
    .bind::<Textes, _>(&noms)
    .bind::<Textes, _>(&finalites)
    .bind::<Textes, _>(&bases)
    .bind::<Textes, _>(&personnes)
    .bind::<Textes, _>(&durees)
    .bind::<Textes, _>(&destinataires)
    .bind::<Booleens, _>(&hors_ci)
    .bind::<Textes, _>(&regimes)
    .bind::<Entiers, _>(&ordres)
    .execute(conn)
    .await?;
    // One purpose per processing, with its share of the map pop-up.
    diesel::sql_query(
        "INSERT INTO finalites_bases_legales (entite_id, registre_traitement_id, finalite,
             base_legale, pourcentage, ordre)
         SELECT entite, id, finalite, base::base_legale, pourcentage, ordre
           FROM unnest($1, $2, $3, $4, $5, $6)
                AS t(id, entite, finalite, base, pourcentage, ordre)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Uuids, _>(&entites)
    .bind::<Textes, _>(&finalites)
    .bind::<Textes, _>(&bases)
    .bind::<Array<SmallInt>, _>(&pourcentages)
    .bind::<Entiers, _>(&ordres)
    .execute(conn)
    .await?;

    let (mut entites, mut traitements, mut categories, mut sensibles, mut ordres) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in lot {
        for (rang, (t, categorie, sensible)) in e.categories.iter().enumerate() {
            entites.push(e.id);
            traitements.push(e.traitements[*t].id);
            categories.push(categorie.label());
            sensibles.push(*sensible);
            ordres.push(rang as i32);
        }
    }
    diesel::sql_query(
        "INSERT INTO categories_donnees (entite_id, registre_traitement_id, categorie,
             est_sensible, ordre)
         SELECT entite, traitement, categorie::code_categorie_donnees, sensible, ordre
           FROM unnest($1, $2, $3, $4, $5) AS t(entite, traitement, categorie, sensible, ordre)",
    )
    .bind::<Uuids, _>(&entites)
    .bind::<Uuids, _>(&traitements)
    .bind::<Textes, _>(&categories)
    .bind::<Booleens, _>(&sensibles)
    .bind::<Entiers, _>(&ordres)
    .execute(conn)
    .await?;
    Ok(())
}

async fn correspondants(conn: &mut AsyncPgConnection, lot: &[Entite]) -> diesel::QueryResult<()> {
    let avec: Vec<&Entite> = lot.iter().filter(|e| e.dpo.is_some()).collect();
    let dpo = |e: &&Entite| e.dpo.clone().expect("filtré");
    let ids: Vec<Uuid> = avec.iter().map(|e| e.id).collect();
    let d: Vec<generation::Dpo> = avec.iter().map(dpo).collect();
    let noms: Vec<&str> = d.iter().map(|d| d.nom).collect();
    let prenoms: Vec<&str> = d.iter().map(|d| d.prenom).collect();
    let emails: Vec<&str> = d.iter().map(|d| d.email.as_str()).collect();
    let telephones: Vec<&str> = d.iter().map(|d| d.telephone.as_str()).collect();
    let types: Vec<&str> = d.iter().map(|d| d.type_dpo.label()).collect();
    let organismes: Vec<Option<&str>> = d
        .iter()
        .map(|d| match d.type_dpo {
            TypeDpo::Externe => d.organisme.as_deref(),
            TypeDpo::Interne => None,
        })
        .collect();
    let designations: Vec<NaiveDate> = d.iter().map(|d| d.date_designation).collect();
    let statuts: Vec<&str> = d.iter().map(|d| d.statut_designation).collect();
    diesel::sql_query(
        "INSERT INTO dpo (entite_id, nom, prenom, email, telephone, type, organisme,
             date_designation, statut_designation)
         SELECT id, nom, prenom, email, telephone, type::type_dpo, organisme, designation,
                statut::statut_designation_dpo
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9)
                AS t(id, nom, prenom, email, telephone, type, organisme, designation, statut)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Textes, _>(&noms)
    .bind::<Textes, _>(&prenoms)
    .bind::<Textes, _>(&emails)
    .bind::<Textes, _>(&telephones)
    .bind::<Textes, _>(&types)
    .bind::<TextesN, _>(&organismes)
    .bind::<Array<Date>, _>(&designations)
    .bind::<Textes, _>(&statuts)
    .execute(conn)
    .await?;
    Ok(())
}

async fn sous_traitance(conn: &mut AsyncPgConnection, lot: &[Entite]) -> diesel::QueryResult<()> {
    let (mut entites, mut noms, mut pays, mut objets, mut encadres) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in lot {
        for ((nom, code, objet), encadre) in &e.sous_traitants {
            entites.push(e.id);
            noms.push(*nom);
            pays.push(*code);
            objets.push(*objet);
            encadres.push(*encadre);
        }
    }
    diesel::sql_query(
        "INSERT INTO sous_traitance (entite_id, nom_sous_traitant, pays, objet, contrat,
             clauses_protection)
         SELECT entite, nom, pays, objet, encadre, encadre
           FROM unnest($1, $2, $3, $4, $5) AS t(entite, nom, pays, objet, encadre)",
    )
    .bind::<Uuids, _>(&entites)
    .bind::<Textes, _>(&noms)
    .bind::<Textes, _>(&pays)
    .bind::<Textes, _>(&objets)
    .bind::<Booleens, _>(&encadres)
    .execute(conn)
    .await?;

    let (mut entites, mut pays, mut cedeao, mut organismes, mut finalites, mut statuts) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for e in lot {
        for (code, organisme, finalite) in &e.transferts {
            let dans_la_cedeao = dossier::est_cedeao(code);
            entites.push(e.id);
            pays.push(*code);
            cedeao.push(dans_la_cedeao);
            organismes.push(*organisme);
            finalites.push(*finalite);
            statuts.push(if dans_la_cedeao {
                "non_requise"
            } else if e.date_validation.is_some() {
                "accordee"
            } else if e.soumise() {
                "en_cours"
            } else {
                "a_demander"
            });
        }
    }
    diesel::sql_query(
        "INSERT INTO transferts_internationaux (entite_id, pays_destination, est_cedeao,
             organisme_destinataire, finalite, statut_autorisation)
         SELECT entite, pays, cedeao, organisme, finalite,
                statut::statut_autorisation_transfert
           FROM unnest($1, $2, $3, $4, $5, $6)
                AS t(entite, pays, cedeao, organisme, finalite, statut)",
    )
    .bind::<Uuids, _>(&entites)
    .bind::<Textes, _>(&pays)
    .bind::<Booleens, _>(&cedeao)
    .bind::<Textes, _>(&organismes)
    .bind::<Textes, _>(&finalites)
    .bind::<Textes, _>(&statuts)
    .execute(conn)
    .await?;
    Ok(())
}

async fn securite(conn: &mut AsyncPgConnection, lot: &[Entite]) -> diesel::QueryResult<()> {
    let ids: Vec<Uuid> = lot.iter().map(|e| e.id).collect();
    let politiques: Vec<bool> = lot.iter().map(|e| e.politique_securite).collect();
    let analyses: Vec<bool> = lot.iter().map(|e| e.analyse_risques).collect();
    let formations: Vec<bool> = lot.iter().map(|e| e.formation_personnel).collect();
    diesel::sql_query(
        "INSERT INTO securite_conformite (entite_id, politique_securite, responsable_securite,
             analyse_risques, procedure_violations, formation_personnel, frequence_formation)
         SELECT id, politique, politique AND risques, risques, politique, formation,
                CASE WHEN formation THEN 'Annuelle' END
           FROM unnest($1, $2, $3, $4) AS t(id, politique, risques, formation)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Booleens, _>(&politiques)
    .bind::<Booleens, _>(&analyses)
    .bind::<Booleens, _>(&formations)
    .execute(conn)
    .await?;

    let (mut entites, mut types, mut codes, mut descriptions, mut dates, mut ordres) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for e in lot {
        for (rang, m) in e.mesures.iter().enumerate() {
            entites.push(e.id);
            types.push(m.type_mesure.label());
            codes.push(m.code.label());
            descriptions.push(m.description);
            dates.push(m.date);
            ordres.push(rang as i32);
        }
    }
    diesel::sql_query(
        "INSERT INTO mesures_securite (entite_id, type_mesure, code, description,
             mise_en_oeuvre, date_mise_en_oeuvre, ordre)
         SELECT entite, type::type_mesure_securite, code::code_mesure_securite, description,
                true, jour, ordre
           FROM unnest($1, $2, $3, $4, $5, $6)
                AS t(entite, type, code, description, jour, ordre)",
    )
    .bind::<Uuids, _>(&entites)
    .bind::<Textes, _>(&types)
    .bind::<Textes, _>(&codes)
    .bind::<Textes, _>(&descriptions)
    .bind::<DatesN, _>(&dates)
    .bind::<Entiers, _>(&ordres)
    .execute(conn)
    .await?;
    Ok(())
}

/// The agents' assignments: open for the dossiers in verification, validated by an admin
/// (never the agent) for those decided since; a sent feedback for those awaiting complements.
async fn assignations(
    conn: &mut AsyncPgConnection,
    lot: &[Entite],
    plan: &Plan,
    personnel: &Personnel,
) -> diesel::QueryResult<()> {
    use StatutWorkflow as W;
    let mut ids = Vec::new();
    let mut entites = Vec::new();
    let mut agents = Vec::new();
    let mut assigneurs = Vec::new();
    let mut debuts = Vec::new();
    let mut echeances = Vec::new();
    let mut statuts = Vec::new();
    let mut decisions: Vec<Option<&str>> = Vec::new();
    let mut traitees: Vec<Option<DateTime<Utc>>> = Vec::new();
    let mut valideurs: Vec<Option<Uuid>> = Vec::new();
    let mut validees: Vec<Option<DateTime<Utc>>> = Vec::new();
    let (mut feedbacks, mut manquants, mut delais) = (Vec::new(), Vec::new(), Vec::new());
    for e in lot {
        let Some(debut) = e.date_assignation else {
            continue;
        };
        let mut rng = generation::flux(plan.parametres.graine, 3, e.id.as_u128() as u64);
        let id = generation::uuid(&mut rng);
        let admin = personnel.admin(e.admin);
        ids.push(id);
        entites.push(e.id);
        agents.push(personnel.agent(e.agent));
        assigneurs.push(admin);
        debuts.push(debut);
        echeances.push(
            debut
                .date_naive()
                .checked_add_days(Days::new(15))
                .unwrap_or(debut.date_naive()),
        );
        let decision = match e.statut {
            W::EnVerification => None,
            W::EnAttenteComplements => Some(DecisionTraitement::EnAttenteComplements),
            W::ConformeSousReserve => Some(DecisionTraitement::ConformeSousReserve),
            W::Rejete => Some(DecisionTraitement::Rejete),
            _ => Some(DecisionTraitement::Conforme),
        };
        match decision {
            None if e.traitee_par_agent => {
                statuts.push("traite_attente_validation");
                decisions.push(Some(score::decision_suggeree(e.score as u8).label()));
                traitees.push(Some(debut));
                valideurs.push(None);
                validees.push(None);
            }
            None => {
                statuts.push("en_cours");
                decisions.push(None);
                traitees.push(None);
                valideurs.push(None);
                validees.push(None);
            }
            Some(d) => {
                statuts.push("valide");
                decisions.push(Some(d.label()));
                traitees.push(e.date_decision);
                valideurs.push(Some(admin));
                validees.push(e.date_decision);
            }
        }
        if e.statut == W::EnAttenteComplements {
            let (rubrique, libelle) = donnees_manquantes(e);
            feedbacks.push((e.id, id, personnel.agent(e.agent)));
            manquants.push(
                serde_json::json!([{
                    "rubrique": rubrique,
                    "libelle": libelle,
                    "obligatoire": true,
                    "fourni": false,
                }])
                .to_string(),
            );
            delais.push(
                e.date_decision
                    .map(|d| d.date_naive() + chrono::Duration::days(30)),
            );
        }
    }
    diesel::sql_query(
        "INSERT INTO assignations_demandes (id, entite_id, agent_id, assigne_par,
             date_assignation, echeance, statut, decision_proposee, traite_le, valide_par,
             valide_le, commentaire_validation)
         SELECT id, entite, agent, assigneur, debut, echeance, statut::statut_assignation,
                decision::decision_traitement, traitee, valideur, validee,
                CASE WHEN valideur IS NOT NULL THEN 'Proposition validée.' END
           FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                AS t(id, entite, agent, assigneur, debut, echeance, statut, decision, traitee,
                     valideur, validee)",
    )
    .bind::<Uuids, _>(&ids)
    .bind::<Uuids, _>(&entites)
    .bind::<Uuids, _>(&agents)
    .bind::<Uuids, _>(&assigneurs)
    .bind::<Instants, _>(&debuts)
    .bind::<Array<Date>, _>(&echeances)
    .bind::<Textes, _>(&statuts)
    .bind::<TextesN, _>(&decisions)
    .bind::<InstantsN, _>(&traitees)
    .bind::<UuidsN, _>(&valideurs)
    .bind::<InstantsN, _>(&validees)
    .execute(conn)
    .await?;

    let entites: Vec<Uuid> = feedbacks.iter().map(|f| f.0).collect();
    let assignations: Vec<Uuid> = feedbacks.iter().map(|f| f.1).collect();
    let agents: Vec<Uuid> = feedbacks.iter().map(|f| f.2).collect();
    diesel::sql_query(
        "INSERT INTO feedbacks_verification (entite_id, assignation_id, agent_id, commentaires,
             elements_manquants, delai_fourniture, statut, visible_entreprise)
         SELECT entite, assignation, agent, 'Merci de compléter le dossier.',
                manquants::jsonb, delai, 'envoye', true
           FROM unnest($1, $2, $3, $4, $5) AS t(entite, assignation, agent, manquants, delai)",
    )
    .bind::<Uuids, _>(&entites)
    .bind::<Uuids, _>(&assignations)
    .bind::<Uuids, _>(&agents)
    .bind::<Textes, _>(&manquants)
    .bind::<DatesN, _>(&delais)
    .execute(conn)
    .await?;
    Ok(())
}

fn donnees_manquantes(e: &Entite) -> (&'static str, &'static str) {
    let liste = super::donnees::ELEMENTS_MANQUANTS;
    liste[e.agent % liste.len()]
}
