// Builds static_build/ from GOV.UK Frontend, MOJ Frontend and our own Sass and JavaScript.
// Sass is compiled here (not the packages' precompiled CSS) so the font is Arial: services
// outside GOV.UK must not use GDS Transport.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static_build");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");
const moj = join(root, "node_modules/@ministryofjustice/frontend/moj");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const result = sass.compile(join(root, "frontend/scss/application.scss"), {
  loadPaths: [join(root, "node_modules"), root],
  style: "compressed",
  quietDeps: true,
  logger: sass.Logger.silent, // deprecation notices from inside the two design systems
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "css/application.css"), result.css);

cpSync(join(govuk, "assets/images"), join(out, "assets/images"), { recursive: true });
cpSync(join(moj, "assets/images"), join(out, "assets/images"), { recursive: true, force: false });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js/govuk-frontend.min.js"));
cpSync(join(moj, "moj-frontend.min.js"), join(out, "js/moj-frontend.min.js"));
cpSync(join(root, "frontend/js"), join(out, "js"), { recursive: true });
console.log("Built front-end assets into static_build/");
