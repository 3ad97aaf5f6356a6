// graphql-http's audits of a GraphQL-over-HTTP server: prints one JSON line per audit.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
for (const audit of serverAudits({ url })) {
  let result;
  try {
    await audit.fn();
    result = { status: "ok" };
  } catch (error) {
    result = { status: "error", reason: String(error && error.reason ? error.reason : error) };
  }
  console.log(JSON.stringify({ id: audit.id, name: audit.name, ...result }));
}
