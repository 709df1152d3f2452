// A company's whole journey through the API, as a front-end would drive it with typed
// documents: sign-up, e-mail code, vetting by ARTCI, the dossier created, filled part by
// part and submitted, verified, validated and published, then read in the public register.
//
// Environment:
//   REGISTRE_URL          the GraphQL endpoint (http://host:port/graphql)
//   REGISTRE_MAILDIR      the maildir where the test SMTP server stores the mails
//   REGISTRE_ADMIN_TOKEN  an access token of an ARTCI administrator
//   REGISTRE_AGENT_TOKEN  an access token of an ARTCI agent (editeur), not the administrator
// On success the last line printed is a JSON object naming the account and the entity.

import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from "@urql/core";

import {
  AjouterFeedbackDocument,
  AssignerDemandeDocument,
  ConnexionDocument,
  CreerEntiteDocument,
  EnregistrerConformiteDocument,
  EnregistrerIdentificationDocument,
  EnregistrerRegistreDocument,
  EnregistrerSecuriteDocument,
  EnregistrerSousTraitanceDocument,
  EntiteDocument,
  InscriptionDocument,
  InscriptionsEnAttenteDocument,
  MoiDocument,
  PublierDossierDocument,
  RegistrePublicDocument,
  SoumettreDossierDocument,
  TeleverserDocumentDocument,
  ValiderDossierDocument,
  ValiderInscriptionDocument,
  ValiderTraitementDocument,
  VerifierOtpDocument,
  type EtatDossierFragment,
  type StatutWorkflow,
  type TypeDocument,
} from "../generated/graphql.js";
import { attendreCode, fichiersLus } from "./courriels.js";

function env(nom: string): string {
  const valeur = process.env[nom];
  if (valeur === undefined || valeur === "") throw new Error(`variable d'environnement ${nom} absente`);
  return valeur;
}

const URL_GRAPHQL = env("REGISTRE_URL");
const MAILDIR = env("REGISTRE_MAILDIR");
const JETON_ADMIN = env("REGISTRE_ADMIN_TOKEN");
const JETON_AGENT = env("REGISTRE_AGENT_TOKEN");

/** Proves at compile time that a `switch` on `__typename` handled every member. */
function impossible(valeur: never): never {
  throw new Error(`cas non traité : ${JSON.stringify(valeur)}`);
}

function verifier(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const client = new Client({
  url: URL_GRAPHQL,
  exchanges: [fetchExchange],
  // Every operation as a POST: the server refuses mutations over GET anyway.
  preferGetMethod: false,
  requestPolicy: "network-only",
});

/** One operation; its data, or an error naming the GraphQL errors (code and path). */
async function executer<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  jeton?: string,
): Promise<Data> {
  const contexte = jeton === undefined ? {} : { fetchOptions: { headers: { authorization: `Bearer ${jeton}` } } };
  const estMutation = document.definitions.some(
    (d) => d.kind === "OperationDefinition" && d.operation === "mutation",
  );
  const resultat = estMutation
    ? await client.mutation(document, variables, contexte).toPromise()
    : await client.query(document, variables, contexte).toPromise();
  if (resultat.error !== undefined) {
    const details = resultat.error.graphQLErrors.map((e) => ({
      message: e.message,
      code: e.extensions["code"],
      path: e.path,
      extensions: e.extensions,
    }));
    throw new Error(
      `${resultat.operation.kind} refusée : ${resultat.error.message}\n${JSON.stringify(details, null, 2)}`,
    );
  }
  verifier(resultat.data !== undefined, "réponse sans données");
  return resultat.data;
}

function attendreStatut(etat: EtatDossierFragment, attendu: StatutWorkflow, etape: string): number {
  verifier(
    etat.workflow.statut === attendu,
    `${etape} : statut ${etat.workflow.statut}, ${attendu} attendu`,
  );
  return etat.workflow.version;
}

function etape(texte: string): void {
  console.log(`- ${texte}`);
}

async function main(): Promise<void> {
  const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const email = `client.${unique}@test.ci`;
  const motDePasse = "Kokumbo-Lagune-42";
  const denomination = `Clinique Typée ${unique}`;
  const ncc = () => `${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}A`;

  // 1. Sign-up, then the code mailed to confirm the address.
  const lusAvant = fichiersLus(MAILDIR, email);
  const recue = await executer(InscriptionDocument, {
    input: {
      email,
      motDePasse,
      denomination,
      numeroCc: ncc(),
      telephone: "0707070707",
      ville: "Abidjan",
      region: "ABIDJAN",
    },
  });
  etape(`inscription : ${recue.inscription.message}`);
  const inscription = await attendreCode(MAILDIR, email, lusAvant);
  const verifie = await executer(VerifierOtpDocument, {
    input: { email, code: inscription.code, type: "INSCRIPTION" },
  });
  switch (verifie.verifierOtp.__typename) {
    case "OtpVerifie":
      verifier(verifie.verifierOtp.ok, "verifierOtp : ok = false");
      break;
    case "Session":
    case "ChangementMotDePasseRequis":
      throw new Error(`verifierOtp INSCRIPTION : ${verifie.verifierOtp.__typename} inattendu`);
    default:
      impossible(verifie.verifierOtp);
  }
  etape("adresse e-mail vérifiée");

  // 2. ARTCI vets the account: found among the pending sign-ups, validated.
  let compteId: string | undefined;
  let apres: string | null = null;
  for (;;) {
    const page: Awaited<ReturnType<typeof pageInscriptions>> = await pageInscriptions(apres);
    compteId = page.nodes.find((c) => c.email === email)?.id;
    if (compteId !== undefined || !page.pageInfo.hasNextPage) break;
    apres = page.pageInfo.endCursor;
  }
  verifier(compteId !== undefined, `${email} absent de inscriptionsEnAttente`);
  const valide = await executer(ValiderInscriptionDocument, { compteId }, JETON_ADMIN);
  verifier(valide.validerInscription.statutInscription === "APPROUVEE", "inscription non approuvée");
  etape(`inscription ${compteId} validée`);

  // 3. Login: a session, or a code first when the login is sensitive.
  const lusConnexion = fichiersLus(MAILDIR, email);
  const connexion = await executer(ConnexionDocument, { input: { email, motDePasse } });
  let jeton: string;
  switch (connexion.connexion.__typename) {
    case "Session":
      jeton = connexion.connexion.accessToken;
      break;
    case "OtpRequis": {
      const { code } = await attendreCode(MAILDIR, email, lusConnexion);
      const r = await executer(VerifierOtpDocument, { input: { email, code, type: "CONNEXION" } });
      switch (r.verifierOtp.__typename) {
        case "Session":
          jeton = r.verifierOtp.accessToken;
          break;
        case "OtpVerifie":
        case "ChangementMotDePasseRequis":
          throw new Error(`verifierOtp CONNEXION : ${r.verifierOtp.__typename} inattendu`);
        default:
          impossible(r.verifierOtp);
      }
      break;
    }
    case "ChangementMotDePasseRequis":
      throw new Error(`connexion : ${connexion.connexion.message}`);
    default:
      impossible(connexion.connexion);
  }
  const moi = (await executer(MoiDocument, {}, jeton)).moi;
  verifier(moi !== null, "moi : null avec un jeton valide");
  switch (moi.__typename) {
    case "CompteEntreprise":
      verifier(moi.id === compteId && moi.statutInscription === "APPROUVEE", "moi : autre compte");
      break;
    case "Agent":
      throw new Error("moi : un agent au lieu du compte entreprise");
    default:
      impossible(moi);
  }
  etape("connectée");

  // 4. The dossier: created, its five parts saved (each at the version the last returned).
  const cree = (
    await executer(
      CreerEntiteDocument,
      { input: { numeroCc: ncc(), denomination, secteurActivite: "SANTE", region: "ABIDJAN" } },
      jeton,
    )
  ).creerEntite;
  const entiteId = cree.id;
  let version = attendreStatut(cree, "BROUILLON", "creerEntite");
  version = attendreStatut(
    (
      await executer(
        EnregistrerIdentificationDocument,
        {
          input: {
            entiteId,
            version,
            adresse: "Boulevard Roume",
            ville: "Abidjan",
            telephone: "0707070707",
            contact: { representantNom: "Dr Yao Kouassi" },
            localisation: { latitude: 5.3197, longitude: -4.0197, methode: "CLIC_CARTE" },
          },
        },
        jeton,
      )
    ).enregistrerIdentification,
    "BROUILLON",
    "enregistrerIdentification",
  );
  version = attendreStatut(
    (
      await executer(
        EnregistrerConformiteDocument,
        {
          input: {
            entiteId,
            version,
            conformiteAdministrative: { connaissanceLoi: true, declarationArtci: false },
            responsables: [{ nom: "Kouassi", prenom: "Yao", type: "REPRESENTANT_LEGAL" }],
            correspondants: [{ nom: "Bamba", prenom: "Awa", type: "INTERNE" }],
          },
        },
        jeton,
      )
    ).enregistrerConformite,
    "BROUILLON",
    "enregistrerConformite",
  );
  const registre = (
    await executer(
      EnregistrerRegistreDocument,
      {
        input: {
          entiteId,
          version,
          traitements: [
            {
              nom: "Dossiers des patients",
              baseLegale: "OBLIGATION_LEGALE",
              categories: [{ categorie: "SANTE" }, { categorie: "IDENTIFICATION" }],
              finalites: [
                { finalite: "Suivi médical", baseLegale: "OBLIGATION_LEGALE", pourcentage: 60 },
              ],
            },
          ],
        },
      },
      jeton,
    )
  ).enregistrerRegistre;
  version = attendreStatut(registre, "BROUILLON", "enregistrerRegistre");
  version = attendreStatut(
    (
      await executer(
        EnregistrerSousTraitanceDocument,
        {
          input: {
            entiteId,
            version,
            sousTraitants: [
              { nomSousTraitant: "Hébergeur d'Abidjan", pays: "CI", contrat: true, clausesProtection: true },
            ],
          },
        },
        jeton,
      )
    ).enregistrerSousTraitance,
    "BROUILLON",
    "enregistrerSousTraitance",
  );
  // The documents the dossier needs: the organisation's papers and its correspondant's.
  const pieces: TypeDocument[] = [
    "REGISTRE_COMMERCE",
    "STATUTS",
    "CNI",
    "DPO_CV",
    "DPO_CASIER_JUDICIAIRE",
    "DPO_CNI",
    "DPO_EXTRAIT_NAISSANCE",
  ];
  for (const typeDocument of pieces) {
    const fichier = new File(["%PDF-1.4\n% pièce\n"], `${typeDocument.toLowerCase()}.pdf`, {
      type: "application/pdf",
    });
    const depose = (await executer(TeleverserDocumentDocument, { input: { entiteId, typeDocument, fichier } }, jeton))
      .televerserDocument;
    verifier(depose.typeDocument === typeDocument, `televerserDocument : ${depose.typeDocument}`);
  }
  etape(`${pieces.length} pièces déposées`);
  const securite = (
    await executer(
      EnregistrerSecuriteDocument,
      {
        input: {
          entiteId,
          version,
          securite: { politiqueSecurite: true },
          mesuresSecurite: [{ typeMesure: "TECHNIQUE", code: "CHIFFREMENT", miseEnOeuvre: true }],
        },
      },
      jeton,
    )
  ).enregistrerSecurite;
  attendreStatut(securite, "BROUILLON", "enregistrerSecurite");
  verifier(
    securite.progression.complet,
    `dossier incomplet : ${securite.progression.renseignes}/${securite.progression.requis}`,
  );
  etape(`dossier ${entiteId} rempli (5 parties)`);

  const soumis = (await executer(SoumettreDossierDocument, { entiteId }, jeton)).soumettreDossier;
  attendreStatut(soumis, "SOUMIS", "soumettreDossier");
  const echeance = soumis.workflow.dateLimiteDecision;
  verifier(echeance !== null, "soumettreDossier : dateLimiteDecision absente");
  etape(`soumis (${soumis.workflow.typeFormalite ?? "formalité inconnue"}, décision avant ${echeance})`);

  // 5. ARTCI's verification: assigned to the agent, who proposes CONFORME; the admin (N+1)
  //    accepts it.
  const agent = (await executer(MoiDocument, {}, JETON_AGENT)).moi;
  verifier(agent !== null, "moi (agent) : null");
  let agentId: string;
  switch (agent.__typename) {
    case "Agent":
      agentId = agent.id;
      break;
    case "CompteEntreprise":
      throw new Error("REGISTRE_AGENT_TOKEN est celui d'une entreprise");
    default:
      impossible(agent);
  }
  const assignation = (
    await executer(AssignerDemandeDocument, { input: { entiteId, agentId, echeance } }, JETON_ADMIN)
  ).assignerDemande;
  verifier(assignation.agent?.id === agentId, "assignerDemande : autre agent");
  attendreStatut(assignation.entite, "EN_VERIFICATION", "assignerDemande");
  const feedback = (
    await executer(
      AjouterFeedbackDocument,
      { input: { assignationId: assignation.id, decisionProposee: "CONFORME" } },
      JETON_AGENT,
    )
  ).ajouterFeedback;
  verifier(feedback.decisionProposee === "CONFORME", "ajouterFeedback : décision perdue");
  const traite = (
    await executer(
      ValiderTraitementDocument,
      { input: { assignationId: assignation.id, accepter: true } },
      JETON_ADMIN,
    )
  ).validerTraitement;
  attendreStatut(traite.entite, "CONFORME", "validerTraitement");
  etape("vérifié : CONFORME");

  // 6. Validated (a number is issued), then published.
  const valideDossier = (await executer(ValiderDossierDocument, { entiteId }, JETON_ADMIN)).validerDossier;
  attendreStatut(valideDossier, "VALIDE", "validerDossier");
  const numero = valideDossier.workflow.numeroAutorisationArtci ?? valideDossier.workflow.numeroRecepisse;
  verifier(numero !== null, "validerDossier : aucun numéro délivré");
  const publie = (await executer(PublierDossierDocument, { entiteId }, JETON_ADMIN)).publierDossier;
  attendreStatut(publie, "PUBLIE", "publierDossier");
  etape(`validé (${numero}) et publié`);

  // 7. The public register, without an account.
  const registrePublic = (
    await executer(RegistrePublicDocument, { filtre: { recherche: denomination }, first: 100 })
  ).registrePublic;
  const publique = registrePublic.nodes.find((e) => e.id === entiteId);
  verifier(publique !== undefined, `${entiteId} absent du registre public`);
  verifier(publique.numero === numero, `registre public : numéro ${publique.numero}, ${numero} attendu`);
  verifier(publique.denomination === denomination, "registre public : autre dénomination");
  // The company still reads its own dossier as published.
  const relu = (await executer(EntiteDocument, { id: entiteId }, jeton)).entite;
  verifier(relu !== null, "entite : null pour son propriétaire");
  attendreStatut(relu, "PUBLIE", "entite");
  etape(`au registre public : ${publique.denomination} (${publique.numero})`);

  console.log(JSON.stringify({ compteId, entiteId, email, numero }));
}

async function pageInscriptions(apres: string | null) {
  return (await executer(InscriptionsEnAttenteDocument, { first: 100, after: apres }, JETON_ADMIN))
    .inscriptionsEnAttente;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
