// The Gantt page: load the chart again once signed in.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  Plantline.onSignIn(() => htmx.trigger("#gantt", "refresh"));
});
