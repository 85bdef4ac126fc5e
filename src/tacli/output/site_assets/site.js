/* tacli site: the dashboard's filters and charts.
   The page embeds each engagement's figures (tacli.domain.figures), in full and
   per school year. A filter picks records; combine() adds them up as
   figures.combine does; view() gives the shape tacli.output.site.portfolio_view
   gives the page, and the figures, tables and charts are redrawn from it.
   The filters are kept in the page's address (?year=...&facilitator=...), so a
   filtered view can be bookmarked or sent; opening such an address applies them.
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
  var FILTERS = ["year", "facilitator", "partner", "tier"];

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
  var nameRank = {};
  data.people.forEach(function (name, index) { nameRank[name] = index; });
  function byName(a, b) { return nameRank[a] - nameRank[b]; } /* the page's order of names (figures.combine's) */
  function kindName(kind, count) { return data.labels.kinds[kind][count === 1 ? 0 : 1]; }

  /* --- the filters, and the page's address -------------------------------- */

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

  /* The filters an address gives: its query (?year=2025-26), or its fragment
     (#year=2025-26) where a browser would not let the page change its query. */
  function fromAddress() {
    var text = location.search.slice(1);
    if (!/=/.test(text)) { text = /=/.test(location.hash) ? location.hash.slice(1) : ""; }
    var params = new URLSearchParams(text), unknown = [];
    FILTERS.forEach(function (name) {
      var select = form.elements[name], value = params.get(name);
      if (value === null || value === "") { select.value = ""; return; }
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === value; });
      select.value = known ? value : "";
      if (!known) { unknown.push(select.labels[0].firstChild.textContent.trim().toLowerCase() + " \u201c" + value + "\u201d"); }
    });
    return unknown;
  }
  function toAddress() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) { if (form.elements[name].value) { params.set(name, form.elements[name].value); } });
    var query = params.toString();
    var hash = /=/.test(location.hash) ? "" : location.hash;
    var target = location.pathname + (query ? "?" + query : "") + hash;
    if (target === location.pathname + location.search + location.hash) { return; }
    try {
      history.replaceState(null, "", target);
    } catch (error) { /* a browser that keeps a file:// page's query as it is: the fragment keeps the filters */
      history.replaceState(null, "", location.pathname + location.search + (query ? "#" + query : ""));
    }
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

  /* --- figures.combine ------------------------------------------------------ */

  /* figures.combine over the chosen records: an engagement counts once, and
     its coaching, reach and items (not per school year) once; each facilitator
     counts the engagements they are one of the facilitators of. */
  function combine(records) {
    var engagements = {}, recipients = {}, titleI = {}, items = {}, people = {};
    var total = { services: 0, hours: 0, training: 0, ta: 0, titleIHours: 0 };
    var months = {}, types = {}, topics = {}, partners = {}, stages = [], reports = [0, 0, 0, 0, 0], reportMonths = {};
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
      Object.keys(record.rm).forEach(function (month) {
        var counts = record.rm[month];
        reportMonths[month] = reportMonths[month] ? reportMonths[month].map(function (n, i) { return n + counts[i]; }) : counts.slice();
      });
      Object.keys(record.fa).forEach(function (name) {
        var part = record.fa[name];
        people[name] = people[name] ? people[name].map(function (n, i) { return n + part[i]; }) : part.slice();
      });
      record.it.forEach(function (uid) { items[uid] = true; });
    });
    var chosen = Object.keys(engagements).map(Number).sort(function (a, b) { return a - b; });
    var counted = {};
    chosen.forEach(function (index) {
      data.engagements[index].f.forEach(function (name) { counted[name] = (counted[name] || 0) + 1; });
    });
    return {
      engagements: chosen, recipients: Object.keys(recipients).length, titleIRecipients: Object.keys(titleI).length,
      total: total, months: months, types: types, topics: topics, partners: partners, stages: stages, reports: reports, reportMonths: reportMonths,
      people: people, engagementsOf: counted,
      items: Object.keys(items).map(function (uid) { return itemIndex[uid]; }).sort(function (a, b) { return a - b; })
    };
  }

  /* tacli.output.site.month_rows: every month from the first with hours to the
     last; a run of more than data.month_gap months without hours is one break. */
  function monthRows(byMonth) {
    var keys = Object.keys(byMonth).sort();
    if (!keys.length) { return []; }
    var last = keys[keys.length - 1];
    var year = Number(keys[0].slice(0, 4)), month = Number(keys[0].slice(5, 7));
    var rows = [], empty = [];
    function flush() {
      if (empty.length > data.month_gap) {
        rows.push([empty[0] + "/" + empty[empty.length - 1], empty[0] + " to " + empty[empty.length - 1], null, empty.length]);
      } else {
        empty.forEach(function (key) { rows.push([key, key, 0, 0]); });
      }
      empty = [];
    }
    for (;;) {
      var key = String(year).padStart(4, "0") + "-" + String(month).padStart(2, "0");
      if (key in byMonth) { flush(); rows.push([key, key, byMonth[key], 0]); } else { empty.push(key); }
      if (key >= last) { break; }
      if (month === 12) { year += 1; month = 1; } else { month += 1; }
    }
    return rows;
  }

  /* tacli.output.site.reach_standing */
  function reachStanding(reached, intended, target, minimum) {
    if (reached === null || !intended) {
      return target !== null || minimum !== null ? [["not counted yet", false]] : [];
    }
    var parts = [];
    [[target, "its own target"], [minimum, "the standards' minimum"]].forEach(function (pair) {
      if (pair[0] === null) { return; }
      var meets = reached * 100 >= pair[0] * intended;
      parts.push([(meets ? "meets " : "below ") + pair[1], !meets]);
    });
    return parts;
  }

  /* tacli.output.site.item_counts_text, from figures.item_counts */
  function itemCountsText(counts) {
    function listed(position) {
      return data.labels.kind_order.filter(function (kind) { return counts[kind] && counts[kind][position]; })
        .map(function (kind) { return counts[kind][position] + " " + kindName(kind, counts[kind][position]); }).join(", ");
    }
    var overdue = listed(0), upcoming = listed(1), days = data.look_ahead_days;
    if (!overdue && !upcoming) { return "Nothing is overdue or due within " + days + " days."; }
    return (overdue ? "Overdue: " + overdue + "." : "Nothing is overdue.") + " " +
      (upcoming ? "Due within " + days + " days: " + upcoming + "." : "Nothing else is due within " + days + " days.");
  }

  /* The shape of tacli.output.site.portfolio_view. */
  function view(sum, filter) {
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
        var reached = e.x[0], intended = e.x[1], target = e.x[2], minimum = e.x[3];
        var share = reached !== null && intended ? reached * 100 / intended / 100 : null;
        reach.push([index, reached, intended, share, target, minimum, e.x[4], reachStanding(reached, intended, target, minimum)]);
      }
    });
    var counts = {};
    sum.items.forEach(function (index) {
      var item = data.items[index];
      counts[item.k] = counts[item.k] || [0, 0];
      counts[item.k][item.overdue ? 0 : 1] += item.n;
    });
    var facilitators = Object.keys(sum.people).sort(byName)
      .filter(function (name) { return !filter.facilitator || name === filter.facilitator; })
      .map(function (name) {
        var p = sum.people[name]; /* services, hours, reports (due, on time, late, overdue, due soon), items overdue */
        return [name, sum.engagementsOf[name] || 0, p[0], p[1], p[7], p[3], p[4], p[5], p[2] ? p[3] / p[2] : null];
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
        reports_on_time: reports[1],
        reports_due: reports[0],
        overdue_reports: reports[3],
        due_soon_reports: reports[4],
        overdue_revisions: counts.revision ? counts.revision[0] : 0,
        overdue_duties: counts.duties ? counts.duties[0] : 0,
        upcoming_duties: counts.duties ? counts.duties[1] : 0
      },
      item_counts_text: itemCountsText(counts),
      months: monthRows(sum.months),
      support_types: rows(sum.types, data.support_types, labels.st),
      topics: rows(sum.topics, data.topics, labels.tp),
      partners: rows(sum.partners, data.partners, labels.pa),
      stages: stages,
      /* tacli.output.site.report_month_rows: [month, due, on time, late, overdue, rate], months with a report due */
      report_months: Object.keys(sum.reportMonths).sort().filter(function (month) { return sum.reportMonths[month][0]; }).map(function (month) {
        var c = sum.reportMonths[month];
        return [month, c[0], c[1], c[2], c[3], c[1] / c[0]];
      }),
      coaching: coaching,
      reach: reach,
      facilitators: facilitators,
      items: sum.items
    };
  }

  /* --- drawing ------------------------------------------------------------ */

  function cell(tag, content, className, label) {
    var node = document.createElement(tag);
    if (tag === "th") { node.scope = "row"; }
    if (className) { node.className = className; }
    if (label) { node.setAttribute("data-label", label); }
    (Array.isArray(content) ? content : [content]).forEach(function (part) {
      node.appendChild(part instanceof Node ? part : document.createTextNode(part));
    });
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
  function span(text, className) {
    var node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    return node;
  }
  function warnIf(count) { return count ? strong(String(count)) : "0"; }
  /* _macros.html.j2's how(): the command, folded away, for the facilitator */
  function how(command) {
    var details = document.createElement("details"), summary = document.createElement("summary");
    var p = document.createElement("p"), code = document.createElement("code");
    details.className = "how";
    summary.textContent = "How to record this";
    code.textContent = command;
    p.appendChild(document.createTextNode(command.indexOf("tacli ") === 0 ? "For the facilitator, in a terminal: " : "For the facilitator: "));
    p.appendChild(code);
    details.appendChild(summary);
    details.appendChild(p);
    return details;
  }
  function standing(parts) {
    if (!parts.length) { return ["\u2013"]; }
    var nodes = [];
    parts.forEach(function (part, index) {
      if (index) { nodes.push("; "); }
      nodes.push(part[1] ? strong(part[0]) : part[0]);
    });
    return nodes;
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
      if (cells.className) { tr.className = cells.className; }
      cells.forEach(function (c) { tr.appendChild(c); });
      body.appendChild(tr);
    });
  }
  function hoursRows(rows) {
    return rows.map(function (r) { return [cell("th", r[1]), cell("td", fmt(r[2]), "num")]; });
  }
  function monthTableRows(rows) {
    return rows.map(function (r) {
      var cells = [cell("th", r[1]), cell("td", r[2] === null ? "none (" + r[3] + " months)" : fmt(r[2]), "num")];
      if (r[2] === null) { cells.className = "gap"; }
      return cells;
    });
  }

  /* A label in lines of at most `width` characters, broken between words, so
     that a chart shows it whole; the tooltip gives it on one line. */
  function wrap(text, width) {
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines.length > 1 ? lines : text;
  }
  function labelWidth(canvas) { /* characters a line of a label holds: about a third of the chart's width */
    var width = canvas.parentNode.clientWidth || 480;
    return Math.max(14, Math.min(34, Math.floor(width / 3 / 6.5)));
  }

  /* Draws each break of the month axis as a hatched band that says how many
     months had no hours (its words at least 4.5:1 against the band). */
  var GAP_INK = "#4a4a4a", GAP_FILL = "#eceff2", GAP_LINE = "#8a949e";
  var gapPlugin = {
    id: "tacliGaps",
    afterDatasetsDraw: function (chart) {
      var gaps = chart.$tacliGaps || [], x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      if (!gaps.length || !x) { return; }
      var step = x.getPixelForValue(1) - x.getPixelForValue(0) || area.right - area.left;
      gaps.forEach(function (gap) {
        var middle = x.getPixelForValue(gap[0]), left = middle - step / 2;
        ctx.save();
        ctx.fillStyle = GAP_FILL;
        ctx.fillRect(left, area.top, step, area.bottom - area.top);
        ctx.beginPath();
        ctx.rect(left, area.top, step, area.bottom - area.top);
        ctx.clip();
        ctx.strokeStyle = GAP_LINE;
        ctx.lineWidth = 1;
        for (var y = area.top - step; y < area.bottom + step; y += 8) {
          ctx.moveTo(left, y + step);
          ctx.lineTo(left + step, y);
        }
        ctx.stroke();
        ctx.restore();
        ctx.save();
        ctx.translate(middle, (area.top + area.bottom) / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.fillStyle = GAP_INK;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.font = "12px system-ui, sans-serif";
        var text = gap[1] + " months without hours";
        ctx.fillStyle = GAP_FILL;
        var width = ctx.measureText(text).width;
        ctx.fillRect(-width / 2 - 4, -8, width + 8, 16);
        ctx.fillStyle = GAP_INK;
        ctx.fillText(text, 0, 0);
        ctx.restore();
      });
    }
  };

  var charts = {};
  function barChart(name, labels, datasets, options, extra) {
    var canvas = document.getElementById("chart-" + name);
    if (!canvas || typeof Chart === "undefined") { return; }
    if (extra && extra.height) { canvas.parentNode.style.height = extra.height + "px"; }
    var full = extra && extra.full;
    if (charts[name]) {
      charts[name].data.labels = labels;
      charts[name].data.datasets = datasets;
      charts[name].$tacliFull = full;
      charts[name].$tacliGaps = extra && extra.gaps;
      charts[name].update();
      return;
    }
    charts[name] = new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      plugins: extra && extra.gaps ? [gapPlugin] : [],
      options: Object.assign({
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: { callbacks: { title: function (items) { /* the label whole, on one line */
            var chart = items[0].chart, index = items[0].dataIndex;
            return chart.$tacliFull ? chart.$tacliFull[index] : items[0].label;
          } } }
        },
        scales: { y: { beginAtZero: true } }
      }, options || {})
    });
    charts[name].$tacliFull = full;
    charts[name].$tacliGaps = extra && extra.gaps;
    charts[name].update();
  }
  /* A horizontal chart's height: enough for each bar's label, whole. */
  function height(labels, bars) {
    var lines = labels.reduce(function (sum, label) { return sum + Math.max(Array.isArray(label) ? label.length : 1, bars); }, 0);
    return Math.max(200, 70 + lines * 17 + labels.length * 10);
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
  /* Bars across, every label drawn (none skipped when they are long). */
  var HORIZONTAL = { indexAxis: "y", scales: { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } } };

  function draw(v) {
    Object.keys(v.figures).forEach(function (key) {
      var node = document.querySelector('[data-figure="' + key + '"]');
      if (!node) { return; }
      var value = v.figures[key];
      node.textContent = /_share$|_rate$/.test(key) ? pct(value) : /hours$/.test(key) ? fmt(value) : String(value);
      document.querySelectorAll('[data-plural-of="' + key + '"]').forEach(function (word) {  /* "1 report overdue", "2 reports overdue" */
        word.textContent = value === 1 ? word.getAttribute("data-one") : word.getAttribute("data-many");
      });
    });
    document.querySelectorAll("[data-when-some]").forEach(function (node) { node.hidden = !v.figures[node.getAttribute("data-when-some")]; });
    document.querySelectorAll("[data-when-none]").forEach(function (node) { node.hidden = !!v.figures[node.getAttribute("data-when-none")]; });  /* "No report was due yet" */
    document.getElementById("item-counts").textContent = v.item_counts_text;
    fill("items", v.items.map(function (index) {
      var item = data.items[index];
      return [cell("td", item.due, "date", "Due"), cell("td", item.overdue ? strong(item.when) : item.when, null, "Standing"),
        cell("td", item.n + " " + kindName(item.k, item.n), "kind", "Kind"), cell("td", link(item.e), null, "Engagement"),
        cell("td", item.sd ? [item.service + " ", span("(" + item.sd + ")", "date")] : item.service, null, "Service"), cell("td", [item.what, how(item.cmd)], null, "What to do"), cell("td", item.who, null, "Facilitator")];
    }), 7, "Nothing is overdue or due within " + data.look_ahead_days + " days.");
    fill("facilitators", v.facilitators.map(function (f) {
      return [cell("th", f[0]), cell("td", String(f[1]), "num", "Engagements"), cell("td", String(f[2]), "num", "Services"), cell("td", fmt(f[3]), "num", "Hours"),
        cell("td", warnIf(f[4]), "num", "Items overdue"), cell("td", String(f[5]), "num", "Reports on time"), cell("td", String(f[6]), "num", "Reports late"),
        cell("td", warnIf(f[7]), "num", "Reports overdue"), cell("td", pct(f[8]), "num", "On-time rate")];
    }), 9, "No facilitator.");
    fill("months", monthTableRows(v.months), 2, "No hours.");
    fill("support_types", hoursRows(v.support_types), 2, "No hours.");
    fill("topics", hoursRows(v.topics), 2, "No hours.");
    fill("partners", hoursRows(v.partners), 2, "No hours.");
    fill("stages", v.stages.map(function (s) {
      return [cell("th", s[1]), cell("td", String(s[2]), "num"), cell("td", String(s[4]), "num"), cell("td", String(s[3]), "num"), cell("td", pct(s[5]), "num")];
    }), 5, "No duties.");
    fill("report_months", v.report_months.map(function (r) {
      return [cell("th", r[0]), cell("td", String(r[1]), "num"), cell("td", String(r[2]), "num"), cell("td", String(r[3]), "num"),
        cell("td", warnIf(r[4]), "num"), cell("td", pct(r[5]), "num")];
    }), 6, "No report was due.");
    fill("coaching", v.coaching.map(function (c) {
      return [cell("th", link(c[0])), cell("td", fmt(c[1]), "num"), cell("td", fmt(c[2]), "num"), c[1] > c[2] ? cell("td", strong("over the cap")) : cell("td", fmt(c[2] - c[1]) + " left")];
    }), 4, "No engagement with an hour cap.");
    fill("reach", v.reach.map(function (r) {
      var reached = r[1] === null ? "not counted" : String(r[1]) + (r[2] ? " of " + r[2] : "");
      var minimum = r[5] === null ? "\u2013" : fmt(r[5]) + "%" + (r[6] ? " (" + (r[6] in data.labels.fw ? data.labels.fw[r[6]] : r[6]) + ")" : "");
      return [cell("th", link(r[0])), cell("td", reached, "num", "Reached"), cell("td", pct(r[3]), "num", "Share"),
        cell("td", r[4] === null ? "not set" : fmt(r[4]) + "%", "num", "The engagement's own target"),
        cell("td", minimum, "num", "The standards' minimum"), cell("td", standing(r[7]), null, "Standing")];
    }), 6, "No intensive engagement.");
    var chosen = {};
    (v.engagementIndexes || []).forEach(function (index) { chosen[index] = true; });
    document.querySelectorAll('table[data-table="engagements"] tr[data-engagement]').forEach(function (row) {
      row.hidden = v.engagementIndexes ? !chosen[row.getAttribute("data-engagement")] : false;
    });

    var months = v.months;
    barChart("months", months.map(function (r) { return r[1]; }), [{ label: "Hours", data: months.map(function (r) { return r[2]; }), backgroundColor: COLORS[0] }], null, {
      gaps: months.map(function (r, index) { return [index, r[3]]; }).filter(function (g) { return months[g[0]][2] === null; })
    });
    function hours(name, rows) {
      var canvas = document.getElementById("chart-" + name), width = canvas ? labelWidth(canvas) : 30;
      var labels = rows.map(function (r) { return wrap(r[1], width); });
      barChart(name, labels, [{ label: "Hours", data: rows.map(function (r) { return r[2]; }), backgroundColor: COLORS[0] }], HORIZONTAL,
        { full: rows.map(function (r) { return r[1]; }), height: height(labels, 1) });
    }
    hours("support_types", v.support_types);
    hours("topics", v.topics);
    hours("partners", v.partners);
    barChart("stages", v.stages.map(function (s) { return s[1]; }), [
      { label: "Done", data: v.stages.map(function (s) { return s[2]; }), backgroundColor: STAGE_COLORS.done },
      { label: "Open", data: v.stages.map(function (s) { return s[4]; }), backgroundColor: STAGE_COLORS.open },
      { label: "Not applicable", data: v.stages.map(function (s) { return s[3]; }), backgroundColor: STAGE_COLORS.na }
    ], { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true, ticks: { autoSkip: false } } } });
    barChart("report_months", v.report_months.map(function (r) { return r[0]; }), [
      { label: "On time", data: v.report_months.map(function (r) { return r[2]; }), backgroundColor: STAGE_COLORS.done, maxBarThickness: 64 },
      { label: "Late", data: v.report_months.map(function (r) { return r[3]; }), backgroundColor: COLORS[1], maxBarThickness: 64 },
      { label: "Overdue", data: v.report_months.map(function (r) { return r[4]; }), backgroundColor: STAGE_COLORS.open, maxBarThickness: 64 }
    ], { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } });
    function titles(name, rows) {
      var canvas = document.getElementById("chart-" + name), width = canvas ? labelWidth(canvas) : 30;
      return rows.map(function (r) { return wrap(data.engagements[r[0]].title, width); });
    }
    var coaching = most(v.coaching, "coaching", function (c) { return c[1] / c[2]; });
    var coachingLabels = titles("coaching", coaching);
    barChart("coaching", coachingLabels, [
      { label: "Hours counted", data: coaching.map(function (c) { return c[1]; }), backgroundColor: COLORS[0] },
      { label: "Cap", data: coaching.map(function (c) { return c[2]; }), backgroundColor: COLORS[1] }
    ], HORIZONTAL, { full: coaching.map(function (c) { return data.engagements[c[0]].title; }), height: height(coachingLabels, 2) });
    var reach = most(v.reach, "reach", function (r) { return r[3] === null ? 1 : 1 - r[3]; });
    var reachLabels = titles("reach", reach);
    barChart("reach", reachLabels, [
      { label: "Reached (%)", data: reach.map(function (r) { return r[3] === null ? null : Math.floor(r[3] * 1000 + 0.5) / 10; }), backgroundColor: COLORS[0] },
      { label: "The engagement's own target (%)", data: reach.map(function (r) { return r[4]; }), backgroundColor: COLORS[2] },
      { label: "The standards' minimum (%)", data: reach.map(function (r) { return r[5]; }), backgroundColor: COLORS[1] }
    ], { indexAxis: "y", scales: { x: { beginAtZero: true, suggestedMax: 100 }, y: { ticks: { autoSkip: false } } } },
    { full: reach.map(function (r) { return data.engagements[r[0]].title; }), height: height(reachLabels, 3) });
  }

  function describe(filter, v, unknown) {
    var parts = [];
    if (filter.year) { parts.push("school year " + filter.year); }
    if (filter.facilitator) { parts.push("facilitator " + filter.facilitator); }
    if (!filter.anyPartner) { parts.push("partner " + form.elements.partner.selectedOptions[0].textContent); }
    if (filter.tier) { parts.push(form.elements.tier.selectedOptions[0].textContent); }
    var count = v.figures.engagements + " engagement" + (v.figures.engagements === 1 ? "" : "s");
    var text = parts.length ? "Showing " + count + ": " + parts.join(", ") + "." : "Showing every engagement, every school year.";
    if (unknown && unknown.length) { text += " This dashboard has no " + unknown.join(" and no ") + ", so that filter of the link is not applied."; }
    return text;
  }

  function update(unknown) {
    var filter = selected();
    var sum = combine(chosenRecords(filter));
    var v = view(sum, filter);
    v.engagementIndexes = sum.engagements;
    draw(v);
    document.getElementById("filter-status").textContent = describe(filter, v, unknown);
  }

  form.hidden = false;
  form.addEventListener("change", function () { toAddress(); update(); });
  form.addEventListener("reset", function () { setTimeout(function () { toAddress(); update(); }, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); toAddress(); update(); });
  window.addEventListener("popstate", function () { update(fromAddress()); });
  window.addEventListener("hashchange", function () { if (/=/.test(location.hash)) { update(fromAddress()); } });
  /* Printed, the folded tables show, then fold again. */
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(document.querySelectorAll("details.data"), function (d) { return !d.open; });
    unfolded.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { unfolded.forEach(function (d) { d.open = false; }); unfolded = []; });
  update(fromAddress());
}());
