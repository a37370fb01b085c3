// The neighbourhood graph: cytoscape.js (vendored beside this file), filled from /api/graph?iri=...
// A click on a node adds that node's neighbours; a double click opens its entity page.
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape === "undefined") { return; }
  var colours = { Municipality: "#5fb376", Province: "#2f8a4b", Agency: "#4a84d4", Person: "#e08a4f",
                  Award: "#d9ab1c", Agreement: "#9066c8", Measurement: "#9a9a9a", Indicator: "#bbbbbb" };
  var cy = cytoscape({
    container: box,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 11, "text-wrap": "wrap", "text-max-width": 140,
          "text-valign": "bottom", "text-margin-y": 4, "width": 26, "height": 26,
          "background-color": function (n) { return colours[n.data("type")] || "#777"; },
          "border-width": 1, "border-color": "#ffffff" } },
      { selector: "node.root", style: { "width": 38, "height": 38, "border-width": 3, "border-color": "#12355b", "font-weight": "bold" } },
      { selector: "node.expanded", style: { "border-width": 3, "border-color": "#12355b" } },
      { selector: "edge", style: { "label": "data(label)", "font-size": 9, "color": "#667", "curve-style": "bezier",
          "target-arrow-shape": "triangle", "width": 1.5, "line-color": "#b8c2cf", "target-arrow-color": "#b8c2cf",
          "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } }
    ]
  });
  window.kgGraph = cy;
  var loading = 0;
  function expand(iri) {
    loading += 1;
    box.setAttribute("data-loading", String(loading));
    return fetch("/api/graph?iri=" + encodeURIComponent(iri))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var fresh = [];
        data.nodes.concat(data.edges).forEach(function (el) {
          if (cy.getElementById(el.data.id).empty()) { fresh.push(el); }
        });
        cy.add(fresh);
        cy.getElementById(iri).addClass("expanded");
        arrange();
        box.setAttribute("data-nodes", String(cy.nodes().length));
      })
      .finally(function () { loading -= 1; box.setAttribute("data-loading", String(loading)); });
  }
  var root = box.getAttribute("data-iri");
  // rings around the entity the page is about: its neighbours, then theirs
  function arrange() {
    var depth = cy.elements().dijkstra({ root: cy.getElementById(root), directed: false });
    var deepest = 0;
    cy.nodes().forEach(function (n) { var d = depth.distanceTo(n); if (isFinite(d) && d > deepest) { deepest = d; } });
    cy.layout({ name: "concentric", animate: false, padding: 40, minNodeSpacing: 70, startAngle: Math.PI / 2 * 3.2,
                concentric: function (n) { var d = depth.distanceTo(n); return isFinite(d) ? deepest - d : -1; },
                levelWidth: function () { return 1; } }).run();
  }
  expand(root).then(function () { cy.getElementById(root).addClass("root"); });
  cy.on("tap", "node", function (evt) { expand(evt.target.id()); });
  cy.on("dbltap", "node", function (evt) { window.location.href = evt.target.data("page"); });
})();
