-- Les index d'unicité des numéros appartiennent à la v2.1 : ils restent.
DROP TABLE numeros_delivres;
