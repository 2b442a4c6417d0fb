/* chiso.js — progressive enhancement only: every page works without it. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  /* Confirm buttons that change a record's state. */
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (ev) {
      if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
});
