//! The PostgreSQL enum types of the registry, one Rust enum each.
//!
//! Every database label is spelled out: a derived mapping would turn `Iso27001` into
//! `iso27001`, not `iso_27001`. GraphQL shows each value as its label in SCREAMING_SNAKE
//! (`demarche_en_cours` → `DEMARCHE_EN_COURS`); where async-graphql's own renaming of the
//! variant name would differ, the variant carries the GraphQL name after `as`. The
//! integration test `enums` checks both against `pg_enum`.

/// Declares an enum mapped to a PostgreSQL enum type.
///
/// Generates the enum with its derives, `ALL` (in the type's label order), `label`,
/// `from_label`, `Display`, and diesel's `ToSql`/`FromSql` for the given SQL type.
macro_rules! db_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident : $sql:path {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $label:literal $(as $gql:literal)?
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            async_graphql::Enum,
            diesel::AsExpression,
            diesel::FromSqlRow,
            serde::Serialize,
            serde::Deserialize,
        )]
        #[diesel(sql_type = $sql)]
        #[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $(#[graphql(name = $gql)])?
                #[serde(rename = $label)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order of the PostgreSQL type's labels.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The database label.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }

            /// The value of a database label, if it is one.
            pub fn from_label(label: &str) -> Option<Self> {
                match label {
                    $($label => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl diesel::serialize::ToSql<$sql, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                use std::io::Write as _;
                out.write_all(self.label().as_bytes())?;
                Ok(diesel::serialize::IsNull::No)
            }
        }

        impl diesel::deserialize::FromSql<$sql, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let label = std::str::from_utf8(value.as_bytes())?;
                Self::from_label(label).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " label {:?}"), label).into()
                })
            }
        }
    };
}

db_enum! {
    /// Côte d'Ivoire's 31 regions and its 2 autonomous districts (Abidjan, Yamoussoukro).
    pub enum Region: crate::schema::sql_types::Region {
        Abidjan = "abidjan",
        Yamoussoukro = "yamoussoukro",
        AgnebyTiassa = "agneby_tiassa",
        Bafing = "bafing",
        Bagoue = "bagoue",
        Belier = "belier",
        Bere = "bere",
        Bounkani = "bounkani",
        Cavally = "cavally",
        Folon = "folon",
        Gbeke = "gbeke",
        Gbokle = "gbokle",
        Goh = "goh",
        Gontougo = "gontougo",
        GrandsPonts = "grands_ponts",
        Guemon = "guemon",
        Hambol = "hambol",
        HautSassandra = "haut_sassandra",
        Iffou = "iffou",
        IndenieDjuablin = "indenie_djuablin",
        Kabadougou = "kabadougou",
        LaMe = "la_me",
        LohDjiboua = "loh_djiboua",
        Marahoue = "marahoue",
        Moronou = "moronou",
        Nawa = "nawa",
        NZi = "n_zi" as "N_ZI",
        Poro = "poro",
        SanPedro = "san_pedro",
        SudComoe = "sud_comoe",
        Tchologo = "tchologo",
        Tonkpi = "tonkpi",
        Worodougou = "worodougou",
    }
}

db_enum! {
    /// Sector of activity of an organisation (statistics group by it).
    pub enum SecteurActivite: crate::schema::sql_types::SecteurActivite {
        Telecommunications = "telecommunications",
        BanqueFinance = "banque_finance",
        Assurance = "assurance",
        Sante = "sante",
        Education = "education",
        CommerceDistribution = "commerce_distribution",
        Industrie = "industrie",
        TransportLogistique = "transport_logistique",
        Energie = "energie",
        AdministrationPublique = "administration_publique",
        HotellerieRestauration = "hotellerie_restauration",
        Immobilier = "immobilier",
        Agriculture = "agriculture",
        Medias = "medias",
        AssociationOng = "association_ong",
        Autre = "autre",
    }
}

db_enum! {
    /// Role of an ARTCI staff member.
    pub enum RoleUtilisateur: crate::schema::sql_types::RoleUtilisateur {
        SuperAdmin = "super_admin",
        Admin = "admin",
        Editeur = "editeur",
        Lecteur = "lecteur",
    }
}

db_enum! {
    /// Where a company account's sign-up stands in ARTCI's vetting.
    pub enum StatutInscription: crate::schema::sql_types::StatutInscription {
        EnAttente = "en_attente",
        Approuvee = "approuvee",
        Rejetee = "rejetee",
    }
}

db_enum! {
    /// Why ARTCI rejected a sign-up.
    pub enum MotifRejetInscription: crate::schema::sql_types::MotifRejetInscription {
        EntrepriseInexistante = "entreprise_inexistante",
        RlNonAuthentique = "rl_non_authentique",
        DemandeurNonMandate = "demandeur_non_mandate",
        DocumentsInvalides = "documents_invalides",
        Autre = "autre",
    }
}

db_enum! {
    /// How an entity came into the registry.
    pub enum OrigineSaisie: crate::schema::sql_types::OrigineSaisie {
        AutoRecensement = "auto_recensement",
        SaisieArtci = "saisie_artci",
        Rapprochement = "rapprochement",
    }
}

db_enum! {
    /// State of an entity's compliance dossier.
    pub enum StatutWorkflow: crate::schema::sql_types::StatutWorkflow {
        Brouillon = "brouillon",
        BrouillonArtci = "brouillon_artci",
        Soumis = "soumis",
        EnVerification = "en_verification",
        EnAttenteComplements = "en_attente_complements",
        Conforme = "conforme",
        ConformeSousReserve = "conforme_sous_reserve",
        Valide = "valide",
        Publie = "publie",
        /// An approved dossier being amended (déclaration modificative): the company edits
        /// it; approved version N stays in force and public until the amendment is decided.
        EnModification = "en_modification",
        Rejete = "rejete",
        Expire = "expire",
    }
}

db_enum! {
    /// What an approved version of a dossier (`versions_approuvees`) comes from.
    pub enum OrigineVersion: crate::schema::sql_types::OrigineVersion {
        /// The first validation of an application (`validerDossier`).
        Validation = "validation",
        /// An approved renewal: the same content, a new validity.
        Renouvellement = "renouvellement",
        /// An approved amendment (déclaration modificative).
        Modification = "modification",
    }
}

db_enum! {
    /// Où en est un rapport annuel d'activité.
    pub enum StatutRapportActivite: crate::schema::sql_types::StatutRapportActivite {
        /// Déposé, en attente d'examen par l'ARTCI.
        Soumis = "soumis",
        /// Accepté par l'ARTCI : l'obligation de l'année est remplie.
        Accepte = "accepte",
        /// Renvoyé avec un commentaire : l'entreprise dépose un rapport corrigé.
        ACorriger = "a_corriger" as "A_CORRIGER",
    }
}

db_enum! {
    /// Where an amendment of an approved dossier stands.
    pub enum StatutModification: crate::schema::sql_types::StatutModification {
        /// Being edited, or submitted and under verification.
        Ouverte = "ouverte",
        /// Approved: it produced a new version.
        Approuvee = "approuvee",
        /// Rejected by ARTCI: the dossier went back to the version it amended.
        Rejetee = "rejetee",
        /// Withdrawn by the company (or ended by the approval's expiry): the dossier went
        /// back to the version it amended.
        Annulee = "annulee",
    }
}

db_enum! {
    /// The formality a dossier (or one processing) falls under (Art. 5–7, 26).
    pub enum TypeFormalite: crate::schema::sql_types::TypeFormalite {
        DeclarationPrealable = "declaration_prealable",
        AutorisationPrealable = "autorisation_prealable",
        Dispense = "dispense",
    }
}

db_enum! {
    /// How an entity's position was obtained.
    pub enum MethodeLocalisation: crate::schema::sql_types::MethodeLocalisation {
        GpsAppareil = "gps_appareil",
        ClicCarte = "clic_carte",
        GeocodageAdresse = "geocodage_adresse",
        SaisieManuelle = "saisie_manuelle",
    }
}

db_enum! {
    /// Compliance status of an entity (the last three came with v2.2).
    pub enum StatutConformite: crate::schema::sql_types::StatutConformite {
        Conforme = "conforme",
        PartiellementConforme = "partiellement_conforme",
        NonConforme = "non_conforme",
        DemarcheAchevee = "demarche_achevee",
        DemarcheEnCours = "demarche_en_cours",
        Rejete = "rejete",
    }
}

db_enum! {
    /// Whether the correspondant (DPO) is a member of staff or an outside person.
    pub enum TypeDpo: crate::schema::sql_types::TypeDpo {
        Interne = "interne",
        Externe = "externe",
    }
}

db_enum! {
    /// State of a claim on an ARTCI-entered entity.
    pub enum StatutRapprochement: crate::schema::sql_types::StatutRapprochement {
        EnAttente = "en_attente",
        Approuve = "approuve",
        Rejete = "rejete",
        Annule = "annule",
    }
}

db_enum! {
    /// Capacity in which a person answers for an entity.
    pub enum TypeResponsableLegal: crate::schema::sql_types::TypeResponsableLegal {
        RepresentantLegal = "representant_legal",
        DemandeurMandate = "demandeur_mandate",
        Referent = "referent",
    }
}

db_enum! {
    /// Where a correspondant's designation stands with ARTCI.
    pub enum StatutDesignationDpo: crate::schema::sql_types::StatutDesignationDpo {
        ADeclarer = "a_declarer",
        Declaree = "declaree",
        Validee = "validee",
        Rejetee = "rejetee",
    }
}

db_enum! {
    /// Kind of an attached document.
    pub enum TypeDocument: crate::schema::sql_types::TypeDocument {
        Cni = "cni",
        RegistreCommerce = "registre_commerce",
        Statuts = "statuts",
        AttestationFiscale = "attestation_fiscale",
        RapportActivite = "rapport_activite",
        RapportAudit = "rapport_audit",
        Autorisation = "autorisation",
        Recepisse = "recepisse",
        AttestationConformite = "attestation_conformite",
        PreuveRapprochement = "preuve_rapprochement",
        DpoCv = "dpo_cv",
        DpoCasierJudiciaire = "dpo_casier_judiciaire",
        DpoCni = "dpo_cni",
        DpoExtraitNaissance = "dpo_extrait_naissance",
        Autre = "autre",
    }
}

impl TypeDocument {
    /// The document's name, in French, for mails and missing-item lists.
    pub fn libelle(self) -> &'static str {
        match self {
            Self::Cni => "carte nationale d'identité du représentant légal",
            Self::RegistreCommerce => "registre du commerce et du crédit mobilier",
            Self::Statuts => "statuts",
            Self::AttestationFiscale => "attestation fiscale",
            Self::RapportActivite => "rapport d'activité",
            Self::RapportAudit => "rapport d'audit",
            Self::Autorisation => "autorisation de traitement",
            Self::Recepisse => "récépissé de déclaration",
            Self::AttestationConformite => "attestation",
            Self::PreuveRapprochement => "preuve de rapprochement",
            Self::DpoCv => "curriculum vitae du correspondant",
            Self::DpoCasierJudiciaire => "extrait de casier judiciaire du correspondant",
            Self::DpoCni => "carte nationale d'identité du correspondant",
            Self::DpoExtraitNaissance => "extrait d'acte de naissance du correspondant",
            Self::Autre => "autre document",
        }
    }
}

db_enum! {
    /// ARTCI's check of an attached document.
    pub enum StatutVerificationDocument: crate::schema::sql_types::StatutVerificationDocument {
        EnAttente = "en_attente",
        Valide = "valide",
        Rejete = "rejete",
    }
}

db_enum! {
    /// State of a processing activity in the register.
    pub enum StatutTraitement: crate::schema::sql_types::StatutTraitement {
        Actif = "actif",
        Suspendu = "suspendu",
        Supprime = "supprime",
    }
}

db_enum! {
    /// Category of personal data processed.
    pub enum CodeCategorieDonnees: crate::schema::sql_types::CodeCategorieDonnees {
        Identification = "identification",
        NumerosOfficiels = "numeros_officiels",
        ViePersonnelle = "vie_personnelle",
        VieProfessionnelle = "vie_professionnelle",
        EconomiqueFinanciere = "economique_financiere",
        ConnexionNavigation = "connexion_navigation",
        Localisation = "localisation",
        Sante = "sante",
        Genetiques = "genetiques",
        Biometriques = "biometriques",
        Judiciaires = "judiciaires",
        OpinionsConvictions = "opinions_convictions",
        Mineurs = "mineurs",
        Autre = "autre",
    }
}

db_enum! {
    /// Legal basis of a processing (Art. 14: no "legitimate interest").
    pub enum BaseLegale: crate::schema::sql_types::BaseLegale {
        Consentement = "consentement",
        ObligationLegale = "obligation_legale",
        MissionInteretPublic = "mission_interet_public",
        ExecutionContrat = "execution_contrat",
        SauvegardeInteretsPersonne = "sauvegarde_interets_personne",
    }
}

db_enum! {
    /// Where ARTCI's authorisation of an international transfer stands.
    pub enum StatutAutorisationTransfert: crate::schema::sql_types::StatutAutorisationTransfert {
        NonRequise = "non_requise",
        ADemander = "a_demander",
        EnCours = "en_cours",
        Accordee = "accordee",
        Refusee = "refusee",
    }
}

db_enum! {
    /// Kind of a security measure.
    pub enum TypeMesureSecurite: crate::schema::sql_types::TypeMesureSecurite {
        Technique = "technique",
        Organisationnelle = "organisationnelle",
        Physique = "physique",
    }
}

db_enum! {
    /// Which security measure.
    pub enum CodeMesureSecurite: crate::schema::sql_types::CodeMesureSecurite {
        ControleAcces = "controle_acces",
        AuthentificationForte = "authentification_forte",
        Chiffrement = "chiffrement",
        Sauvegarde = "sauvegarde",
        Journalisation = "journalisation",
        PareFeuAntivirus = "pare_feu_antivirus",
        Pseudonymisation = "pseudonymisation",
        Sensibilisation = "sensibilisation",
        ClauseConfidentialite = "clause_confidentialite",
        SecuriteLocaux = "securite_locaux",
        Autre = "autre",
    }
}

db_enum! {
    /// A security certification.
    pub enum NomCertification: crate::schema::sql_types::NomCertification {
        Iso27001 = "iso_27001" as "ISO_27001",
        Iso27701 = "iso_27701" as "ISO_27701",
        PciDss = "pci_dss",
        Soc2 = "soc2" as "SOC2",
        Autre = "autre",
    }
}

db_enum! {
    /// What a status-history line is about.
    pub enum ObjetHistorique: crate::schema::sql_types::ObjetHistorique {
        Workflow = "workflow",
        Conformite = "conformite",
        Assignation = "assignation",
        Rapprochement = "rapprochement",
        Renouvellement = "renouvellement",
        Inscription = "inscription",
        /// ARTCI's review of one of the dossier's documents.
        Document = "document",
    }
}

db_enum! {
    /// Who made a change: a staff user, a company account or the system.
    pub enum ActeurType: crate::schema::sql_types::ActeurType {
        Utilisateur = "utilisateur",
        CompteEntreprise = "compte_entreprise",
        Systeme = "systeme",
    }
}

db_enum! {
    /// State of a renewal request.
    pub enum StatutRenouvellement: crate::schema::sql_types::StatutRenouvellement {
        EnAttente = "en_attente",
        EnCours = "en_cours",
        Approuve = "approuve",
        Rejete = "rejete",
    }
}

db_enum! {
    /// What a one-time code is for.
    pub enum TypeOtp: crate::schema::sql_types::TypeOtp {
        Inscription = "inscription",
        Connexion = "connexion",
        ResetPassword = "reset_password",
    }
}

db_enum! {
    /// State of a dossier's assignment to an agent.
    pub enum StatutAssignation: crate::schema::sql_types::StatutAssignation {
        EnCours = "en_cours",
        TraiteAttenteValidation = "traite_attente_validation",
        Valide = "valide",
        EnRetard = "en_retard",
        Renvoye = "renvoye",
        Annule = "annule",
    }
}

db_enum! {
    /// The decision an agent proposes (and the N+1 takes), named like the workflow targets.
    pub enum DecisionTraitement: crate::schema::sql_types::DecisionTraitement {
        Conforme = "conforme",
        ConformeSousReserve = "conforme_sous_reserve",
        EnAttenteComplements = "en_attente_complements",
        Rejete = "rejete",
    }
}

db_enum! {
    /// State of a verification feedback.
    pub enum StatutFeedback: crate::schema::sql_types::StatutFeedback {
        Brouillon = "brouillon",
        ValideN1 = "valide_n1" as "VALIDE_N1",
        Envoye = "envoye",
        Traite = "traite",
    }
}
