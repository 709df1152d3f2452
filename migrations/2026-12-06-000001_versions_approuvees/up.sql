-- After approval: the approved versions of a dossier (each with its certificate) and the
-- amendments of an approved dossier (déclaration modificative).

-- ---------------------------------------------------------------------------------------
-- The dossier as one JSON value, and back
-- ---------------------------------------------------------------------------------------

-- The tables of the five parts of a dossier: the satellites (one row per entity, keyed by
-- `entite_id`; `entites_base` by `id`) and the lists (many rows, keyed by their `id`).
-- Documents are not part of it: they are kept apart, each with its own life.
CREATE FUNCTION dossier_tables_satellites() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['entites_base', 'entites_contact', 'entites_localisation',
                 'entites_conformite', 'conformite_administrative', 'securite_conformite']
$$;
-- In the order they are inserted (a list before those that refer to it).
CREATE FUNCTION dossier_tables_listes() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['responsables_legaux', 'dpo', 'registre_traitements', 'categories_donnees',
                 'finalites_bases_legales', 'sous_traitance', 'transferts_internationaux',
                 'mesures_securite', 'certifications_securite']
$$;
-- The columns that follow the workflow, not the company's answers: never in a snapshot,
-- never restored from one.
CREATE FUNCTION dossier_colonnes_du_workflow() RETURNS text[]
    LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['publie_sur_carte', 'statut_conformite', 'delai_mise_en_conformite']
$$;

-- Every row of every part of the entity `cible`, as
-- {"<table>": row | null (satellites), "<table>": [rows ordered by id] (lists)}.
CREATE FUNCTION dossier_instantane(cible uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    t text;
    resultat jsonb := '{}'::jsonb;
    valeur jsonb;
BEGIN
    FOREACH t IN ARRAY dossier_tables_satellites() LOOP
        EXECUTE format('SELECT to_jsonb(x) - $2 FROM %I x WHERE x.%I = $1', t,
                       CASE WHEN t = 'entites_base' THEN 'id' ELSE 'entite_id' END)
            INTO valeur USING cible, dossier_colonnes_du_workflow();
        resultat := resultat || jsonb_build_object(t, valeur);
    END LOOP;
    FOREACH t IN ARRAY dossier_tables_listes() LOOP
        EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), ''[]'')
                          FROM %I x WHERE x.entite_id = $1', t)
            INTO valeur USING cible;
        resultat := resultat || jsonb_build_object(t, valeur);
    END LOOP;
    RETURN resultat;
END;
$$;

-- `updated_at` is the database's, except while a dossier is restored from a snapshot: the
-- rows then get back the very values they had.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('registre_dcp.restauration', true) IS DISTINCT FROM 'on' THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

-- Puts the parts of the entity `cible` back exactly as `instantane` (from
-- `dossier_instantane`) holds them, in the caller's transaction: the satellites' columns
-- are set back (a satellite the snapshot lacks is deleted, one it has is inserted when
-- missing), each list is deleted and inserted again with its rows' ids and dates.
CREATE FUNCTION dossier_restaurer(cible uuid, instantane jsonb) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    t text;
    cle text;
    ligne jsonb;
    colonnes text;
    existe boolean;
BEGIN
    PERFORM set_config('registre_dcp.restauration', 'on', true);
    -- Lists first (children before parents), then inserted back parents first.
    FOREACH t IN ARRAY (SELECT array_agg(x ORDER BY n DESC)
                          FROM unnest(dossier_tables_listes()) WITH ORDINALITY AS u(x, n)) LOOP
        EXECUTE format('DELETE FROM %I WHERE entite_id = $1', t) USING cible;
    END LOOP;
    FOREACH t IN ARRAY dossier_tables_satellites() LOOP
        cle := CASE WHEN t = 'entites_base' THEN 'id' ELSE 'entite_id' END;
        ligne := instantane -> t;
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', t, cle)
            INTO existe USING cible;
        IF ligne IS NULL OR jsonb_typeof(ligne) = 'null' THEN
            IF existe THEN
                EXECUTE format('DELETE FROM %I WHERE %I = $1', t, cle) USING cible;
            END IF;
            CONTINUE;
        END IF;
        SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum) INTO colonnes
          FROM pg_attribute a
         WHERE a.attrelid = t::regclass AND a.attnum > 0 AND NOT a.attisdropped
           AND ligne ? a.attname::text
           AND (NOT existe OR a.attname::text NOT IN (cle, 'created_at'));
        IF existe THEN
            EXECUTE format('UPDATE %I SET (%s) = (SELECT %s FROM jsonb_populate_record(NULL::%I, $2))
                             WHERE %I = $1', t, colonnes, colonnes, t, cle)
                USING cible, ligne;
        ELSE
            EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM jsonb_populate_record(NULL::%I, $1)',
                           t, colonnes, colonnes, t)
                USING ligne;
        END IF;
    END LOOP;
    FOREACH t IN ARRAY dossier_tables_listes() LOOP
        EXECUTE format('INSERT INTO %I SELECT * FROM jsonb_populate_recordset(NULL::%I, $1)', t, t)
            USING coalesce(instantane -> t, '[]'::jsonb);
    END LOOP;
    PERFORM set_config('registre_dcp.restauration', 'off', true);
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Approved versions
-- ---------------------------------------------------------------------------------------

CREATE TYPE origine_version AS ENUM ('validation', 'renouvellement', 'modification');

-- One row per approval of a dossier: its first validation, each approved renewal, each
-- approved amendment. Append-only: a version is never changed nor deleted; the newest one
-- of an entity is in force, the earlier ones are superseded.
CREATE TABLE versions_approuvees (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE RESTRICT,
    -- 1, 2, … per entity, in the order of approval.
    version integer NOT NULL CHECK (version >= 1),
    origine origine_version NOT NULL,
    -- The number the version proves (numero_autorisation_artci, else numero_recepisse).
    numero text NOT NULL CHECK (numero ~ '^(RCP|AUT)-[0-9]{4}-[0-9]{6}$'),
    type_formalite type_formalite NOT NULL,
    date_emission date NOT NULL,
    date_expiration date NOT NULL CHECK (date_expiration >= date_emission),
    -- `dossier_instantane` of the entity when it was approved.
    contenu jsonb NOT NULL CHECK (jsonb_typeof(contenu) = 'object'),
    -- The certificate issued for it (a `recepisse`, `autorisation` or
    -- `attestation_conformite` document).
    document_id uuid NOT NULL UNIQUE REFERENCES documents_joints (id) ON DELETE RESTRICT,
    emis_par uuid NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT versions_approuvees_une_par_rang UNIQUE (entite_id, version)
);
CREATE INDEX idx_versions_approuvees_numero ON versions_approuvees (numero);
CREATE INDEX idx_versions_approuvees_emis_par ON versions_approuvees (emis_par);
COMMENT ON TABLE versions_approuvees IS
    'Versions approuvées d''un dossier (instantané et certificat), en ajout seul.';

CREATE FUNCTION refuser_modification_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'versions_approuvees est en ajout seul (% refusé)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER trg_versions_approuvees_ajout_seul
    BEFORE UPDATE OR DELETE ON versions_approuvees
    FOR EACH ROW EXECUTE FUNCTION refuser_modification_version();
CREATE TRIGGER trg_versions_approuvees_pas_de_truncate
    BEFORE TRUNCATE ON versions_approuvees
    FOR EACH STATEMENT EXECUTE FUNCTION refuser_modification_version();

-- A certificate's document is never deleted while its version exists (RESTRICT above); it
-- is not changed either.
CREATE FUNCTION refuser_modification_certificat() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM versions_approuvees v WHERE v.document_id = OLD.id)
       AND (NEW.cle_stockage, NEW.sha256, NEW.taille_octets, NEW.entite_id, NEW.type_document)
           IS DISTINCT FROM
           (OLD.cle_stockage, OLD.sha256, OLD.taille_octets, OLD.entite_id, OLD.type_document) THEN
        RAISE EXCEPTION 'le certificat % ne peut pas être modifié', OLD.id
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_documents_joints_certificat_immuable
    BEFORE UPDATE ON documents_joints
    FOR EACH ROW EXECUTE FUNCTION refuser_modification_certificat();

-- ---------------------------------------------------------------------------------------
-- Amendments
-- ---------------------------------------------------------------------------------------

CREATE TYPE statut_modification AS ENUM ('ouverte', 'approuvee', 'rejetee', 'annulee');

CREATE TABLE modifications_dossier (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entite_id uuid NOT NULL REFERENCES entites_base (id) ON DELETE RESTRICT,
    -- The approved version being amended: the dossier goes back to it exactly when the
    -- amendment is rejected or withdrawn.
    version_base_id uuid NOT NULL REFERENCES versions_approuvees (id) ON DELETE RESTRICT,
    motif text NOT NULL CHECK (btrim(motif) <> '' AND char_length(motif) <= 5000),
    -- Where the dossier returns when the amendment closes.
    statut_precedent statut_workflow NOT NULL
        CHECK (statut_precedent IN ('valide', 'publie')),
    statut statut_modification NOT NULL DEFAULT 'ouverte',
    ouverte_par_compte_id uuid NOT NULL REFERENCES comptes_entreprises (id) ON DELETE RESTRICT,
    ouverte_le timestamptz NOT NULL,
    close_le timestamptz,
    -- The version an approved amendment produced.
    version_approuvee_id uuid UNIQUE REFERENCES versions_approuvees (id) ON DELETE RESTRICT,
    motif_cloture text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT modifications_dossier_close_datee CHECK ((statut = 'ouverte') = (close_le IS NULL)),
    CONSTRAINT modifications_dossier_approuvee_versionnee
        CHECK ((statut = 'approuvee') = (version_approuvee_id IS NOT NULL))
);
-- At most one open amendment per entity.
CREATE UNIQUE INDEX uq_modifications_dossier_une_ouverte
    ON modifications_dossier (entite_id) WHERE statut = 'ouverte';
CREATE INDEX idx_modifications_dossier_entite_id ON modifications_dossier (entite_id, ouverte_le);
CREATE INDEX idx_modifications_dossier_version_base_id ON modifications_dossier (version_base_id);
CREATE INDEX idx_modifications_dossier_ouverte_par ON modifications_dossier (ouverte_par_compte_id);
CREATE TRIGGER trg_modifications_dossier_updated_at BEFORE UPDATE ON modifications_dossier
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
COMMENT ON TABLE modifications_dossier IS
    'Déclarations modificatives d''un dossier approuvé (une seule ouverte par entité).';

-- A closed amendment is history: only an open one changes (to close it).
CREATE FUNCTION refuser_modification_close() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.statut <> 'ouverte' THEN
        RAISE EXCEPTION 'la modification % est close', OLD.id
              USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN coalesce(NEW, OLD);
END;
$$;
CREATE TRIGGER trg_modifications_dossier_close_immuable
    BEFORE UPDATE OR DELETE ON modifications_dossier
    FOR EACH ROW EXECUTE FUNCTION refuser_modification_close();
