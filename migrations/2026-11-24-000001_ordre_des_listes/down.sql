DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'responsables_legaux', 'dpo', 'registre_traitements', 'categories_donnees',
        'finalites_bases_legales', 'sous_traitance', 'transferts_internationaux',
        'mesures_securite', 'certifications_securite'
    ] LOOP
        EXECUTE format('ALTER TABLE %I DROP COLUMN ordre', t);
    END LOOP;
END;
$$;
