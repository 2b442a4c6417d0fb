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

/* ---- Evidence uploads (page_evidence.c) ------------------------------------------
 * Forms with class "ev-upload": files picked (several times over, from the file
 * box or the camera box) or dropped on the box gather in a list with their sizes;
 * the form is then sent with XMLHttpRequest so that a progress bar shows how far
 * the upload is — on a school's slow line a 20 MB scan takes minutes. The server
 * answers as it does to the plain form: a redirect when all went well, else the
 * page with its message, whose <main> replaces this one. Without this script
 * (or on a browser without FormData.delete) the same form posts as multipart. */
(function () {
  "use strict";
  var FILE_LIMIT = 50 * 1024 * 1024, BODY_LIMIT = 64 * 1024 * 1024;

  function sizeText(n) {
    if (n < 1024) return n + " byte";
    if (n < 1024 * 1024) return Math.round(n / 1024) + " KB";
    return String(Math.round(n / (1024 * 1024) * 10) / 10).replace(".", ",") + " MB";
  }

  function confirmButtons(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        if (!window.confirm(el.getAttribute("data-confirm"))) ev.preventDefault();
      });
    });
  }

  function enhance(form) {
    if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser || !FormData.prototype.delete) return;
    var zone = form.querySelector(".dropzone"), list = form.querySelector(".ev-chosen");
    var bar = form.querySelector(".ev-progress"), status = form.querySelector(".ev-status");
    var button = form.querySelector("button[type=submit]");
    if (!list || !bar || !status || !button) return;
    var picked = [];

    function render() {
      list.textContent = "";
      picked.forEach(function (f, i) {
        var li = document.createElement("li");
        li.textContent = f.name + " (" + sizeText(f.size) + ")";
        if (f.size > FILE_LIMIT) {
          li.className = "too-big";
          li.textContent += " — lớn hơn 50 MB, sẽ không được nhận";
        }
        var rm = document.createElement("button");
        rm.type = "button";
        rm.className = "link";
        rm.textContent = "Bỏ";
        rm.setAttribute("aria-label", "Bỏ tệp " + f.name);
        rm.addEventListener("click", function () { picked.splice(i, 1); render(); });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(rm);
        list.appendChild(li);
      });
    }
    function add(files) {
      for (var i = 0; i < files.length; i++) picked.push(files[i]);
      render();
    }
    /* each box adds to the list and is emptied, so a phone can take one
       photo after another without losing the earlier ones */
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () { add(input.files); input.value = ""; });
    });
    if (zone) {
      zone.classList.add("js");
      ["dragenter", "dragover"].forEach(function (t) {
        zone.addEventListener(t, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (t) {
        zone.addEventListener(t, function (ev) { ev.preventDefault(); zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (ev) { if (ev.dataTransfer) add(ev.dataTransfer.files); });
    }

    function finish(message) {
      button.disabled = false;
      bar.hidden = true;
      status.textContent = message;
    }

    form.addEventListener("submit", function (ev) {
      var total = 0;
      picked.forEach(function (f) { total += f.size; });
      ev.preventDefault();
      if (total > BODY_LIMIT) {
        status.textContent = "Tổng dung lượng các tệp vượt quá 64 MB: hãy tải lên làm nhiều lần.";
        return;
      }
      var data = new FormData(form);
      data.delete("tep");
      picked.forEach(function (f) { data.append("tep", f, f.name); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var p = Math.floor(e.loaded * 100 / e.total);
        bar.value = p;
        status.textContent = "Đang tải lên… " + p + "%";
      });
      xhr.addEventListener("load", function () {
        var url = xhr.responseURL;
        if (xhr.status === 200 && url && url !== form.action) { window.location.href = url; return; }
        var type = xhr.getResponseHeader("Content-Type") || "";
        var main = type.indexOf("text/html") === 0 &&
          new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector("main");
        if (!main) { finish(xhr.responseText || ("Lỗi " + xhr.status + ". Hãy thử lại.")); return; }
        document.querySelector("main").replaceWith(main);
        confirmButtons(main);
        main.querySelectorAll("form.ev-upload").forEach(enhance);
        window.scrollTo(0, 0);
      });
      xhr.addEventListener("error", function () {
        finish("Mất kết nối khi đang tải lên. Hãy kiểm tra mạng rồi bấm gửi lại.");
      });
      button.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      status.textContent = "Đang tải lên…";
      xhr.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.ev-upload").forEach(enhance);
    /* the criterion the user came from, checked, in view inside its box */
    document.querySelectorAll("fieldset.ev-criteria").forEach(function (box) {
      var on = box.querySelector("input:checked");
      if (on && box.scrollHeight > box.clientHeight)
        box.scrollTop = on.parentNode.offsetTop - box.offsetTop - box.clientHeight / 3;
    });
  });
})();

/* ==== school workflow (page_council.c): one click for a criterion's items ==== */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    /* The assignment page lists a criterion's items as checkboxes; with
     * JavaScript a button ticks or clears them all. Without it, each box
     * is ticked by hand and the form works the same. */
    document.querySelectorAll(".assign-criterion").forEach(function (block) {
      var boxes = block.querySelectorAll("input[type=checkbox][name=tc]:not([disabled])");
      var head = block.querySelector("p");
      if (boxes.length < 2 || !head) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "link pick-all";
      function label() {
        var all = Array.prototype.every.call(boxes, function (x) { return x.checked; });
        b.textContent = all ? "Bỏ chọn cả tiêu chí" : "Chọn cả tiêu chí";
        return all;
      }
      b.addEventListener("click", function () {
        var all = label();
        boxes.forEach(function (x) { x.checked = !all; });
        label();
      });
      boxes.forEach(function (x) { x.addEventListener("change", label); });
      label();
      head.appendChild(document.createTextNode(" "));
      head.appendChild(b);
    });
  });
})();
/* ==== end school workflow ==== */

/* ---- Batch documents (page_job.c) ------------------------------------------------
 * The job's page has data-job-status (the JSON status) while the job waits or
 * runs: poll it, move the <progress> bar and the "12/300 văn bản" count, and
 * reload the page once the job has ended (for its download link). Without this
 * script the page refreshes itself (<noscript><meta http-equiv="refresh">). */
(function () {
  "use strict";
  var FINAL = { done: 1, failed: 1, cancelled: 1 };
  document.addEventListener("DOMContentLoaded", function () {
    var card = document.querySelector("[data-job-status]");
    if (!card || FINAL[card.getAttribute("data-job-state")] || !window.fetch) return;
    var url = card.getAttribute("data-job-status");
    var bar = document.getElementById("job-progress"), count = document.getElementById("job-count");
    var state = document.getElementById("job-state"), msg = document.getElementById("job-message");
    var unit = card.getAttribute("data-job-unit") || "văn bản";
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (j) {
          if (FINAL[j.state]) { window.location.reload(); return; }
          if (bar) { bar.max = j.total > 0 ? j.total : 1; bar.value = j.done; }
          if (count) count.textContent = j.done + "/" + j.total + " " + unit;
          if (state) state.textContent = j.label;
          if (msg && j.message) msg.textContent = j.message;
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();

/* ---- Live scoring (page_assess.c) -------------------------------------------------
 * On the self-assessment form, each change asks the server to score the form as it
 * stands (POST /danh-gia/{id}/tinh-thu: nothing is saved) and takes from its answer —
 * the same page, rendered by the same code from the engine's score — the summary, the
 * group totals and gate notes, each item's points and explanation, and the advice
 * "Để lên mức cao hơn". No rule is written twice: without this script the page works
 * as before and shows the new score after «Lưu». */
(function () {
  "use strict";
  function sameChildren(here, there) {
    if (here && there && here.innerHTML !== there.innerHTML) here.innerHTML = there.innerHTML;
  }

  function applyScore(doc) {
    sameChildren(document.querySelector("section.summary"), doc.querySelector("section.summary"));
    var advice = document.querySelector("section.whatif"), next = doc.querySelector("section.whatif");
    if (advice && next) sameChildren(advice, next);
    else if (advice) advice.remove();
    else if (next) {
      var form = document.querySelector("form.assess");
      if (form) form.parentNode.insertBefore(document.importNode(next, true), form);
    }
    doc.querySelectorAll("section.group[id]").forEach(function (g) {
      var here = document.getElementById(g.id);
      if (!here) return;
      sameChildren(here.querySelector(".group-total"), g.querySelector(".group-total"));
      here.querySelectorAll(":scope > p.error-msg").forEach(function (e) { e.remove(); });
      var anchor = here.querySelector(".group-total");
      g.querySelectorAll(":scope > p.error-msg").forEach(function (e) {
        if (anchor) anchor.after(document.importNode(e, true));
      });
    });
    doc.querySelectorAll("tr[id^='tc-']").forEach(function (row) {
      var here = document.getElementById(row.id);
      if (!here) return;
      sameChildren(here.querySelector("td.num"), row.querySelector("td.num"));
      var ex = row.querySelector(".score-explain"), hex = here.querySelector(".score-explain");
      if (ex && hex) hex.textContent = ex.textContent;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.assess[action^='/danh-gia/']");
    if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
    var summary = document.querySelector("section.summary");
    if (summary) summary.setAttribute("aria-live", "polite");
    var timer = null, seq = 0;
    function refresh() {
      var mine = ++seq;
      fetch(form.getAttribute("action") + "/tinh-thu", {
        method: "POST", credentials: "same-origin",
        body: new URLSearchParams(new FormData(form))
      }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        if (html && mine === seq) applyScore(new DOMParser().parseFromString(html, "text/html"));
      }).catch(function () { /* offline: the score follows at «Lưu» */ });
    }
    function later() { clearTimeout(timer); timer = setTimeout(refresh, 120); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  });
})();

/* ---- The rule editor (page_admin_fw_edit.c) ----------------------------------------
 * Each item's form has every kind's fields, in fieldsets naming the kinds they serve
 * (data-kinds); the kind chosen shows only its own. Without this script all show, and
 * the server ignores the ones the kind does not use. */
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select.fw-kind").forEach(function (sel) {
      var form = sel.form;
      function follow() {
        form.querySelectorAll("fieldset.fw-kinds").forEach(function (fs) {
          var kinds = (fs.getAttribute("data-kinds") || "").split(" ");
          fs.hidden = kinds.indexOf(sel.value) < 0;
        });
      }
      sel.addEventListener("change", follow);
      follow();
    });
  });
})();
