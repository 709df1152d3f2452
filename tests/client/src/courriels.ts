// The codes the server mails, read where the test SMTP server stores them (a maildir).

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** One file of the maildir: its path and the text of its body, decoded. */
export interface Courriel {
  fichier: string;
  corps: string;
}

function decoderQuotedPrintable(texte: string): string {
  const octets: number[] = [];
  const brut = texte.replace(/=\r?\n/g, "");
  for (let i = 0; i < brut.length; i++) {
    const c = brut[i];
    const hex = brut.slice(i + 1, i + 3);
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      octets.push(parseInt(hex, 16));
      i += 2;
    } else {
      octets.push(...Buffer.from(c ?? "", "utf8"));
    }
  }
  return Buffer.from(octets).toString("utf8");
}

/** The body of a single-part message, decoded from its Content-Transfer-Encoding. */
function corpsDe(brut: string): string {
  const separation = brut.search(/\r?\n\r?\n/);
  if (separation < 0) return "";
  const entetes = brut.slice(0, separation);
  const corps = brut.slice(separation).replace(/^\r?\n\r?\n/, "");
  const encodage = /^content-transfer-encoding:\s*(\S+)/im.exec(entetes)?.[1]?.toLowerCase();
  switch (encodage) {
    case "base64":
      return Buffer.from(corps.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return decoderQuotedPrintable(corps);
    default:
      return corps;
  }
}

/** Every mail addressed to `destinataire` so far, oldest first. */
export function courrielsPour(maildir: string, destinataire: string): Courriel[] {
  const adresse = destinataire.toLowerCase();
  const fichiers: { chemin: string; date: number }[] = [];
  for (const sous of ["new", "cur"]) {
    let noms: string[];
    try {
      noms = readdirSync(join(maildir, sous));
    } catch {
      continue;
    }
    for (const nom of noms) {
      const chemin = join(maildir, sous, nom);
      fichiers.push({ chemin, date: statSync(chemin).mtimeMs });
    }
  }
  fichiers.sort((a, b) => a.date - b.date || a.chemin.localeCompare(b.chemin));
  return fichiers
    .map(({ chemin }) => ({ fichier: chemin, brut: readFileSync(chemin, "utf8") }))
    .filter(({ brut }) => {
      const a = /^to:\s*(.*)$/im.exec(brut)?.[1] ?? "";
      return a.toLowerCase().includes(adresse);
    })
    .map(({ fichier, brut }) => ({ fichier, corps: corpsDe(brut) }));
}

/** The 6-digit code of a mail: the line made of it alone. */
function codeDe(corps: string): string | undefined {
  return corps
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^[0-9]{6}$/.test(l));
}

/**
 * The code of the first mail for `destinataire` not among `dejaLus` (files), waiting for it
 * up to `delaiMs`.
 */
export async function attendreCode(
  maildir: string,
  destinataire: string,
  dejaLus: ReadonlySet<string>,
  delaiMs = 15_000,
): Promise<{ code: string; fichier: string }> {
  const debut = Date.now();
  for (;;) {
    for (const c of courrielsPour(maildir, destinataire)) {
      if (dejaLus.has(c.fichier)) continue;
      const code = codeDe(c.corps);
      if (code !== undefined) return { code, fichier: c.fichier };
    }
    if (Date.now() - debut > delaiMs) {
      throw new Error(`aucun code pour ${destinataire} après ${delaiMs} ms dans ${maildir}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The files of the mails for `destinataire` so far. */
export function fichiersLus(maildir: string, destinataire: string): Set<string> {
  return new Set(courrielsPour(maildir, destinataire).map((c) => c.fichier));
}
