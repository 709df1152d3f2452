-- (c) carte(bbox: whole country, zoom: 6), as the server sends it (`registre_public::
-- nombre_dans`, then `grappes` since more than 500 entities are in the frame).
\set ouest -8.6
\set sud 4.3
\set est -2.5
\set nord 10.8
\set plafond 501
\set zoom 6
\set x_min 121
\set x_max 126
\set y_min 67
\set y_max 71
SELECT count(*) AS n FROM (
    SELECT 1 FROM registre_public
     WHERE geolocation && ST_MakeEnvelope(:ouest, :sud, :est, :nord, 4326)::geography
     LIMIT :plafond
) dans_le_cadre;
SELECT "grappes_carte"."nombre", "grappes_carte"."somme_longitude", "grappes_carte"."somme_latitude"
  FROM "grappes_carte"
 WHERE ((("grappes_carte"."zoom" = :zoom) AND ("grappes_carte"."x" BETWEEN :x_min AND :x_max))
   AND ("grappes_carte"."y" BETWEEN :y_min AND :y_max));
