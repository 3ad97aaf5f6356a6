// PostGraphile 5 (Amber preset, grafserv over node:http) on Maillage's database, as bench.run's peer.
//
// It connects as Maillage's service role, so that row-level security applies as it does to Maillage,
// verifies the bearer token against the development issuer's public keys as Maillage does, and gives
// the transaction of a request with a valid token the `maillage.*` settings of the Cnaf analyst; a
// request without a token runs with none, i.e. anonymously.
//
// Configured by bench/postgraphile.py through the environment:
//   BENCH_DATABASE_URL  the database (its user must be a member of BENCH_ROLE)
//   BENCH_ROLE          the role every connection runs as from the start (a startup parameter)
//   BENCH_PORT          the loopback port to listen on
//   BENCH_POOL_SIZE     connections in the pool
//   BENCH_PG_SETTINGS   JSON object: the settings of a request carrying a valid token
//   BENCH_JWKS          JSON Web Key Set of the issuer; BENCH_JWT_ISSUER and BENCH_JWT_AUDIENCE: the claims required
//
// GET /statements answers how many SQL statements the pool has sent (transaction control excepted).

import { createPublicKey } from "node:crypto";
import { createServer } from "node:http";

import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import jwt from "jsonwebtoken";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { addPgTableCondition } from "postgraphile/utils";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const env = process.env;
const settings = JSON.parse(env.BENCH_PG_SETTINGS);
const keys = new Map(JSON.parse(env.BENCH_JWKS).keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: "jwk" })]));
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback)\b/i;
let statements = 0;

function pgSettings(requestContext) {
  const header = requestContext.http?.getHeader("authorization");
  if (!header) {
    return {};
  }
  const token = header.replace(/^Bearer\s+/i, "");
  const { header: jose } = jwt.decode(token, { complete: true }) ?? {};
  const key = keys.get(jose?.kid);
  if (!key) {
    throw new Error("unknown signing key");
  }
  jwt.verify(token, key, { algorithms: ["RS256"], issuer: env.BENCH_JWT_ISSUER, audience: env.BENCH_JWT_AUDIENCE });
  return settings;
}

// Maillage's French full-text search as a condition: the same expression as its repositories use.
const ActionSearchPlugin = addPgTableCondition(
  { schemaName: "public", tableName: "action" },
  "search",
  (build) => ({ description: "French full-text query (websearch syntax), accents folded", type: build.graphql.GraphQLString }),
  (value, { sql, sqlTableAlias, sqlValueWithCodec, build }) =>
    sql`${sqlTableAlias}.search @@ websearch_to_tsquery('french', fold_accents(${sqlValueWithCodec(value, build.dataplanPg.TYPES.text)}))`,
);

const pgService = makePgService({
  connectionString: env.BENCH_DATABASE_URL,
  schemas: ["public"],
  poolConfig: { max: Number(env.BENCH_POOL_SIZE), options: `-c role=${env.BENCH_ROLE}` },
  pgSettings,
  pubsub: false,
});

pgService.adaptorSettings.pool?.on("connect", (client) => {
  const query = client.query.bind(client);
  client.query = (config, ...rest) => {
    const text = typeof config === "string" ? config : config?.text;
    if (!TRANSACTION_CONTROL.test(text ?? "")) {
      statements += 1;
    }
    return query(config, ...rest);
  };
});

const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset, PgAggregatesPreset],
  plugins: [ActionSearchPlugin],
  // Ordering and conditions on every column, indexed or not (PostGraphile 4's default, `ignoreIndexes`):
  // Maillage orders CTGs by their period's start and signatures by date, neither of them indexed.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [pgService],
  schema: { connectionFilterRelations: true },
  grafserv: { port: Number(env.BENCH_PORT), graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const handler = pgl.createServ(grafserv).createHandler();
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/statements") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ statements }));
    return;
  }
  handler(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(env.BENCH_PORT), "127.0.0.1");

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    pgl.release().finally(() => process.exit(0));
  });
}
