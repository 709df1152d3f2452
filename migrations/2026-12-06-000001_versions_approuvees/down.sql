DROP TABLE modifications_dossier;
DROP FUNCTION refuser_modification_close();
DROP TYPE statut_modification;
DROP TRIGGER trg_documents_joints_certificat_immuable ON documents_joints;
DROP FUNCTION refuser_modification_certificat();
DROP TABLE versions_approuvees;
DROP FUNCTION refuser_modification_version();
DROP TYPE origine_version;
DROP FUNCTION dossier_restaurer(uuid, jsonb);
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;
DROP FUNCTION dossier_instantane(uuid);
DROP FUNCTION dossier_colonnes_du_workflow();
DROP FUNCTION dossier_tables_listes();
DROP FUNCTION dossier_tables_satellites();
