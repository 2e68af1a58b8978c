// The overview page's behaviour: colour the map by the choice, a tooltip per
// kommun, sortable table columns and each kommun's evidence. Inline in the
// page and allowed by its hash; without it the page still shows the map
// coloured by the number of parts, the table and the totals.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var parts = data.delar.length;
  var statusNames = ["saknas", "delvis", "finns"];
  var bins = [[0, 2], [3, 5], [6, 8], [9, 11], [12, 12]];
  var choice = document.getElementById("farg");
  var legend = document.getElementById("teckenforklaring");
  var tip = document.getElementById("tips");
  var paths = document.querySelectorAll(".kommuner path");

  function count(digits) { var n = 0; for (var i = 0; i < digits.length; i++) { if (digits[i] === "2") { n++; } } return n; }
  function countClass(n) { var scaled = Math.round(n * 12 / parts); for (var i = 0; i < bins.length; i++) { if (scaled >= bins[i][0] && scaled <= bins[i][1]) { return i; } } return 0; }
  function goal(digits, indices) {
    var values = indices.map(function (i) { return Number(digits[i]); });
    if (values.every(function (v) { return v === 2; })) { return 2; }
    return values.some(function (v) { return v > 0; }) ? 1 : 0;
  }
  // What the choice says about one kommun: its colour class and its words.
  function describe(kod) {
    var digits = data.status[kod];
    if (digits === undefined) { return { cls: "ej", text: "inga dokument granskade" }; }
    var value = choice.value;
    if (value.indexOf("del-") === 0) {
      var s = Number(digits[Number(value.slice(4))]);
      return { cls: "c" + [0, 2, 4][s], text: data.delar[Number(value.slice(4))] + ": " + statusNames[s] };
    }
    if (value.indexOf("mal-") === 0) {
      var g = data.mal[Number(value.slice(4))];
      var v = goal(digits, g[1]);
      return { cls: "c" + [0, 2, 4][v], text: g[0] + ": " + ["inte påbörjat", "påbörjat", "uppfyllt"][v] };
    }
    var n = count(digits);
    return { cls: "c" + countClass(n), text: n + " av " + parts + " delar finns" };
  }
  function legendItems() {
    var value = choice.value;
    if (value.indexOf("del-") === 0) { return [["c0", "saknas"], ["c2", "delvis"], ["c4", "finns"]]; }
    if (value.indexOf("mal-") === 0) {
      return [["c0", "inte påbörjat (ingen av delarna)"], ["c2", "påbörjat (en del, eller delvis)"], ["c4", "uppfyllt (båda delarna finns)"]];
    }
    return bins.map(function (b, i) { return ["c" + i, (b[0] === b[1] ? b[0] : b[0] + "–" + b[1]) + " delar"]; });
  }
  function recolour() {
    paths.forEach(function (p) { p.setAttribute("class", describe(p.getAttribute("data-k")).cls); });
    var list = legend.querySelector("ul");
    list.textContent = "";
    legendItems().concat([["ej", "Inga dokument granskade"]]).forEach(function (item) {
      var li = document.createElement("li");
      var box = document.createElement("span");
      box.className = "ruta " + item[0];
      box.setAttribute("aria-hidden", "true");
      li.appendChild(box);
      li.appendChild(document.createTextNode(" " + item[1]));
      list.appendChild(li);
    });
    legend.querySelector("h3").textContent = choice.options[choice.selectedIndex].text;
  }
  choice.addEventListener("change", recolour);

  function showTip(event, kod) {
    var k = data.kommuner[kod];
    tip.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = k[0];
    tip.appendChild(strong);
    tip.appendChild(document.createTextNode(" (" + data.lan[k[1]] + ")"));
    tip.appendChild(document.createElement("br"));
    tip.appendChild(document.createTextNode(describe(kod).text));
    tip.hidden = false;
    var x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = Math.min(event.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = Math.max(4, x) + "px";
    tip.style.top = Math.max(4, y) + "px";
  }
  var map = document.querySelector(".kommuner");
  map.addEventListener("mousemove", function (event) {
    var kod = event.target.getAttribute && event.target.getAttribute("data-k");
    if (kod) { showTip(event, kod); } else { tip.hidden = true; }
  });
  map.addEventListener("mouseleave", function () { tip.hidden = true; });
  map.addEventListener("click", function (event) {
    var kod = event.target.getAttribute && event.target.getAttribute("data-k");
    if (kod) { showEvidence(kod); }
  });

  // Sorting: text columns alphabetically in Swedish, number columns by value.
  var table = document.getElementById("kommuntabell");
  function value(cell) { return cell.className ? Number(cell.className.slice(1)) : Number(cell.textContent); }
  var collator = new Intl.Collator("sv");
  table.querySelectorAll("thead button").forEach(function (button) {
    button.addEventListener("click", function () {
      var column = Number(button.getAttribute("data-kol"));
      var numeric = button.hasAttribute("data-tal");
      var th = button.parentNode;
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      if (numeric && !th.hasAttribute("aria-sort")) { ascending = false; }  // most present first
      table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column];
        // A status cell's class is s0, s1 or s2; the count column holds its number.
        var order = numeric ? value(x) - value(y) : collator.compare(x.textContent, y.textContent);
        if (order === 0) { order = collator.compare(a.cells[0].textContent, b.cells[0].textContent); }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  // A kommun's evidence, built from the page's data with text nodes only.
  function element(name, text) { var e = document.createElement(name); if (text !== undefined) { e.textContent = text; } return e; }
  function showEvidence(kod) {
    var entry = data.underlag[kod];
    var box = document.getElementById("underlag-innehall");
    box.textContent = "";
    var name = data.kommuner[kod] ? data.kommuner[kod][0] : (data.regioner[kod] || [kod])[0];
    var digits = data.status[kod] || (data.regioner[kod] || [])[1];
    box.appendChild(element("h3", name));
    if (!entry) { box.appendChild(element("p", "Inga dokument från " + name + " har granskats.")); }
    else {
      box.appendChild(element("p", "Dokument:"));
      var docs = element("ul");
      entry[0].forEach(function (d) {
        var li = element("li");
        li.appendChild(element("code", data.s[d[0]]));
        li.appendChild(document.createTextNode(" – " + (data.s[d[1]] || "utan titel") + " (knuten till kommunen via " + data.s[d[2]] + ")"));
        docs.appendChild(li);
      });
      box.appendChild(docs);
      var table = element("table");
      var head = element("thead");
      var hr = element("tr");
      ["Del", "Status", "Dokument och mening"].forEach(function (t) { var th = element("th", t); th.scope = "col"; hr.appendChild(th); });
      head.appendChild(hr);
      table.appendChild(head);
      var body = element("tbody");
      data.delar.forEach(function (part, i) {
        var p = entry[1].slice(3 * i, 3 * i + 3);
        var tr = element("tr");
        var th = element("th", data.delar[i]);
        th.scope = "row";
        tr.appendChild(th);
        var status = Number(digits[i]);
        var td = element("td", statusNames[status]);
        td.className = "s" + status;
        tr.appendChild(td);
        var cell = element("td");
        if (data.s[p[0]]) {
          cell.appendChild(element("code", data.s[p[0]]));
          if (data.s[p[2]]) { cell.appendChild(document.createTextNode(", under ”" + data.s[p[2]] + "”")); }
          if (data.s[p[1]]) { cell.appendChild(element("blockquote", data.s[p[1]])); }
        } else { cell.textContent = "Inget av dokumenten tar upp delen."; }
        tr.appendChild(cell);
        body.appendChild(tr);
      });
      table.appendChild(body);
      box.appendChild(table);
    }
    var section = document.getElementById("underlag");
    section.scrollIntoView();
    section.focus();
  }
  table.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-k]");
    if (link) { event.preventDefault(); showEvidence(link.getAttribute("data-k")); }
  });
  if (location.hash.indexOf("#k") === 0) { showEvidence(location.hash.slice(2)); }
}());
