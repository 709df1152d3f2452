-- v2.1 : extensions, fonction updated_at, types énumérés et les 22 tables initiales.
--
-- Conventions (voir DOMAIN.md) : clés uuid, instants en timestamptz, dates calendaires en
-- date, énumérations en types PostgreSQL aux libellés français snake_case, e-mails stockés
-- normalisés (minuscules, sans espaces autour), NCC = 7 chiffres + 1 lettre majuscule.
-- ON DELETE : CASCADE pour les parties d'une entité, RESTRICT pour les acteurs (utilisateurs,
-- comptes : on les désactive, on ne les supprime pas), SET NULL pour les liens facultatifs.

CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Tient updated_at à jour ; posé par un trigger BEFORE UPDATE sur chaque table modifiable.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Types énumérés
-- ---------------------------------------------------------------------------------------

-- Les 31 régions de Côte d'Ivoire et les 2 districts autonomes (ASCII, sans accents).
CREATE TYPE region AS ENUM (
    'abidjan', 'yamoussoukro',
    'agneby_tiassa', 'bafing', 'bagoue', 'belier', 'bere', 'bounkani', 'cavally', 'folon',
    'gbeke', 'gbokle', 'goh', 'gontougo', 'grands_ponts', 'guemon', 'hambol',
    'haut_sassandra', 'iffou', 'indenie_djuablin', 'kabadougou', 'la_me', 'loh_djiboua',
    'marahoue', 'moronou', 'nawa', 'n_zi', 'poro', 'san_pedro', 'sud_comoe', 'tchologo',
    'tonkpi', 'worodougou'
);
CREATE TYPE secteur_activite AS ENUM (
    'telecommunications', 'banque_finance', 'assurance', 'sante', 'education',
    'commerce_distribution', 'industrie', 'transport_logistique', 'energie',
    'administration_publique', 'hotellerie_restauration', 'immobilier', 'agriculture',
    'medias', 'association_ong', 'autre'
);
CREATE TYPE role_utilisateur AS ENUM ('super_admin', 'admin', 'editeur', 'lecteur');
CREATE TYPE statut_inscription AS ENUM ('en_attente', 'approuvee', 'rejetee');
CREATE TYPE motif_rejet_inscription AS ENUM (
    'entreprise_inexistante', 'rl_non_authentique', 'demandeur_non_mandate',
    'documents_invalides', 'autre'
);
CREATE TYPE origine_saisie AS ENUM ('auto_recensement', 'saisie_artci', 'rapprochement');
CREATE TYPE statut_workflow AS ENUM (
    'brouillon', 'brouillon_artci', 'soumis', 'en_verification', 'en_attente_complements',
    'conforme', 'conforme_sous_reserve', 'valide', 'publie', 'rejete', 'expire'
);
CREATE TYPE type_formalite AS ENUM ('declaration_prealable', 'autorisation_prealable', 'dispense');
CREATE TYPE methode_localisation AS ENUM (
    'gps_appareil', 'clic_carte', 'geocodage_adresse', 'saisie_manuelle'
);
-- v2.2 (migration 2024-06-01-000001) y ajoute demarche_achevee, demarche_en_cours, rejete.
CREATE TYPE statut_conformite AS ENUM ('conforme', 'partiellement_conforme', 'non_conforme');
CREATE TYPE type_dpo AS ENUM ('interne', 'externe');
CREATE TYPE statut_rapprochement AS ENUM ('en_attente', 'approuve', 'rejete', 'annule');
CREATE TYPE type_responsable_legal AS ENUM ('representant_legal', 'demandeur_mandate', 'referent');
CREATE TYPE statut_designation_dpo AS ENUM ('a_declarer', 'declaree', 'validee', 'rejetee');
CREATE TYPE type_document AS ENUM (
    'cni', 'registre_commerce', 'statuts', 'attestation_fiscale', 'rapport_activite',
    'rapport_audit', 'autorisation', 'recepisse', 'attestation_conformite',
    'preuve_rapprochement', 'dpo_cv', 'dpo_casier_judiciaire', 'dpo_cni',
    'dpo_extrait_naissance', 'autre'
);
CREATE TYPE statut_verification_document AS ENUM ('en_attente', 'valide', 'rejete');
CREATE TYPE statut_traitement AS ENUM ('actif', 'suspendu', 'supprime');
CREATE TYPE code_categorie_donnees AS ENUM (
    'identification', 'numeros_officiels', 'vie_personnelle', 'vie_professionnelle',
    'economique_financiere', 'connexion_navigation', 'localisation', 'sante', 'genetiques',
    'biometriques', 'judiciaires', 'opinions_convictions', 'mineurs', 'autre'
);
-- Art. 14 de la loi n° 2013-450 : pas d'« intérêt légitime ».
CREATE TYPE base_legale AS ENUM (
    'consentement', 'obligation_legale', 'mission_interet_public', 'execution_contrat',
    'sauvegarde_interets_personne'
);
CREATE TYPE statut_autorisation_transfert AS ENUM (
    'non_requise', 'a_demander', 'en_cours', 'accordee', 'refusee'
);
CREATE TYPE type_mesure_securite AS ENUM ('technique', 'organisationnelle', 'physique');
CREATE TYPE code_mesure_securite AS ENUM (
    'controle_acces', 'authentification_forte', 'chiffrement', 'sauvegarde', 'journalisation',
    'pare_feu_antivirus', 'pseudonymisation', 'sensibilisation', 'clause_confidentialite',
    'securite_locaux', 'autre'
);
CREATE TYPE nom_certification AS ENUM ('iso_27001', 'iso_27701', 'pci_dss', 'soc2', 'autre');
CREATE TYPE objet_historique AS ENUM (
    'workflow', 'conformite', 'assignation', 'rapprochement', 'renouvellement', 'inscription'
);
CREATE TYPE acteur_type AS ENUM ('utilisateur', 'compte_entreprise', 'systeme');
CREATE TYPE statut_renouvellement AS ENUM ('en_attente', 'en_cours', 'approuve', 'rejete');

-- ---------------------------------------------------------------------------------------
-- Acteurs
-- ---------------------------------------------------------------------------------------

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    nom text NOT NULL CHECK (btrim(nom) <> ''),
    prenom text NOT NULL CHECK (btrim(prenom) <> ''),
    email text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND email <> ''),
    password_hash text NOT NULL,
    role role_utilisateur NOT NULL DEFAULT 'lecteur',
    -- Le N+1 ; un supérieur supprimé laisse l'agent sans supérieur.
    superieur_id uuid REFERENCES users (id) ON DELETE SET NULL,
    telephone text,
    est_actif boolean NOT NULL DEFAULT true,
    derniere_connexion timestamptz,
    password_last_changed timestamptz,
    password_expires_at timestamptz,
    doit_changer_mot_de_passe boolean NOT NULL DEFAULT false,
    tentatives_connexion_echouees integer NOT NULL DEFAULT 0
        CHECK (tentatives_connexion_echouees >= 0),
    verrouille_jusqu_a timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_superieur_pas_soi_meme CHECK (superieur_id <> id)
);
CREATE INDEX idx_users_superieur_id ON users (superieur_id);
CREATE INDEX idx_users_role ON users (role);
COMMENT ON TABLE users IS 'Agents de l''ARTCI (super_admin, admin, editeur, lecteur).';

CREATE TABLE comptes_entreprises (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND email <> ''),
    password_hash text NOT NULL,
    denomination text NOT NULL CHECK (btrim(denomination) <> ''),
    numero_cc text NOT NULL UNIQUE CHECK (numero_cc ~ '^[0-9]{7}[A-Z]$'),
    telephone text,
    adresse text,
    ville text,
    region region,
    email_verifie boolean NOT NULL DEFAULT false,
    est_actif boolean NOT NULL DEFAULT true,
    statut_inscription statut_inscription NOT NULL DEFAULT 'en_attente',
    motif_rejet_code motif_rejet_inscription,
    motif_rejet text,
    inscription_validee_par uuid REFERENCES users (id) ON DELETE RESTRICT,
    inscription_validee_le timestamptz,
    derniere_connexion timestamptz,
    tentatives_connexion_echouees integer NOT NULL DEFAULT 0
        CHECK (tentatives_connexion_echouees >= 0),
    verrouille_jusqu_a timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT comptes_entreprises_rejet_motivee
        CHECK (statut_inscription <> 'rejetee' OR motif_rejet_code IS NOT NULL)
);
CREATE INDEX idx_comptes_entreprises_statut_inscription ON comptes_entreprises (statut_inscription);
CREATE INDEX idx_comptes_entreprises_inscription_validee_par
    ON comptes_entreprises (inscription_validee_par);
COMMENT ON TABLE comptes_entreprises IS 'Comptes des organisations qui déclarent leurs traitements.';

-- ---------------------------------------------------------------------------------------
-- L'entité et ses satellites 1:1
-- ---------------------------------------------------------------------------------------

CREATE TABLE entites_base (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- NULL : saisie par l'ARTCI et pas encore rapprochée d'un compte.
    compte_entreprise_id uuid REFERENCES comptes_entreprises (id) ON DELETE SET NULL,
    numero_cc text NOT NULL UNIQUE CHECK (numero_cc ~ '^[0-9]{7}[A-Z]$'),
    denomination text NOT NULL CHECK (btrim(denomination) <> ''),
    sigle text,
    forme_juridique text,
    secteur_activite secteur_activite NOT NULL,
    adresse text,
    ville text,
    commune text,
    region region NOT NULL,
    telephone text,
    email text CHECK (email = lower(btrim(email))),
    origine_saisie origine_saisie NOT NULL DEFAULT 'auto_recensement',
    -- Vrai exactement tant que entites_workflow.statut = 'publie' (trigger sur entites_workflow).
    publie_sur_carte boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_entites_base_compte_entreprise_id ON entites_base (compte_entreprise_id);
CREATE INDEX idx_entites_base_secteur_activite ON entites_base (secteur_activite);
CREATE INDEX idx_entites_base_region ON entites_base (region);
CREATE INDEX idx_entites_base_publie_sur_carte ON entites_base (publie_sur_carte)
    WHERE publie_sur_carte;
CREATE INDEX idx_entites_base_denomination_trgm ON entites_base
    USING gin (denomination gin_trgm_ops);
COMMENT ON TABLE entites_base IS 'Organisations responsables de traitements (identité de l''entité).';

CREATE TABLE entites_contact (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    representant_nom text,
    representant_fonction text,
    representant_email text CHECK (representant_email = lower(btrim(representant_email))),
    representant_telephone text,
    site_web text,
    email_public text CHECK (email_public = lower(btrim(email_public))),
    telephone_public text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE entites_contact IS 'Coordonnées du représentant légal et coordonnées publiques de l''entité.';

CREATE TABLE entites_workflow (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    statut statut_workflow NOT NULL DEFAULT 'brouillon',
    type_formalite type_formalite,
    numero_recepisse text CHECK (btrim(numero_recepisse) <> ''),
    numero_autorisation_artci text CHECK (btrim(numero_autorisation_artci) <> ''),
    date_soumission timestamptz,
    date_limite_decision date,
    date_validation timestamptz,
    -- Fin de validité de l'agrément.
    date_expiration date,
    date_publication timestamptz,
    date_rejet timestamptz,
    motif_rejet text,
    -- L'agent qui a saisi l'entité (NULL : créée par le compte entreprise).
    created_by uuid REFERENCES users (id) ON DELETE RESTRICT,
    -- L'agent de l'assignation en cours.
    assigned_to uuid REFERENCES users (id) ON DELETE RESTRICT,
    -- Verrou optimiste : chaque enregistrement part de la version lue et l'incrémente.
    version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT entites_workflow_rejet_motive
        CHECK (statut <> 'rejete' OR motif_rejet IS NOT NULL),
    CONSTRAINT entites_workflow_validation_datee
        CHECK (statut NOT IN ('valide', 'publie')
               OR (date_validation IS NOT NULL AND date_expiration IS NOT NULL))
);
CREATE UNIQUE INDEX uq_entites_workflow_numero_recepisse ON entites_workflow (numero_recepisse)
    WHERE numero_recepisse IS NOT NULL;
CREATE UNIQUE INDEX uq_entites_workflow_numero_autorisation_artci
    ON entites_workflow (numero_autorisation_artci) WHERE numero_autorisation_artci IS NOT NULL;
CREATE INDEX idx_entites_workflow_statut ON entites_workflow (statut);
CREATE INDEX idx_entites_workflow_date_soumission ON entites_workflow (date_soumission);
CREATE INDEX idx_entites_workflow_date_limite_decision ON entites_workflow (date_limite_decision);
CREATE INDEX idx_entites_workflow_date_expiration ON entites_workflow (date_expiration);
CREATE INDEX idx_entites_workflow_created_by ON entites_workflow (created_by);
CREATE INDEX idx_entites_workflow_assigned_to ON entites_workflow (assigned_to);
COMMENT ON TABLE entites_workflow IS 'Cycle de vie du dossier de conformité (statut, formalité, échéances).';

-- Maintient entites_base.publie_sur_carte = (statut = 'publie').
CREATE FUNCTION synchroniser_publie_sur_carte() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE entites_base
       SET publie_sur_carte = (NEW.statut = 'publie')
     WHERE id = NEW.entite_id
       AND publie_sur_carte IS DISTINCT FROM (NEW.statut = 'publie');
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_entites_workflow_publie_sur_carte
    AFTER INSERT OR UPDATE OF statut ON entites_workflow
    FOR EACH ROW EXECUTE FUNCTION synchroniser_publie_sur_carte();

CREATE TABLE entites_localisation (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    geolocation geography(Point, 4326),
    precision_m integer CHECK (precision_m >= 0),
    methode methode_localisation,
    adresse_complete text,
    commune text,
    quartier text,
    code_postal text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT entites_localisation_coordonnees_valides CHECK (
        ST_Y(geolocation::geometry) BETWEEN -90 AND 90
        AND ST_X(geolocation::geometry) BETWEEN -180 AND 180
    )
);
CREATE INDEX idx_entites_localisation_geolocation ON entites_localisation USING gist (geolocation);
COMMENT ON TABLE entites_localisation IS 'Position géographique de l''entité pour la carte publique.';

CREATE TABLE entites_conformite (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    score_conformite smallint NOT NULL DEFAULT 0 CHECK (score_conformite BETWEEN 0 AND 100),
    statut_conformite statut_conformite NOT NULL DEFAULT 'non_conforme',
    a_dpo boolean NOT NULL DEFAULT false,
    type_dpo type_dpo,
    effectif_entreprise integer CHECK (effectif_entreprise >= 0),
    -- Nombre approximatif de personnes dont les données sont traitées.
    volume_donnees_traitees bigint CHECK (volume_donnees_traitees >= 0),
    date_evaluation date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT entites_conformite_type_dpo_ssi_a_dpo CHECK (a_dpo = (type_dpo IS NOT NULL))
);
CREATE INDEX idx_entites_conformite_statut_conformite ON entites_conformite (statut_conformite);
COMMENT ON TABLE entites_conformite IS 'Score et statut de conformité de l''entité.';

-- ---------------------------------------------------------------------------------------
-- Le dossier : personnes, documents, traitements
-- ---------------------------------------------------------------------------------------

CREATE TABLE responsables_legaux (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    nom text NOT NULL CHECK (btrim(nom) <> ''),
    prenom text,
    fonction text,
    email text CHECK (email = lower(btrim(email))),
    telephone text,
    type type_responsable_legal NOT NULL DEFAULT 'representant_legal',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_responsables_legaux_entite_id ON responsables_legaux (entite_id);
COMMENT ON TABLE responsables_legaux IS 'Représentants légaux, demandeurs mandatés et référents de l''entité.';

CREATE TABLE dpo (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    nom text NOT NULL CHECK (btrim(nom) <> ''),
    prenom text,
    email text CHECK (email = lower(btrim(email))),
    telephone text,
    type type_dpo NOT NULL,
    -- L'organisme d'un correspondant externe.
    organisme text,
    date_designation date,
    date_fin date,
    est_actif boolean NOT NULL DEFAULT true,
    statut_designation statut_designation_dpo NOT NULL DEFAULT 'a_declarer',
    motif_rejet text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dpo_organisme_si_externe CHECK (type = 'externe' OR organisme IS NULL),
    CONSTRAINT dpo_dates_ordonnees CHECK (date_fin >= date_designation),
    CONSTRAINT dpo_rejet_motive CHECK (statut_designation <> 'rejetee' OR motif_rejet IS NOT NULL)
);
CREATE INDEX idx_dpo_entite_id ON dpo (entite_id);
CREATE UNIQUE INDEX uq_dpo_un_actif_par_entite ON dpo (entite_id) WHERE est_actif;
COMMENT ON TABLE dpo IS 'Correspondants à la protection des données (DPO) désignés par l''entité.';

CREATE TABLE conformite_administrative (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    connaissance_loi boolean NOT NULL DEFAULT false,
    declaration_artci boolean NOT NULL DEFAULT false,
    numero_declaration text,
    date_declaration date,
    autorisation_artci boolean NOT NULL DEFAULT false,
    numero_autorisation text,
    date_autorisation date,
    registre_tenu boolean NOT NULL DEFAULT false,
    information_personnes boolean NOT NULL DEFAULT false,
    procedure_droits boolean NOT NULL DEFAULT false,
    -- Rapport annuel du correspondant, dû au 31 mars.
    dernier_rapport_annuel date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conformite_administrative_declaration_coherente
        CHECK (declaration_artci OR (numero_declaration IS NULL AND date_declaration IS NULL)),
    CONSTRAINT conformite_administrative_autorisation_coherente
        CHECK (autorisation_artci OR (numero_autorisation IS NULL AND date_autorisation IS NULL))
);
COMMENT ON TABLE conformite_administrative IS 'Formalités administratives déjà accomplies par l''entité.';

CREATE TABLE documents_joints (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    type_document type_document NOT NULL,
    nom_fichier text NOT NULL CHECK (btrim(nom_fichier) <> ''),
    cle_stockage text NOT NULL UNIQUE CHECK (btrim(cle_stockage) <> ''),
    taille_octets integer NOT NULL CHECK (taille_octets BETWEEN 1 AND 10485760),
    mime_type text NOT NULL CHECK (btrim(mime_type) <> ''),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    -- Déposé par exactement un acteur : un compte entreprise ou un agent.
    depose_par_compte_id uuid REFERENCES comptes_entreprises (id) ON DELETE RESTRICT,
    depose_par_user_id uuid REFERENCES users (id) ON DELETE RESTRICT,
    statut_verification statut_verification_document NOT NULL DEFAULT 'en_attente',
    verifie_par uuid REFERENCES users (id) ON DELETE RESTRICT,
    verifie_le timestamptz,
    motif_rejet text,
    est_public boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT documents_joints_un_deposant
        CHECK (num_nonnulls(depose_par_compte_id, depose_par_user_id) = 1),
    CONSTRAINT documents_joints_rejet_motive
        CHECK (statut_verification <> 'rejete' OR motif_rejet IS NOT NULL)
);
CREATE INDEX idx_documents_joints_entite_id ON documents_joints (entite_id);
CREATE INDEX idx_documents_joints_depose_par_compte_id ON documents_joints (depose_par_compte_id);
CREATE INDEX idx_documents_joints_depose_par_user_id ON documents_joints (depose_par_user_id);
CREATE INDEX idx_documents_joints_verifie_par ON documents_joints (verifie_par);
CREATE INDEX idx_documents_joints_statut_verification ON documents_joints (statut_verification);
COMMENT ON TABLE documents_joints IS 'Pièces jointes au dossier (métadonnées ; le fichier est dans le stockage).';

CREATE TABLE demandes_rapprochement (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    compte_entreprise_id uuid NOT NULL REFERENCES comptes_entreprises (id) ON DELETE RESTRICT,
    email_demandeur text NOT NULL
        CHECK (email_demandeur = lower(btrim(email_demandeur)) AND email_demandeur <> ''),
    numero_cc text NOT NULL CHECK (numero_cc ~ '^[0-9]{7}[A-Z]$'),
    document_preuve_id uuid REFERENCES documents_joints (id) ON DELETE SET NULL,
    raison_demande text NOT NULL CHECK (btrim(raison_demande) <> ''),
    statut statut_rapprochement NOT NULL DEFAULT 'en_attente',
    traite_par uuid REFERENCES users (id) ON DELETE RESTRICT,
    date_traitement timestamptz,
    commentaire_artci text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT demandes_rapprochement_rejet_motive
        CHECK (statut <> 'rejete' OR commentaire_artci IS NOT NULL),
    CONSTRAINT demandes_rapprochement_traitement_date
        CHECK (statut NOT IN ('approuve', 'rejete') OR date_traitement IS NOT NULL)
);
CREATE INDEX idx_demandes_rapprochement_entite_id ON demandes_rapprochement (entite_id);
CREATE INDEX idx_demandes_rapprochement_compte_entreprise_id
    ON demandes_rapprochement (compte_entreprise_id);
CREATE INDEX idx_demandes_rapprochement_document_preuve_id
    ON demandes_rapprochement (document_preuve_id);
CREATE INDEX idx_demandes_rapprochement_traite_par ON demandes_rapprochement (traite_par);
CREATE INDEX idx_demandes_rapprochement_statut ON demandes_rapprochement (statut);
CREATE UNIQUE INDEX uq_demandes_rapprochement_une_en_attente
    ON demandes_rapprochement (entite_id, compte_entreprise_id) WHERE statut = 'en_attente';
COMMENT ON TABLE demandes_rapprochement IS 'Demandes d''un compte pour se rattacher une entité saisie par l''ARTCI.';

CREATE TABLE registre_traitements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    nom text NOT NULL CHECK (btrim(nom) <> ''),
    finalite text,
    base_legale base_legale,
    categories_personnes text,
    duree_conservation text,
    destinataires text,
    transfert_hors_ci boolean NOT NULL DEFAULT false,
    regime type_formalite,
    statut statut_traitement NOT NULL DEFAULT 'actif',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Cible des clés composées : une catégorie ou une finalité rattachée à un traitement
    -- appartient à la même entité que lui.
    CONSTRAINT registre_traitements_id_entite_unique UNIQUE (id, entite_id)
);
CREATE INDEX idx_registre_traitements_entite_id ON registre_traitements (entite_id);
CREATE INDEX idx_registre_traitements_statut ON registre_traitements (statut);
COMMENT ON TABLE registre_traitements IS 'Registre des activités de traitement (une ligne = un traitement).';

CREATE TABLE categories_donnees (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    registre_traitement_id uuid,
    categorie code_categorie_donnees NOT NULL,
    items text,
    origine text,
    est_sensible boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT categories_donnees_traitement_meme_entite
        FOREIGN KEY (registre_traitement_id, entite_id)
        REFERENCES registre_traitements (id, entite_id) ON DELETE CASCADE
);
CREATE INDEX idx_categories_donnees_entite_id ON categories_donnees (entite_id);
CREATE INDEX idx_categories_donnees_registre_traitement_id
    ON categories_donnees (registre_traitement_id, entite_id);
CREATE INDEX idx_categories_donnees_categorie ON categories_donnees (categorie);
COMMENT ON TABLE categories_donnees IS 'Catégories de données personnelles traitées par l''entité.';

CREATE TABLE finalites_bases_legales (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    registre_traitement_id uuid,
    finalite text NOT NULL CHECK (btrim(finalite) <> ''),
    base_legale base_legale NOT NULL,
    -- Part affichée dans la bulle de la carte ; la somme par entité est au plus 100.
    pourcentage smallint NOT NULL DEFAULT 0 CHECK (pourcentage BETWEEN 0 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT finalites_bases_legales_traitement_meme_entite
        FOREIGN KEY (registre_traitement_id, entite_id)
        REFERENCES registre_traitements (id, entite_id) ON DELETE CASCADE
);
CREATE INDEX idx_finalites_bases_legales_entite_id ON finalites_bases_legales (entite_id);
CREATE INDEX idx_finalites_bases_legales_registre_traitement_id
    ON finalites_bases_legales (registre_traitement_id, entite_id);
COMMENT ON TABLE finalites_bases_legales IS 'Finalités des traitements et leur base légale (art. 14).';

-- Vérifiée à la validation de la transaction, pour qu'une liste puisse être remplacée
-- (suppression puis insertion) dans une seule transaction.
CREATE FUNCTION verifier_total_pourcentages() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    total integer;
BEGIN
    SELECT coalesce(sum(pourcentage), 0) INTO total
      FROM finalites_bases_legales
     WHERE entite_id = NEW.entite_id;
    IF total > 100 THEN
        RAISE EXCEPTION 'la somme des pourcentages des finalités de l''entité % est % (> 100)',
                        NEW.entite_id, total
              USING ERRCODE = 'check_violation',
                    TABLE = 'finalites_bases_legales',
                    CONSTRAINT = 'finalites_bases_legales_total_pourcentages';
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER finalites_bases_legales_total_pourcentages
    AFTER INSERT OR UPDATE OF pourcentage, entite_id ON finalites_bases_legales
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION verifier_total_pourcentages();

CREATE TABLE sous_traitance (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    nom_sous_traitant text NOT NULL CHECK (btrim(nom_sous_traitant) <> ''),
    -- ISO 3166-1 alpha-2.
    pays text NOT NULL CHECK (pays ~ '^[A-Z]{2}$'),
    objet text,
    donnees_partagees text,
    contrat boolean NOT NULL DEFAULT false,
    clauses_protection boolean NOT NULL DEFAULT false,
    audit boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_sous_traitance_entite_id ON sous_traitance (entite_id);
COMMENT ON TABLE sous_traitance IS 'Sous-traitants à qui l''entité confie des données.';

CREATE TABLE transferts_internationaux (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    -- ISO 3166-1 alpha-2.
    pays_destination text NOT NULL CHECK (pays_destination ~ '^[A-Z]{2}$'),
    est_cedeao boolean NOT NULL DEFAULT false,
    organisme_destinataire text,
    finalite text,
    categories text,
    base_juridique text,
    garanties text,
    statut_autorisation statut_autorisation_transfert NOT NULL DEFAULT 'a_demander',
    -- Numéro de la décision de l'ARTCI, p. ex. 2016-0113.
    numero_decision text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_transferts_internationaux_entite_id ON transferts_internationaux (entite_id);
COMMENT ON TABLE transferts_internationaux IS 'Transferts de données hors de Côte d''Ivoire.';

CREATE TABLE securite_conformite (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    politique_securite boolean NOT NULL DEFAULT false,
    responsable_securite boolean NOT NULL DEFAULT false,
    analyse_risques boolean NOT NULL DEFAULT false,
    plan_continuite boolean NOT NULL DEFAULT false,
    procedure_violations boolean NOT NULL DEFAULT false,
    violations_12_mois integer CHECK (violations_12_mois >= 0),
    formation_personnel boolean NOT NULL DEFAULT false,
    frequence_formation text,
    dernier_audit date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE securite_conformite IS 'Organisation de la sécurité des données de l''entité.';

CREATE TABLE mesures_securite (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    type_mesure type_mesure_securite NOT NULL,
    code code_mesure_securite NOT NULL,
    description text,
    mise_en_oeuvre boolean NOT NULL DEFAULT false,
    date_mise_en_oeuvre date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_mesures_securite_entite_id ON mesures_securite (entite_id);
COMMENT ON TABLE mesures_securite IS 'Mesures de sécurité techniques, organisationnelles et physiques.';

CREATE TABLE certifications_securite (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    nom nom_certification NOT NULL,
    organisme text,
    numero text,
    date_obtention date,
    date_expiration date,
    document_id uuid REFERENCES documents_joints (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT certifications_securite_dates_ordonnees CHECK (date_expiration >= date_obtention)
);
CREATE INDEX idx_certifications_securite_entite_id ON certifications_securite (entite_id);
CREATE INDEX idx_certifications_securite_document_id ON certifications_securite (document_id);
COMMENT ON TABLE certifications_securite IS 'Certifications de sécurité obtenues par l''entité.';

-- ---------------------------------------------------------------------------------------
-- Historique et renouvellements
-- ---------------------------------------------------------------------------------------

-- Journal en ajout seul. Les clés étrangères sont ON DELETE RESTRICT : l'historique n'est
-- jamais effacé, donc une entité (ou un acteur) qui a un historique ne peut pas être supprimée.
CREATE TABLE historique_statuts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid REFERENCES entites_base (id) ON DELETE RESTRICT,
    -- Le compte concerné quand l'objet est son inscription (pas d'entité alors).
    compte_entreprise_id uuid REFERENCES comptes_entreprises (id) ON DELETE RESTRICT,
    objet objet_historique NOT NULL,
    -- La ligne concernée quand ce n'est pas l'entité elle-même (assignation, demande de
    -- rapprochement, renouvellement).
    objet_id uuid,
    ancien_statut text,
    nouveau_statut text NOT NULL CHECK (btrim(nouveau_statut) <> ''),
    acteur_type acteur_type NOT NULL,
    acteur_user_id uuid REFERENCES users (id) ON DELETE RESTRICT,
    acteur_compte_id uuid REFERENCES comptes_entreprises (id) ON DELETE RESTRICT,
    commentaire text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT historique_statuts_sujet CHECK (
        CASE WHEN objet = 'inscription' THEN compte_entreprise_id IS NOT NULL
             ELSE entite_id IS NOT NULL END
    ),
    CONSTRAINT historique_statuts_acteur CHECK (
        CASE acteur_type
            WHEN 'utilisateur' THEN acteur_user_id IS NOT NULL AND acteur_compte_id IS NULL
            WHEN 'compte_entreprise' THEN acteur_compte_id IS NOT NULL AND acteur_user_id IS NULL
            ELSE acteur_user_id IS NULL AND acteur_compte_id IS NULL
        END
    )
);
CREATE INDEX idx_historique_statuts_entite_id ON historique_statuts (entite_id, created_at);
CREATE INDEX idx_historique_statuts_compte_entreprise_id
    ON historique_statuts (compte_entreprise_id);
CREATE INDEX idx_historique_statuts_acteur_user_id ON historique_statuts (acteur_user_id);
CREATE INDEX idx_historique_statuts_acteur_compte_id ON historique_statuts (acteur_compte_id);
COMMENT ON TABLE historique_statuts IS 'Journal des changements de statut, en ajout seul.';

CREATE FUNCTION refuser_modification_historique() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'historique_statuts est en ajout seul (% refusé)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER trg_historique_statuts_ajout_seul
    BEFORE UPDATE OR DELETE ON historique_statuts
    FOR EACH ROW EXECUTE FUNCTION refuser_modification_historique();
CREATE TRIGGER trg_historique_statuts_pas_de_truncate
    BEFORE TRUNCATE ON historique_statuts
    FOR EACH STATEMENT EXECUTE FUNCTION refuser_modification_historique();

CREATE TABLE renouvellements (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE CASCADE,
    date_demande timestamptz NOT NULL DEFAULT now(),
    date_expiration_agrement date NOT NULL,
    nouvelle_date_expiration date,
    motif text,
    statut statut_renouvellement NOT NULL DEFAULT 'en_attente',
    traite_par uuid REFERENCES users (id) ON DELETE RESTRICT,
    date_traitement timestamptz,
    commentaire text,
    rappel_3_mois_le timestamptz,
    rappel_1_mois_le timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT renouvellements_dates_ordonnees
        CHECK (nouvelle_date_expiration > date_expiration_agrement),
    CONSTRAINT renouvellements_approbation_datee
        CHECK (statut <> 'approuve' OR nouvelle_date_expiration IS NOT NULL),
    CONSTRAINT renouvellements_rejet_motive CHECK (statut <> 'rejete' OR commentaire IS NOT NULL)
);
CREATE INDEX idx_renouvellements_entite_id ON renouvellements (entite_id);
CREATE INDEX idx_renouvellements_statut ON renouvellements (statut);
CREATE INDEX idx_renouvellements_traite_par ON renouvellements (traite_par);
-- Un seul renouvellement ouvert (en attente ou en cours d'instruction) par entité.
CREATE UNIQUE INDEX uq_renouvellements_un_ouvert_par_entite ON renouvellements (entite_id)
    WHERE statut IN ('en_attente', 'en_cours');
COMMENT ON TABLE renouvellements IS 'Demandes de renouvellement de l''agrément et rappels d''échéance.';

-- ---------------------------------------------------------------------------------------
-- updated_at tenu par la base sur chaque table modifiable (pas historique_statuts)
-- ---------------------------------------------------------------------------------------

CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_comptes_entreprises_updated_at BEFORE UPDATE ON comptes_entreprises
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_entites_base_updated_at BEFORE UPDATE ON entites_base
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_entites_contact_updated_at BEFORE UPDATE ON entites_contact
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_entites_workflow_updated_at BEFORE UPDATE ON entites_workflow
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_entites_localisation_updated_at BEFORE UPDATE ON entites_localisation
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_entites_conformite_updated_at BEFORE UPDATE ON entites_conformite
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_responsables_legaux_updated_at BEFORE UPDATE ON responsables_legaux
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_dpo_updated_at BEFORE UPDATE ON dpo
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_conformite_administrative_updated_at BEFORE UPDATE ON conformite_administrative
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_documents_joints_updated_at BEFORE UPDATE ON documents_joints
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_demandes_rapprochement_updated_at BEFORE UPDATE ON demandes_rapprochement
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_registre_traitements_updated_at BEFORE UPDATE ON registre_traitements
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_categories_donnees_updated_at BEFORE UPDATE ON categories_donnees
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_finalites_bases_legales_updated_at BEFORE UPDATE ON finalites_bases_legales
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_sous_traitance_updated_at BEFORE UPDATE ON sous_traitance
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_transferts_internationaux_updated_at BEFORE UPDATE ON transferts_internationaux
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_securite_conformite_updated_at BEFORE UPDATE ON securite_conformite
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_mesures_securite_updated_at BEFORE UPDATE ON mesures_securite
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_certifications_securite_updated_at BEFORE UPDATE ON certifications_securite
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_renouvellements_updated_at BEFORE UPDATE ON renouvellements
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
