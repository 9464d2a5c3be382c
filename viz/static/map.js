/*
 * liangxin maps: draws every <section class="lx-map"> of the page with vis-network.
 *
 * The section holds its data as JSON in <script type="application/json" class="lx-map-data">
 * (written by viz.render.map_json). Positions are computed on the server, so physics stays
 * off. Labels and tooltips are plain text: vis-network 9 sets a string title with innerText,
 * and nothing here turns the data into markup or code.
 *
 * window.liangxinMaps[sectionId] is the vis.Network of each map; after the first drawing the
 * section gets data-drawn="<number of nodes>" (browser tests wait for it).
 */
(function () {
  "use strict";

  var maps = (window.liangxinMaps = window.liangxinMaps || {});

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function setUp(section) {
    var dataElement = section.querySelector("script.lx-map-data");
    var canvas = section.querySelector(".lx-map-canvas");
    if (!dataElement || !canvas || section.dataset.ready) {
      return;
    }
    section.dataset.ready = "1";
    if (typeof vis === "undefined" || !vis.Network) {
      section.dataset.error = "vis-network missing";
      return;
    }
    var payload = JSON.parse(dataElement.textContent);
    var nodes = new vis.DataSet(payload.nodes || []);
    var edges = new vis.DataSet(payload.edges || []);
    var network = new vis.Network(canvas, { nodes: nodes, edges: edges }, payload.options || {});
    maps[section.id] = network;

    network.once("afterDrawing", function () {
      section.dataset.drawn = String(nodes.length);
    });

    // drill-down: a node with a url opens it
    network.on("click", function (event) {
      if (!event.nodes || event.nodes.length === 0) {
        return;
      }
      var node = nodes.get(event.nodes[0]);
      if (node && typeof node.url === "string" && node.url) {
        window.location.assign(node.url);
      }
    });
    network.on("hoverNode", function (event) {
      var node = nodes.get(event.node);
      canvas.style.cursor = node && node.url ? "pointer" : "default";
    });
    network.on("blurNode", function () {
      canvas.style.cursor = "default";
    });

    setUpSearch(section, network, nodes);
  }

  function setUpSearch(section, network, nodes) {
    var input = section.querySelector("input.lx-map-search");
    var status = section.querySelector(".lx-map-status");
    if (!input) {
      return;
    }
    var haystack = nodes.get().map(function (node) {
      return {
        id: node.id,
        text: (text(node.search) + " " + text(node.label)).toLowerCase(),
      };
    });

    function find(focusFirst) {
      var query = input.value.trim().toLowerCase();
      if (!query) {
        network.unselectAll();
        if (status) {
          status.textContent = "";
        }
        return;
      }
      var ids = haystack
        .filter(function (item) {
          return item.text.indexOf(query) !== -1;
        })
        .map(function (item) {
          return item.id;
        });
      if (status) {
        status.textContent = "找到 " + ids.length + " 个";
      }
      network.selectNodes(ids);
      if (ids.length === 0) {
        return;
      }
      if (focusFirst) {
        network.focus(ids[0], { scale: 1.2, animation: false });
      } else {
        network.fit({ nodes: ids, animation: false });
      }
    }

    input.addEventListener("input", function () {
      find(false);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        find(true);
      }
    });
  }

  function setUpAll() {
    var sections = document.querySelectorAll("section.lx-map");
    for (var i = 0; i < sections.length; i += 1) {
      setUp(sections[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
