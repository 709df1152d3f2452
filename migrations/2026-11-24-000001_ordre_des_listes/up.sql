-- L'ordre des éléments des listes du formulaire (responsables, correspondants, traitements,
-- catégories, finalités, sous-traitants, transferts, mesures, certifications) : une liste
-- enregistrée se relit dans l'ordre où le client l'a donnée. Les lignes existantes gardent
-- l'ordre de leur création.

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'responsables_legaux', 'dpo', 'registre_traitements', 'categories_donnees',
        'finalites_bases_legales', 'sous_traitance', 'transferts_internationaux',
        'mesures_securite', 'certifications_securite'
    ] LOOP
        EXECUTE format(
            'ALTER TABLE %I ADD COLUMN ordre integer NOT NULL DEFAULT 0 CHECK (ordre >= 0)', t);
        EXECUTE format(
            'UPDATE %I AS l SET ordre = n.rang - 1 FROM (
                 SELECT id, row_number() OVER (PARTITION BY entite_id ORDER BY created_at, id) AS rang
                   FROM %I) AS n
              WHERE l.id = n.id', t, t);
        EXECUTE format(
            'COMMENT ON COLUMN %I.ordre IS %L', t,
            'Rang de l''élément dans la liste du formulaire (0 = premier).');
    END LOOP;
END;
$$;
