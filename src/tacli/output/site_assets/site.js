/* tacli site: the dashboard's filters and charts.
   The page embeds each engagement's figures (tacli.figures), in full and per
   school year. A filter picks records; combine() adds them up as
   figures.combine does; view() gives the shape tacli.site.portfolio_view
   gives the page, and the figures, tables and charts are redrawn from it.
   No network: everything is in the page and in this folder. */
"use strict";
(function () {
  var source = document.getElementById("site-data");
  var form = document.getElementById("filters");
  if (!source || !form) { return; }
  var data = JSON.parse(source.textContent);
  var itemIndex = {};
  data.items.forEach(function (item, index) { itemIndex[item.uid] = index; });
  var COLORS = ["#1f5f99", "#b35900", "#2e6b30", "#6a3d9a", "#a61d24", "#00695c", "#5d4037", "#37474f"];
  var STAGE_COLORS = { done: "#2e6b30", open: "#a61d24", na: "#6b7480" };

  function fmt(value) { /* hours: two decimals at most (tacli.core.numbers.hours_text) */
    return value === null || value === undefined ? "" : String(Math.floor(value * 100 + 0.5) / 100);
  }
  function pct(ratio) { /* a share as a percentage to one decimal (tacli.core.numbers.percent_text) */
    return ratio === null || ratio === undefined ? "\u2013" : String(Math.floor(ratio * 1000 + 0.5) / 10) + "%";
  }
  function add(total, more) {
    Object.keys(more).forEach(function (key) { total[key] = (total[key] || 0) + more[key]; });
  }
  function inOrder(values, order) { /* the standards' order; unknown keys (and "") last, sorted */
    var rank = {};
    order.forEach(function (key, index) { rank[key] = index; });
    return Object.keys(values).sort(function (a, b) {
      var ka = a in rank, kb = b in rank;
      if (ka !== kb) { return ka ? -1 : 1; }
      if (ka) { return rank[a] - rank[b]; }
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  function selected() {
    var partner = form.elements.partner.value;
    return {
      year: form.elements.year.value,
      facilitator: form.elements.facilitator.value,
      partner: partner === "-" ? "" : partner,
      anyPartner: partner === "",
      tier: form.elements.tier.value
    };
  }

  function chosenRecords(filter) {
    return data.records.filter(function (record) {
      var engagement = data.engagements[record.e];
      if ((record.y || "") !== filter.year) { return false; }
      if (filter.facilitator && engagement.f.indexOf(filter.facilitator) < 0) { return false; }
      if (!filter.anyPartner && engagement.p !== filter.partner) { return false; }
      if (filter.tier && engagement.t !== filter.tier) { return false; }
      return true;
    });
  }

  /* figures.combine over the chosen records: an engagement counts once, and
     its coaching, reach and items (not per school year) once. */
  function combine(records) {
    var engagements = {}, recipients = {}, titleI = {}, items = {};
    var total = { services: 0, hours: 0, training: 0, ta: 0, titleIHours: 0 };
    var months = {}, types = {}, topics = {}, partners = {}, stages = [], reports = [0, 0, 0, 0, 0];
    records.forEach(function (record) {
      var engagement = data.engagements[record.e];
      engagements[record.e] = true;
      recipients[record.r] = true;
      if (record.ti) { titleI[record.r] = true; }
      total.services += record.s;
      total.hours += record.h;
      total.training += record.tr;
      total.ta += record.ta;
      total.titleIHours += record.ti ? record.h : 0;
      add(months, record.m);
      add(types, record.st);
      add(topics, record.tp);
      var byPartner = {};
      byPartner[engagement.p] = record.h;
      add(partners, byPartner);
      record.d.forEach(function (counts, index) {
        if (!counts) { return; }
        stages[index] = stages[index] ? stages[index].map(function (n, i) { return n + counts[i]; }) : counts.slice();
      });
      reports = reports.map(function (n, i) { return n + record.rp[i]; });
      record.it.forEach(function (uid) { items[uid] = true; });
    });
    var chosen = Object.keys(engagements).map(Number).sort(function (a, b) { return a - b; });
    return {
      engagements: chosen, recipients: Object.keys(recipients).length, titleIRecipients: Object.keys(titleI).length,
      total: total, months: months, types: types, topics: topics, partners: partners, stages: stages, reports: reports,
      items: Object.keys(items).map(function (uid) { return itemIndex[uid]; }).sort(function (a, b) { return a - b; })
    };
  }

  /* The shape of tacli.site.portfolio_view. */
  function view(sum) {
    var labels = data.labels;
    function rows(values, order, names) {
      return inOrder(values, order).map(function (key) { return [key, key in names ? names[key] : key, values[key]]; });
    }
    var reports = sum.reports;
    var stages = [];
    labels.stages.forEach(function (stage, index) {
      var c = sum.stages[index];
      if (!c) { return; }
      var applicable = c[0] + c[2];
      stages.push([stage[0], stage[1], c[0], c[1], c[2], applicable ? c[0] / applicable : null]);
    });
    var coaching = [], reach = [];
    sum.engagements.forEach(function (index) {
      var e = data.engagements[index];
      if (e.c) { coaching.push([index, e.c[0], e.c[1]]); }
      if (e.x) {
        var reached = e.x[0], intended = e.x[1], minimum = e.x[3];
        var share = reached !== null && intended ? reached * 100 / intended / 100 : null;
        var meets = reached === null || !intended || minimum === null ? null : reached * 100 >= minimum * intended;
        reach.push([index, reached, intended, share, e.x[2], minimum, meets]);
      }
    });
    return {
      figures: {
        engagements: sum.engagements.length,
        recipients: sum.recipients,
        title_i_recipients: sum.titleIRecipients,
        services: sum.total.services,
        hours: sum.total.hours,
        training_hours: sum.total.training,
        ta_hours: sum.total.ta,
        title_i_share: sum.total.hours ? sum.total.titleIHours / sum.total.hours : null,
        on_time_rate: reports[0] ? reports[1] / reports[0] : null,
        overdue_reports: reports[3],
        due_soon_reports: reports[4]
      },
      months: Object.keys(sum.months).sort().map(function (key) { return [key, key, sum.months[key]]; }),
      support_types: rows(sum.types, data.support_types, labels.st),
      topics: rows(sum.topics, data.topics, labels.tp),
      partners: rows(sum.partners, data.partners, labels.pa),
      stages: stages,
      coaching: coaching,
      reach: reach,
      items: sum.items
    };
  }

  /* --- drawing ------------------------------------------------------------ */

  function cell(tag, content, className) {
    var node = document.createElement(tag);
    if (tag === "th") { node.scope = "row"; }
    if (className) { node.className = className; }
    if (content instanceof Node) { node.appendChild(content); } else { node.textContent = content; }
    return node;
  }
  function link(index) {
    var e = data.engagements[index], a = document.createElement("a");
    a.href = e.href;
    a.textContent = e.title;
    return a;
  }
  function strong(text) {
    var node = document.createElement("strong");
    node.className = "warn";
    node.textContent = text;
    return node;
  }
  function fill(name, rows, columns, empty) {
    var body = document.querySelector('table[data-table="' + name + '"] tbody');
    body.textContent = "";
    if (!rows.length) {
      var tr = document.createElement("tr");
      var td = cell("td", empty);
      td.colSpan = columns;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (c) { tr.appendChild(c); });
      body.appendChild(tr);
    });
  }
  function hoursRows(rows) {
    return rows.map(function (r) { return [cell("th", r[1]), cell("td", fmt(r[2]), "num")]; });
  }

  var charts = {};
  function barChart(name, labels, datasets, options) {
    var canvas = document.getElementById("chart-" + name);
    if (!canvas || typeof Chart === "undefined") { return; }
    if (charts[name]) {
      charts[name].data.labels = labels;
      charts[name].data.datasets = datasets;
      charts[name].update();
      return;
    }
    charts[name] = new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { y: { beginAtZero: true } }
      }, options || {})
    });
  }
  /* A chart of one bar per engagement stays readable: the CHART_ROWS that most
     need attention (by `need`, highest first) are drawn, the table lists all. */
  var CHART_ROWS = 15;
  function most(rows, name, need) {
    var note = document.getElementById("chart-" + name + "-note");
    var chosen = rows;
    if (rows.length > CHART_ROWS) {
      chosen = rows.map(function (row, index) { return [need(row), index, row]; })
        .sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; })
        .slice(0, CHART_ROWS).sort(function (a, b) { return a[1] - b[1]; })
        .map(function (entry) { return entry[2]; });
    }
    if (note) {
      note.textContent = rows.length > CHART_ROWS ? "The chart shows the " + CHART_ROWS + " of " + rows.length + " engagements " +
        (name === "coaching" ? "nearest their cap" : "furthest below the minimum") + "; the table lists every one." : "";
    }
    return chosen;
  }
  function short(text) { return text.length > 38 ? text.slice(0, 36) + "\u2026" : text; }
  var HORIZONTAL = { indexAxis: "y", scales: { x: { beginAtZero: true } } };

  function draw(v) {
    Object.keys(v.figures).forEach(function (key) {
      var node = document.querySelector('[data-figure="' + key + '"]');
      if (!node) { return; }
      var value = v.figures[key];
      node.textContent = /_share$|_rate$/.test(key) ? pct(value) : /hours$/.test(key) ? fmt(value) : String(value);
    });
    fill("months", hoursRows(v.months), 2, "No hours.");
    fill("support_types", hoursRows(v.support_types), 2, "No hours.");
    fill("topics", hoursRows(v.topics), 2, "No hours.");
    fill("partners", hoursRows(v.partners), 2, "No hours.");
    fill("stages", v.stages.map(function (s) {
      return [cell("th", s[1]), cell("td", String(s[2]), "num"), cell("td", String(s[4]), "num"), cell("td", String(s[3]), "num"), cell("td", pct(s[5]), "num")];
    }), 5, "No duties.");
    fill("coaching", v.coaching.map(function (c) {
      return [cell("th", link(c[0])), cell("td", fmt(c[1]), "num"), cell("td", fmt(c[2]), "num"), c[1] > c[2] ? cell("td", strong("over the cap")) : cell("td", fmt(c[2] - c[1]) + " left")];
    }), 4, "No engagement with an hour cap.");
    fill("reach", v.reach.map(function (r) {
      var reached = r[1] === null ? "not counted" : String(r[1]) + (r[2] ? " of " + r[2] : "");
      var standing = r[6] === null ? cell("td", "\u2013") : r[6] ? cell("td", "meets the minimum") : cell("td", strong("below the minimum"));
      return [cell("th", link(r[0])), cell("td", reached, "num"), cell("td", pct(r[3]), "num"), cell("td", r[5] === null ? "\u2013" : fmt(r[5]) + "%", "num"), standing];
    }), 5, "No intensive engagement.");
    fill("items", v.items.map(function (index) {
      var item = data.items[index];
      return [cell("td", item.due, "date"), item.overdue ? cell("td", strong(item.when)) : cell("td", item.when), cell("td", link(item.e)), cell("td", item.service), cell("td", item.what), cell("td", item.who)];
    }), 6, "Nothing is overdue or due within " + data.look_ahead_days + " days.");
    var chosen = {};
    (v.engagementIndexes || []).forEach(function (index) { chosen[index] = true; });
    document.querySelectorAll('table[data-table="engagements"] tr[data-engagement]').forEach(function (row) {
      row.hidden = v.engagementIndexes ? !chosen[row.getAttribute("data-engagement")] : false;
    });

    function hours(name, rows, horizontal) {
      barChart(name, rows.map(function (r) { return short(r[1]); }), [{ label: "Hours", data: rows.map(function (r) { return r[2]; }), backgroundColor: COLORS[0] }], horizontal ? HORIZONTAL : null);
    }
    hours("months", v.months, false);
    hours("support_types", v.support_types, true);
    hours("topics", v.topics, true);
    hours("partners", v.partners, true);
    barChart("stages", v.stages.map(function (s) { return s[1]; }), [
      { label: "Done", data: v.stages.map(function (s) { return s[2]; }), backgroundColor: STAGE_COLORS.done },
      { label: "Open", data: v.stages.map(function (s) { return s[4]; }), backgroundColor: STAGE_COLORS.open },
      { label: "Not applicable", data: v.stages.map(function (s) { return s[3]; }), backgroundColor: STAGE_COLORS.na }
    ], { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } });
    var coaching = most(v.coaching, "coaching", function (c) { return c[1] / c[2]; });
    barChart("coaching", coaching.map(function (c) { return short(data.engagements[c[0]].title); }), [
      { label: "Hours counted", data: coaching.map(function (c) { return c[1]; }), backgroundColor: COLORS[0] },
      { label: "Cap", data: coaching.map(function (c) { return c[2]; }), backgroundColor: COLORS[1] }
    ], HORIZONTAL);
    var reach = most(v.reach, "reach", function (r) { return r[3] === null ? 1 : 1 - r[3]; });
    barChart("reach", reach.map(function (r) { return short(data.engagements[r[0]].title); }), [
      { label: "Reached (%)", data: reach.map(function (r) { return r[3] === null ? null : Math.floor(r[3] * 1000 + 0.5) / 10; }), backgroundColor: COLORS[0] },
      { label: "Minimum (%)", data: reach.map(function (r) { return r[5]; }), backgroundColor: COLORS[1] }
    ], { indexAxis: "y", scales: { x: { beginAtZero: true, suggestedMax: 100 } } });
  }

  function describe(filter, v) {
    var parts = [];
    if (filter.year) { parts.push("school year " + filter.year); }
    if (filter.facilitator) { parts.push("facilitator " + filter.facilitator); }
    if (!filter.anyPartner) { parts.push("partner " + form.elements.partner.selectedOptions[0].textContent); }
    if (filter.tier) { parts.push(form.elements.tier.selectedOptions[0].textContent); }
    var count = v.figures.engagements + " engagement" + (v.figures.engagements === 1 ? "" : "s");
    return parts.length ? "Showing " + count + ": " + parts.join(", ") + "." : "Showing every engagement, every school year.";
  }

  function update() {
    var filter = selected();
    var sum = combine(chosenRecords(filter));
    var v = view(sum);
    v.engagementIndexes = sum.engagements;
    draw(v);
    document.getElementById("filter-status").textContent = describe(filter, v);
  }

  form.hidden = false;
  form.addEventListener("change", update);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  update();
}());
