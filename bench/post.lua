-- wrk script of every scenario: POSTs one GraphQL request, always the same.
-- BENCH_BODY: the JSON body's file (bench/requetes/*.json); BENCH_TOKEN, when set, the
-- bearer token sent with it; BENCH_USER_AGENT, the User-Agent (a login from a known
-- address and device needs no one-time code).

local function lire(chemin)
  local fichier = assert(io.open(chemin, "rb"), "corps introuvable : " .. chemin)
  local contenu = fichier:read("*a")
  fichier:close()
  return contenu
end

wrk.method = "POST"
wrk.body = lire(assert(os.getenv("BENCH_BODY"), "BENCH_BODY absent"))
wrk.headers["Content-Type"] = "application/json"
wrk.headers["User-Agent"] = os.getenv("BENCH_USER_AGENT") or "registre-dcp-bench"

local jeton = os.getenv("BENCH_TOKEN")
if jeton and jeton ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. jeton
end
