// GraphiQL (/graphiql) in headless Chromium against a running service, with every request
// to another host refused and recorded: a query with a staff token set in the Headers pane,
// then a subscription whose event is triggered here by a mutation over fetch. Exits non-zero
// if anything fails, if the page tried to reach another host, or on a CSP violation.
//
// Environment: GRAPHIQL_BASE (http://127.0.0.1:port), JETON_AGENT (a staff token),
// JETON_ENTREPRISE and ENTITE_ID (a company's token and one of its dossiers), DENOMINATION
// (that entity's name), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';

const base = new URL(process.env.GRAPHIQL_BASE);
const jetonAgent = process.env.JETON_AGENT;
const jetonEntreprise = process.env.JETON_ENTREPRISE;
const entiteId = process.env.ENTITE_ID;
const denomination = process.env.DENOMINATION;
const ATTENTE = 15_000;

const dehors = [];
const violations = [];
const erreurs = [];
const debut = Date.now();

function journal(message) {
  console.log(`[${((Date.now() - debut) / 1000).toFixed(1)} s] ${message}`);
}

async function graphql(query, variables, jeton) {
  const r = await fetch(new URL('/graphql', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${jeton}` },
    body: JSON.stringify({ query, variables }),
  });
  const corps = await r.json();
  if (corps.errors) {
    throw new Error(`${query} : ${JSON.stringify(corps.errors)}`);
  }
  return corps.data;
}

// A new version of the dossier: the event the subscription waits for.
async function modifierDossier() {
  const { entite } = await graphql(
    'query($id: ID!) { entite(id: $id) { workflow { version } } }',
    { id: entiteId },
    jetonEntreprise,
  );
  await graphql(
    `mutation($input: EnregistrerIdentificationInput!) {
       enregistrerIdentification(input: $input) { workflow { version } } }`,
    { input: { entiteId, version: entite.workflow.version, ville: 'Abidjan' } },
    jetonEntreprise,
  );
}

const navigateur = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
let statut = 0;
try {
  const contexte = await navigateur.newContext();
  // Any host but the service's: refused, and recorded.
  await contexte.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.host !== base.host) {
      dehors.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  // The browser's own report of each violation (the init script runs outside the page's CSP).
  await contexte.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await contexte.newPage();
  page.on('console', (m) => {
    const texte = m.text();
    if (/Content Security Policy/i.test(texte)) {
      violations.push(texte);
    }
    if (m.type() === 'error') {
      erreurs.push(texte);
    }
  });
  page.on('pageerror', (e) => erreurs.push(String(e)));
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).host !== base.host) {
      dehors.push(ws.url());
    }
  });

  const reponse = await page.goto(new URL('/graphiql', base).href, { waitUntil: 'load' });
  if (!reponse || reponse.status() !== 200) {
    throw new Error(`/graphiql : ${reponse && reponse.status()}`);
  }
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: ATTENTE });
  journal('GraphiQL affiché');

  const editeur = (selecteur, texte) =>
    page.evaluate(
      ([s, t]) => {
        const cm = [...document.querySelectorAll(s)].find((e) => e.CodeMirror);
        if (!cm) {
          throw new Error(`aucun éditeur ${s}`);
        }
        cm.CodeMirror.setValue(t);
      },
      [selecteur, texte],
    );
  const resultat = () =>
    page.evaluate(() => {
      const cm = document.querySelector('.graphiql-response .CodeMirror');
      return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : '';
    });
  const attendreResultat = async (predicat, quoi) => {
    const limite = Date.now() + ATTENTE;
    let texte = '';
    while (Date.now() < limite) {
      texte = await resultat();
      if (predicat(texte)) {
        return texte;
      }
      await page.waitForTimeout(100);
    }
    throw new Error(`${quoi} : rien de tel dans le résultat, qui montre :\n${texte}`);
  };

  // The token in the Headers pane, as a user would put it.
  await page.getByRole('button', { name: 'Headers' }).click();
  await editeur(
    'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror',
    JSON.stringify({ Authorization: `Bearer ${jetonAgent}` }),
  );
  // GraphiQL reads the editors on change, debounced.
  await page.waitForTimeout(300);

  await editeur(
    '.graphiql-query-editor .CodeMirror',
    `query { moi { __typename } entite(id: "${entiteId}") { id denomination } }`,
  );
  await page.waitForTimeout(300);
  await page.click('.graphiql-execute-button');
  const texte = await attendreResultat((t) => t.includes('"denomination"'), 'la requête');
  const donnees = JSON.parse(texte).data;
  if (donnees?.moi?.__typename !== 'Agent' || donnees?.entite?.denomination !== denomination) {
    throw new Error(`réponse inattendue : ${texte}`);
  }
  journal('requête avec le jeton du panneau Headers : correcte');

  await editeur(
    '.graphiql-query-editor .CodeMirror',
    `subscription { dossierModifie(entiteId: "${entiteId}") { entiteId statut version } }`,
  );
  await page.waitForTimeout(300);
  await page.click('.graphiql-execute-button');
  // The subscription is live once the server has handled it, which nothing acknowledges:
  // change the dossier until its event shows.
  const limite = Date.now() + ATTENTE;
  let evenement = null;
  while (!evenement && Date.now() < limite) {
    await modifierDossier();
    const fin = Date.now() + 1000;
    while (Date.now() < fin) {
      const t = await resultat();
      if (t.includes('"dossierModifie"')) {
        evenement = t;
        break;
      }
      if (t.includes('"errors"')) {
        throw new Error(`l'abonnement a échoué : ${t}`);
      }
      await page.waitForTimeout(100);
    }
  }
  if (!evenement) {
    throw new Error(`aucun événement de l'abonnement en ${ATTENTE} ms : ${await resultat()}`);
  }
  const recu = JSON.parse(evenement).data.dossierModifie;
  if (recu.entiteId !== entiteId) {
    throw new Error(`événement inattendu : ${evenement}`);
  }
  journal(`événement reçu par l'abonnement : ${JSON.stringify(recu)}`);

  violations.push(...(await page.evaluate(() => window.__violations)));
  await contexte.close();
} catch (e) {
  console.error(`ÉCHEC : ${e && e.stack ? e.stack : e}`);
  statut = 1;
} finally {
  await navigateur.close();
}

if (dehors.length) {
  console.error(`requêtes vers d'autres hôtes (refusées) :\n${dehors.join('\n')}`);
  statut = 1;
}
if (violations.length) {
  console.error(`violations de la CSP :\n${violations.join('\n')}`);
  statut = 1;
}
if (erreurs.length) {
  console.error(`erreurs dans la page :\n${erreurs.join('\n')}`);
}
journal(statut === 0 ? 'GraphiQL : tout est correct' : 'GraphiQL : en échec');
process.exit(statut);
