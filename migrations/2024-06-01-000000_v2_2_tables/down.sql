-- Défait les tables v2.2 et leurs types.
DROP TABLE feedbacks_verification;
DROP TABLE assignations_demandes;
DROP TABLE otp_codes;

DROP TYPE statut_feedback;
DROP TYPE decision_traitement;
DROP TYPE statut_assignation;
DROP TYPE type_otp;
