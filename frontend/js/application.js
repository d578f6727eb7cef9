// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";
import { startSessionTimeoutWarning } from "./session-timeout.js";
import { startSearchAsYouType } from "./search-as-you-type.js";

initAll();
initMoj();
startSessionTimeoutWarning(document.getElementById("session-timeout-dialog"));
startSearchAsYouType(document.querySelector("[data-module='search-as-you-type']"));
