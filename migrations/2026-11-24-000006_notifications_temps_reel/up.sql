-- Mises à jour en temps réel : chaque changement d'un dossier ou d'une assignation est annoncé
-- sur le canal `registre_dcp_evenements` (NOTIFY), que chaque instance du service écoute
-- (LISTEN) pour le relayer à ses abonnés, quelle que soit l'instance qui a fait le
-- changement. Un NOTIFY ne part qu'à la validation de la transaction : une transaction
-- annulée n'annonce rien. Les charges utiles (JSON) ne portent que des identifiants et des
-- statuts ; l'instance vérifie les droits de chaque abonné avant de relayer.

CREATE FUNCTION notifier_dossier() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('registre_dcp_evenements', json_build_object(
        'type', 'dossier',
        'entite_id', NEW.entite_id,
        'compte_id', (SELECT compte_entreprise_id FROM entites_base WHERE id = NEW.entite_id),
        'statut', NEW.statut,
        'version', NEW.version)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER entites_workflow_notifier_creation
    AFTER INSERT ON entites_workflow
    FOR EACH ROW EXECUTE FUNCTION notifier_dossier();

-- Le statut, la version (toute modification du dossier), l'agent ou la fin de l'agrément ;
-- pas les colonnes de suivi des rappels.
CREATE TRIGGER entites_workflow_notifier_modification
    AFTER UPDATE ON entites_workflow
    FOR EACH ROW
    WHEN (OLD.statut IS DISTINCT FROM NEW.statut
          OR OLD.version IS DISTINCT FROM NEW.version
          OR OLD.assigned_to IS DISTINCT FROM NEW.assigned_to
          OR OLD.date_expiration IS DISTINCT FROM NEW.date_expiration)
    EXECUTE FUNCTION notifier_dossier();

CREATE FUNCTION notifier_assignation() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    ancien_agent uuid;
    ancien_statut statut_assignation;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        ancien_agent := OLD.agent_id;
        ancien_statut := OLD.statut;
    END IF;
    PERFORM pg_notify('registre_dcp_evenements', json_build_object(
        'type', 'assignation',
        'assignation_id', NEW.id,
        'entite_id', NEW.entite_id,
        'agent_id', NEW.agent_id,
        'ancien_agent_id', ancien_agent,
        'statut', NEW.statut,
        'ancien_statut', ancien_statut)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER assignations_demandes_notifier_creation
    AFTER INSERT ON assignations_demandes
    FOR EACH ROW EXECUTE FUNCTION notifier_assignation();

CREATE TRIGGER assignations_demandes_notifier_modification
    AFTER UPDATE ON assignations_demandes
    FOR EACH ROW
    WHEN (OLD.statut IS DISTINCT FROM NEW.statut
          OR OLD.agent_id IS DISTINCT FROM NEW.agent_id
          OR OLD.echeance IS DISTINCT FROM NEW.echeance)
    EXECUTE FUNCTION notifier_assignation();
