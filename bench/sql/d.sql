-- (d) entitesProches(latitude: 5.36, longitude: -4.0083, rayonKm: 10, first: 20), as the
-- server sends it (`registre_public::proches`).
\set longitude -4.0083
\set latitude 5.36
\set rayon 10000
\set limite 20
SELECT * FROM (
    SELECT registre_public.*, ST_Distance(geolocation, ST_SetSRID(ST_MakePoint(:longitude, :latitude), 4326)::geography) AS distance_m
      FROM registre_public
     ORDER BY geolocation <-> ST_SetSRID(ST_MakePoint(:longitude, :latitude), 4326)::geography
     LIMIT :limite
) proches
 WHERE distance_m <= :rayon
 ORDER BY distance_m, entite_id;
