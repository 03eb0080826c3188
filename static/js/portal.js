// GOV.UK Frontend's components (error summary focus, character counts, the menu on a
// phone). Everything works without this script; it only improves what is there.
import { initAll } from "../vendor/govuk-frontend-6.6.0/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
