-- Le registre public : ce que tout le monde voit sans compte, c'est-à-dire les entités
-- conformes ET publiées, sans NCC ni coordonnées de personnes. Une projection, tenue à jour
-- à chaque publication ou dépublication (le contenu d'un dossier publié n'est plus
-- modifiable), sert la carte, la recherche de proximité, la liste publique, l'export et la
-- vérification des numéros sans toucher aux tables du dossier.
CREATE TABLE registre_public (
    entite_id uuid PRIMARY KEY REFERENCES entites_base (id) ON DELETE CASCADE,
    denomination text NOT NULL,
    sigle text,
    forme_juridique text,
    secteur_activite secteur_activite NOT NULL,
    region region NOT NULL,
    ville text,
    commune text,
    adresse text,
    geolocation geography(Point, 4326),
    -- [{"finalite": …, "pourcentage": …}], la plus importante d'abord.
    finalites jsonb NOT NULL DEFAULT '[]'::jsonb,
    finalite_principale text,
    a_correspondant boolean NOT NULL,
    type_formalite type_formalite,
    -- Le numéro d'autorisation, sinon celui du récépissé.
    numero text,
    statut_conformite statut_conformite NOT NULL,
    date_publication timestamptz,
    CONSTRAINT registre_public_finalites_liste CHECK (jsonb_typeof(finalites) = 'array')
);
COMMENT ON TABLE registre_public IS
    'Projection publique des entités conformes et publiées (carte, liste, export).';
CREATE INDEX idx_registre_public_geolocation ON registre_public USING gist (geolocation);
CREATE INDEX idx_registre_public_denomination_fr ON registre_public
    (denomination COLLATE "fr-x-icu", entite_id);
CREATE INDEX idx_registre_public_denomination_trgm ON registre_public
    USING gin (denomination gin_trgm_ops);
CREATE INDEX idx_registre_public_secteur ON registre_public (secteur_activite);
CREATE INDEX idx_registre_public_region ON registre_public (region);
CREATE INDEX idx_registre_public_ville ON registre_public (lower(ville));
CREATE UNIQUE INDEX uq_registre_public_numero ON registre_public (numero)
    WHERE numero IS NOT NULL;

-- Les groupes de la carte, précalculés par niveau de zoom (0 à 14) : à chaque zoom, le monde
-- est découpé en cellules de 360 / 2^zoom / 4 degrés (un quart de tuile) ; une cellule
-- garde le nombre de points et la somme de leurs coordonnées (le centre est la moyenne).
CREATE TABLE grappes_carte (
    zoom smallint NOT NULL,
    x integer NOT NULL,
    y integer NOT NULL,
    nombre integer NOT NULL,
    somme_longitude double precision NOT NULL,
    somme_latitude double precision NOT NULL,
    PRIMARY KEY (zoom, x, y),
    CONSTRAINT grappes_carte_zoom CHECK (zoom BETWEEN 0 AND 14),
    CONSTRAINT grappes_carte_nombre CHECK (nombre >= 0)
);
COMMENT ON TABLE grappes_carte IS
    'Groupes de points de la carte publique, par zoom et cellule.';

CREATE FUNCTION grappes_carte_taille(zoom integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE AS $$ SELECT 360.0 / (2 ^ zoom) / 4 $$;

-- Ajoute (delta = 1) ou retire (delta = -1) un point des groupes de chaque zoom.
CREATE FUNCTION grappes_carte_ajuster(point geography, delta integer) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    lon double precision := ST_X(point::geometry);
    lat double precision := ST_Y(point::geometry);
    z integer;
    taille double precision;
BEGIN
    FOR z IN 0..14 LOOP
        taille := grappes_carte_taille(z);
        IF delta > 0 THEN
            INSERT INTO grappes_carte AS g (zoom, x, y, nombre, somme_longitude, somme_latitude)
            VALUES (z, floor((lon + 180) / taille), floor((lat + 90) / taille), delta,
                    lon * delta, lat * delta)
            ON CONFLICT (zoom, x, y) DO UPDATE
                SET nombre = g.nombre + EXCLUDED.nombre,
                    somme_longitude = g.somme_longitude + EXCLUDED.somme_longitude,
                    somme_latitude = g.somme_latitude + EXCLUDED.somme_latitude;
        ELSE
            UPDATE grappes_carte
               SET nombre = nombre + delta,
                   somme_longitude = somme_longitude + lon * delta,
                   somme_latitude = somme_latitude + lat * delta
             WHERE zoom = z AND x = floor((lon + 180) / taille)
               AND y = floor((lat + 90) / taille);
        END IF;
    END LOOP;
    DELETE FROM grappes_carte WHERE nombre <= 0;
END;
$$;

-- La ligne publique d'une entité, telle qu'elle est maintenant (aucune si elle n'est pas
-- conforme et publiée).
CREATE FUNCTION registre_public_lignes(cibles uuid[]) RETURNS SETOF registre_public
    LANGUAGE sql STABLE AS $$
    SELECT b.id, b.denomination, b.sigle, b.forme_juridique, b.secteur_activite, b.region,
           b.ville, b.commune, b.adresse, l.geolocation,
           coalesce((SELECT jsonb_agg(jsonb_build_object('finalite', f.finalite,
                                                         'pourcentage', f.pourcentage)
                                      ORDER BY f.pourcentage DESC, f.ordre, f.id)
                       FROM finalites_bases_legales f WHERE f.entite_id = b.id), '[]'::jsonb),
           (SELECT f.finalite FROM finalites_bases_legales f WHERE f.entite_id = b.id
             ORDER BY f.pourcentage DESC, f.ordre, f.id LIMIT 1),
           EXISTS (SELECT 1 FROM dpo d WHERE d.entite_id = b.id AND d.est_actif),
           w.type_formalite,
           coalesce(w.numero_autorisation_artci, w.numero_recepisse),
           c.statut_conformite,
           w.date_publication
      FROM entites_base b
      JOIN entites_workflow w ON w.entite_id = b.id
      JOIN entites_conformite c ON c.entite_id = b.id
      LEFT JOIN entites_localisation l ON l.entite_id = b.id
     WHERE b.id = ANY (cibles)
       AND w.statut = 'publie'
       AND c.statut_conformite = 'conforme'
$$;

-- Remet la ligne publique d'une entité et les groupes de la carte à jour, dans la
-- transaction de l'appelant (une publication, une dépublication, une expiration…).
CREATE FUNCTION registre_public_rafraichir(cible uuid) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    ancien geography;
    nouveau geography;
BEGIN
    DELETE FROM registre_public WHERE entite_id = cible RETURNING geolocation INTO ancien;
    INSERT INTO registre_public SELECT * FROM registre_public_lignes(ARRAY[cible])
        RETURNING geolocation INTO nouveau;
    IF ancien IS NOT NULL THEN
        PERFORM grappes_carte_ajuster(ancien, -1);
    END IF;
    IF nouveau IS NOT NULL THEN
        PERFORM grappes_carte_ajuster(nouveau, 1);
    END IF;
END;
$$;

-- Reconstruit toute la projection et tous les groupes (après un chargement en masse).
CREATE FUNCTION registre_public_reconstruire() RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM registre_public;
    DELETE FROM grappes_carte;
    INSERT INTO registre_public
    SELECT * FROM registre_public_lignes(ARRAY(
        SELECT w.entite_id FROM entites_workflow w WHERE w.statut = 'publie'));
    INSERT INTO grappes_carte (zoom, x, y, nombre, somme_longitude, somme_latitude)
    SELECT z, floor((ST_X(p) + 180) / grappes_carte_taille(z)),
           floor((ST_Y(p) + 90) / grappes_carte_taille(z)),
           count(*), sum(ST_X(p)), sum(ST_Y(p))
      FROM (SELECT geolocation::geometry AS p FROM registre_public
             WHERE geolocation IS NOT NULL) points
     CROSS JOIN generate_series(0, 14) AS z
     GROUP BY 1, 2, 3;
END;
$$;

-- Les entités déjà publiées.
SELECT registre_public_reconstruire();
