// hinterland dashboard: vanilla JS, no external resources. Talks to the REST API under /api.
"use strict";

const I18N = {
  zh: { title: "国家战略腹地决策支持", subtitle: "Strategic hinterland decision support", apidocs: "API 文档",
    token: "访问令牌", save: "保存", tokenhint: "服务器要求令牌（Authorization: Bearer）", map: "省级地图",
    layer: "图层", year: "年份", scenario: "情景编辑器", load: "载入", validate: "校验", runshock: "运行冲击模拟",
    jobs: "计算任务", run: "运行", options: "选项 (JSON)", runs: "运行记录与比较", refresh: "刷新",
    compare: "比较所选", footer: "数据：国家统计局等公开来源；仅供研究。", indicators: "指标", scores: "评价得分",
    nodata: "无数据", valid: "✓ 校验通过", invalid: "✗ 有错误", cancel: "取消", files: "下载",
    nostore: "结果库不可用", noruns: "暂无运行记录", pick2: "请选择两条记录", library: "情景库",
    nolib: "（情景库暂不可用）", scorespending: "评价得分计算中…", submitted: "已提交任务", role: "定位",
    core: "核心区", hinterland: "腹地", front: "前沿", badjson: "选项不是合法 JSON", checks: "检查项",
    assess: "评估", assessment: "规划评估（亿元）", pays: "划算", notpays: "不划算", net: "年净收益",
    benefit: "年期望收益", cost: "年化成本", avoided: "避免的增加值损失 均值 [5%, 95%]", hurts: "使损失上升的概率",
    levers: "各项措施（单独，中心情景）", emptyrec: "没有措施划算：推荐组合为空" },
  en: { title: "Strategic Hinterland Decision Support", subtitle: "国家战略腹地决策支持", apidocs: "API docs",
    token: "Access token", save: "Save", tokenhint: "The server requires a token (Authorization: Bearer)",
    map: "Province map", layer: "Layer", year: "Year", scenario: "Scenario editor", load: "Load",
    validate: "Validate", runshock: "Run shock", jobs: "Jobs", run: "Run", options: "Options (JSON)",
    runs: "Runs and comparison", refresh: "Refresh", compare: "Compare selected",
    footer: "Data: National Bureau of Statistics and other public sources; for research only.",
    indicators: "Indicators", scores: "Evaluation scores", nodata: "no data", valid: "✓ valid",
    invalid: "✗ errors", cancel: "Cancel", files: "Downloads", nostore: "Result store not available",
    noruns: "No runs yet", pick2: "Select two runs", library: "Library", nolib: "(scenario library not available)",
    scorespending: "Scores are being computed…", submitted: "Job submitted", role: "Role", core: "core",
    hinterland: "hinterland", front: "front", badjson: "Options are not valid JSON", checks: "checks",
    assess: "Assessment", assessment: "Plan assessment (1e8 CNY)", pays: "pays", notpays: "does not pay",
    net: "net benefit/yr", benefit: "expected benefit/yr", cost: "annual cost",
    avoided: "value-added loss avoided, mean [5 %, 95 %]", hurts: "P(plan raises the loss)",
    levers: "Each lever alone (central draw)", emptyrec: "No lever pays: the recommended portfolio is empty" },
};
const RAMP = ["#f7fbff", "#c6dbef", "#85bcdb", "#4292c6", "#2166ac", "#0b3d7a"];
const S = { lang: "zh", token: sessionStorage.getItem("hinterland-token") || "", regions: {}, layers: [],
  geo: null, values: {}, layer: null, timer: null, jobsSeen: {} };

const $ = (id) => document.getElementById(id);
const t = (k) => (I18N[S.lang][k] || k);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

async function api(path, opts = {}) {
  const headers = Object.assign({}, opts.headers || {});
  if (S.token) headers["Authorization"] = "Bearer " + S.token;
  if (opts.json !== undefined) { headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(opts.json); }
  const res = await fetch(path, { method: opts.method || "GET", headers, body: opts.body });
  if (res.status === 401) { $("tokenbar").classList.remove("hidden"); }
  let data = null;
  const ct = res.headers.get("content-type") || "";
  if (ct.includes("json")) data = await res.json(); else data = await res.text();
  return { ok: res.ok, status: res.status, data };
}
function detail(r) {
  const d = r.data && r.data.detail !== undefined ? r.data.detail : r.data;
  if (Array.isArray(d)) return d.map((e) => (e.loc ? e.loc.join(".") + ": " : "") + e.msg).join("; ");
  return typeof d === "string" ? d : JSON.stringify(d);
}

// ---- i18n ------------------------------------------------------------------------------------
function applyLang() {
  document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("lang").textContent = S.lang === "zh" ? "English" : "中文";
  fillLayers(); drawMap(); refreshJobs();
  if (S.geo) { loadLibrary(); loadRuns(); }
}

// ---- map -------------------------------------------------------------------------------------
// Albers equal-area conic for China (standard parallels 25°N and 47°N, central meridian 105°E).
const RAD = Math.PI / 180, P1 = 25 * RAD, P2 = 47 * RAD, L0 = 105 * RAD, F0 = 0;
const N = (Math.sin(P1) + Math.sin(P2)) / 2, C = Math.cos(P1) ** 2 + 2 * N * Math.sin(P1);
const R0 = Math.sqrt(C - 2 * N * Math.sin(F0)) / N;
function albers(lon, lat) {
  const r = Math.sqrt(C - 2 * N * Math.sin(lat * RAD)) / N, th = N * (lon * RAD - L0);
  return [r * Math.sin(th), -(R0 - r * Math.cos(th))];
}
function polygons(geom) { return geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates; }

const ISLAND_LAT = 17.0; // rings wholly south of this (South China Sea islands) go into an inset
function buildMap() {
  const svg = $("map");
  const box = () => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity });
  const grow = (bb, q) => { bb.x0 = Math.min(bb.x0, q[0]); bb.x1 = Math.max(bb.x1, q[0]); bb.y0 = Math.min(bb.y0, q[1]); bb.y1 = Math.max(bb.y1, q[1]); };
  const main = box(), isl = box();
  const proj = S.geo.features.map((f) => polygons(f.geometry).map((poly) => poly.map((ring) => {
    const island = ring.every(([, lat]) => lat < ISLAND_LAT);
    const pts = ring.map(([x, y]) => albers(x, y)); // SVG y grows downwards: albers() returns minus the northing
    pts.forEach((q) => grow(island ? isl : main, q));
    pts.island = island;
    return pts; })));
  const W = 1000, pad = 12, k = (W - 2 * pad) / (main.x1 - main.x0), H = Math.round((main.y1 - main.y0) * k + 2 * pad);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  // inset (南海诸岛) in the lower right corner, at 0.55 of the main scale
  const ki = k * 0.55, iw = (isl.x1 - isl.x0) * ki + 16, ih = (isl.y1 - isl.y0) * ki + 30;
  const ix = W - pad - iw, iy = H - pad - ih;
  const sxy = (q, island) => island
    ? [(ix + 8 + (q[0] - isl.x0) * ki).toFixed(1), (iy + 8 + (q[1] - isl.y0) * ki).toFixed(1)]
    : [(pad + (q[0] - main.x0) * k).toFixed(1), (pad + (q[1] - main.y0) * k).toFixed(1)];
  const sx = (x) => (pad + (x - main.x0) * k).toFixed(1), sy = (y) => (pad + (y - main.y0) * k).toFixed(1);
  let html = Number.isFinite(isl.x0) ? `<rect x="${ix.toFixed(1)}" y="${iy.toFixed(1)}" width="${iw.toFixed(1)}" height="${ih.toFixed(1)}" fill="#f7fafc" stroke="#8a96a3" stroke-width="1"></rect>` +
    `<text x="${(ix + iw / 2).toFixed(1)}" y="${(iy + ih - 8).toFixed(1)}" text-anchor="middle" class="inset">南海诸岛</text>` : "";
  S.geo.features.forEach((f, i) => {
    let d = "", best = null, area = 0;
    proj[i].forEach((poly) => poly.forEach((ring, j) => {
      d += "M" + ring.map((q) => sxy(q, ring.island).join(",")).join("L") + "Z";
      if (j === 0 && !ring.island) { // label at the bbox centre of the largest outer ring
        let a = 0, bx0 = Infinity, bx1 = -Infinity, by0 = Infinity, by1 = -Infinity;
        ring.forEach(([x, y], n) => { const [x2, y2] = ring[(n + 1) % ring.length]; a += x * y2 - x2 * y;
          bx0 = Math.min(bx0, x); bx1 = Math.max(bx1, x); by0 = Math.min(by0, y); by1 = Math.max(by1, y); });
        if (Math.abs(a) > area) { area = Math.abs(a); best = [(bx0 + bx1) / 2, (by0 + by1) / 2]; }
      }
    }));
    const id = f.properties.region;
    html += `<path d="${d}" data-region="${id}" fill="#c9cfd6" fill-rule="evenodd"></path>`;
    if (best) f.properties._label = [sx(best[0]), sy(best[1])];
  });
  S.geo.features.forEach((f) => { if (f.properties._label) {
    const [x, y] = f.properties._label;
    html += `<text x="${x}" y="${y}" text-anchor="middle" data-label="${f.properties.region}"></text>`; } });
  svg.innerHTML = html;
  svg.querySelectorAll("path").forEach((p) => {
    p.addEventListener("mousemove", (ev) => hover(ev, p));
    p.addEventListener("mouseleave", () => { $("tooltip").classList.add("hidden"); p.classList.remove("hot"); });
  });
}

function fmt(v) {
  if (v === null || v === undefined) return t("nodata");
  const a = Math.abs(v);
  if (a >= 1e4) return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}
function breaks(vals) { // quantile class breaks (RAMP.length classes)
  const s = vals.filter((v) => v !== null).sort((a, b) => a - b);
  if (!s.length) return [];
  return RAMP.map((_, i) => s[Math.min(s.length - 1, Math.floor((i / RAMP.length) * s.length))]).concat([s[s.length - 1]]);
}
function colour(v, br, reverse) {
  if (v === null || v === undefined || !br.length) return "#c9cfd6";
  let c = 0; for (let i = 1; i < RAMP.length; i++) if (v >= br[i]) c = i;
  return RAMP[reverse ? RAMP.length - 1 - c : c];
}
function drawMap() {
  if (!S.geo || !S.layer) return;
  const info = S.layer.layer, vals = S.values;
  const br = breaks(Object.values(vals));
  const reverse = info.direction === "cost";
  $("map").querySelectorAll("path").forEach((p) => {
    const v = vals[p.dataset.region];
    p.setAttribute("fill", colour(v, br, reverse));
    p.dataset.value = v === undefined || v === null ? "" : v;
  });
  $("map").querySelectorAll("text[data-label]").forEach((el) => {
    const r = S.regions[el.dataset.label];
    el.textContent = r ? (S.lang === "zh" ? r.short_zh : r.name_en) : "";
    if (r && S.lang === "en") el.style.fontSize = "9px"; else el.style.fontSize = "";
  });
  const name = S.lang === "zh" ? info.label_zh : info.label_en;
  const unit = info.unit ? ` (${info.unit})` : "";
  const cols = reverse ? RAMP.slice().reverse() : RAMP;
  let html = `<strong class="lt">${esc(name)}${esc(unit)}${S.layer.year ? " · " + S.layer.year : ""}</strong><div class="classes">`;
  br.slice(0, RAMP.length).forEach((b, i) => {
    html += `<div class="cls"><span style="background:${cols[i]}"></span><small>${esc(fmt(b))}–${esc(fmt(br[i + 1]))}</small></div>`;
  });
  html += `<div class="cls"><span style="background:#c9cfd6"></span><small>${t("nodata")}</small></div></div>`;
  $("legend").innerHTML = html;
  $("layernote").textContent = S.layer.source ? "source: " + S.layer.source : "";
}
function hover(ev, p) {
  const r = S.regions[p.dataset.region];
  if (!r || !S.layer) return;
  const info = S.layer.layer, v = p.dataset.value === "" ? null : Number(p.dataset.value);
  const tip = $("tooltip");
  tip.innerHTML = `<strong>${esc(r.short_zh)} · ${esc(r.name_en)}</strong> <span>(${r.id})</span><br>` +
    `${esc(S.lang === "zh" ? info.label_zh : info.label_en)}: <strong>${esc(fmt(v))}</strong> ${esc(info.unit || "")}<br>` +
    `${t("role")}: ${t(r.role)}`;
  const box = $("mapwrap").getBoundingClientRect();
  tip.style.left = Math.min(ev.clientX - box.left + 14, box.width - 220) + "px";
  tip.style.top = (ev.clientY - box.top + 14) + "px";
  tip.classList.remove("hidden");
  p.classList.add("hot");
}

function fillLayers() {
  const sel = $("layer"); const cur = sel.value;
  sel.innerHTML = "";
  for (const group of ["score", "indicator"]) {
    const items = S.layers.filter((l) => l.group === group);
    if (!items.length) continue;
    const og = document.createElement("optgroup");
    og.label = group === "score" ? t("scores") : t("indicators");
    items.forEach((l) => { const o = document.createElement("option");
      o.value = group + ":" + l.id; o.textContent = S.lang === "zh" ? l.label_zh : l.label_en; og.appendChild(o); });
    sel.appendChild(og);
  }
  if (cur && [...sel.options].some((o) => o.value === cur)) sel.value = cur;
}
function fillYears() {
  const [group, id] = $("layer").value.split(":");
  const info = S.layers.find((l) => l.group === group && l.id === id);
  const ys = $("year"); const cur = ys.value; ys.innerHTML = "";
  (info && info.years.length ? info.years.slice().reverse() : []).forEach((y) => {
    const o = document.createElement("option"); o.value = y; o.textContent = y; ys.appendChild(o); });
  ys.disabled = !ys.options.length;
  if (cur && [...ys.options].some((o) => o.value === cur)) ys.value = cur;
}
async function loadLayer() {
  const [group, id] = $("layer").value.split(":");
  if (!id) return;
  const y = $("year").value;
  const path = group === "score" ? `/api/layers/score/${encodeURIComponent(id)}`
    : `/api/layers/indicator/${encodeURIComponent(id)}` + (y ? `?year=${y}` : "");
  const r = await api(path);
  if (!r.ok) { $("layernote").textContent = detail(r); return; }
  S.layer = r.data; S.values = {};
  r.data.values.forEach((x) => { S.values[x.region] = x.value; });
  $("map").dataset.layer = id;
  drawMap();
}
async function loadCatalogue(first) {
  const r = await api("/api/layers");
  if (!r.ok) return;
  S.layers = r.data.layers;
  fillLayers();
  if (first) { const o = [...$("layer").options].find((x) => x.value === "score:score") ||
    [...$("layer").options].find((x) => x.value === "indicator:gdp") || $("layer").options[0];
    if (o) $("layer").value = o.value; fillYears(); await loadLayer(); }
  if (r.data.scores_state === "pending" || r.data.scores_state === "running") {
    $("layernote").textContent = t("scorespending");
    setTimeout(async () => { const had = S.layers.some((l) => l.group === "score");
      await loadCatalogue(false);
      if (!had && S.layers.some((l) => l.group === "score")) { $("layer").value = "score:score"; fillYears(); loadLayer(); }
    }, 1500);
  }
}

// ---- scenarios -------------------------------------------------------------------------------
async function loadLibrary() {
  const r = await api("/api/scenarios"); const sel = $("library"); sel.innerHTML = "";
  const head = document.createElement("option"); head.value = ""; sel.appendChild(head);
  if (!r.ok || !r.data.available) { head.textContent = t("nolib"); $("loadlib").disabled = true; return; }
  head.textContent = t("library") + " …";
  r.data.scenarios.forEach((s) => { const o = document.createElement("option"); o.value = s.name;
    o.textContent = s.name + (s.title ? " · " + s.title : ""); sel.appendChild(o); });
}
async function validateScenario() {
  const r = await api("/api/scenarios/validate", { method: "POST", json: { yaml: $("scenario").value } });
  const ul = $("valerrors"); ul.innerHTML = "";
  if (!r.ok) { $("valstatus").textContent = `${r.status}: ${detail(r)}`; return false; }
  $("valstatus").textContent = (r.data.valid ? t("valid") : t("invalid")) + ` · ${t("checks")}: ${r.data.checks.join(", ")}`;
  $("valstatus").dataset.valid = r.data.valid;
  r.data.errors.forEach((e) => { const li = document.createElement("li");
    li.innerHTML = `<code>${esc(e.path || "(document)")}</code>${e.line ? " (line " + e.line + ")" : ""}: ${esc(e.message)}`;
    ul.appendChild(li); });
  return r.data.valid;
}

// ---- jobs ------------------------------------------------------------------------------------
async function submitJob(kind, options) {
  const r = await api("/api/jobs", { method: "POST", json: { kind, options } });
  $("jobmsg").textContent = r.ok ? `${t("submitted")}: ${r.data.id}` : `${r.status}: ${detail(r)}`;
  $("jobmsg").dataset.status = r.status;
  refreshJobs();
  return r;
}
async function cancelJob(id) { await api(`/api/jobs/${id}`, { method: "DELETE" }); refreshJobs(); }
async function toggleFiles(id, li) {
  const box = li.querySelector(".files");
  if (!box.classList.contains("hidden")) { box.classList.add("hidden"); return; }
  const r = await api(`/api/jobs/${id}/outputs`);
  if (!r.ok) return;
  box.innerHTML = r.data.files.map((f) => `<a href="${esc(f.url)}" download data-path="${esc(f.path)}">${esc(f.path)}</a>`).join("") || "–";
  box.querySelectorAll("a").forEach((a) => a.addEventListener("click", (ev) => download(ev, a)));
  box.classList.remove("hidden");
}
async function download(ev, a) { // with a token, fetch with the header and hand the blob to the browser
  if (!S.token) return;
  ev.preventDefault();
  const res = await fetch(a.getAttribute("href"), { headers: { Authorization: "Bearer " + S.token } });
  const url = URL.createObjectURL(await res.blob());
  const tmp = document.createElement("a"); tmp.href = url; tmp.download = a.dataset.path.split("/").pop(); tmp.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}
async function refreshJobs() {
  const r = await api("/api/jobs");
  if (!r.ok) return;
  const ul = $("joblist");
  const open = new Set([...ul.querySelectorAll("li")].filter((li) => !li.querySelector(".files").classList.contains("hidden")).map((li) => li.dataset.job));
  ul.innerHTML = "";
  let active = false;
  r.data.jobs.slice(0, 30).forEach((j) => {
    const li = document.createElement("li"); li.dataset.job = j.id; li.dataset.state = j.state;
    const live = j.state === "queued" || j.state === "running"; active = active || live;
    li.innerHTML = `<div class="jobline"><span class="kind">${esc(j.kind)}</span><span class="state ${j.state}">${j.state}</span>` +
      `<div class="bar"><div style="width:${Math.round(j.fraction * 100)}%"></div></div><span>${Math.round(j.fraction * 100)}%</span>` +
      (live ? `<button type="button" class="cancel">${t("cancel")}</button>` : "") +
      `<button type="button" class="filesbtn">${t("files")}</button></div>` +
      `<div class="stage">${esc(j.id)} · ${esc(j.error || j.stage)}</div><div class="files hidden"></div>`;
    const c = li.querySelector(".cancel"); if (c) c.addEventListener("click", () => cancelJob(j.id));
    li.querySelector(".filesbtn").addEventListener("click", () => toggleFiles(j.id, li));
    ul.appendChild(li);
    if (open.has(j.id)) toggleFiles(j.id, li);
  });
  clearTimeout(S.timer);
  S.timer = setTimeout(refreshJobs, active ? 700 : 4000);
}

// ---- runs ------------------------------------------------------------------------------------
async function loadRuns() {
  const r = await api("/api/runs");
  const thead = $("runs").querySelector("thead"), tbody = $("runs").querySelector("tbody");
  thead.innerHTML = ""; tbody.innerHTML = "";
  if (!r.ok) { $("runsnote").textContent = (r.status === 503 ? t("nostore") + " — " : "") + detail(r); $("compare").disabled = true; return; }
  $("compare").disabled = false;
  const runs = r.data.runs;
  $("runsnote").textContent = runs.length ? "" : t("noruns");
  if (!runs.length) return;
  const cols = Object.keys(runs[0]).filter((k) => typeof runs[0][k] !== "object").slice(0, 5);
  thead.innerHTML = "<tr><th></th>" + cols.map((c) => `<th>${esc(c)}</th>`).join("") + "</tr>";
  runs.forEach((run) => { const id = run.run_id ?? run.id ?? run[cols[0]];
    const more = run.kind === "plan" && run.status === "finished" ? `<button type="button" class="assessbtn" data-run="${esc(id)}">${t("assess")}</button>` : "";
    tbody.innerHTML += `<tr><td><input type="checkbox" value="${esc(id)}"></td>` + cols.map((c) => `<td>${esc(run[c] ?? "")}</td>`).join("") + `<td>${more}</td></tr>`; });
  tbody.querySelectorAll(".assessbtn").forEach((b) => b.addEventListener("click", () => showAssessment(b.dataset.run)));
}
async function runTable(id, name) {
  const r = await api(`/api/runs/${encodeURIComponent(id)}/tables/${name}`);
  if (!r.ok) return null;
  return r.data.rows.map((row) => Object.fromEntries(r.data.columns.map((c, i) => [c, row[i]])));
}
function num(v, d = 1) { return v === null || v === undefined || Number.isNaN(+v) ? "–" : (+v).toLocaleString(undefined, { maximumFractionDigits: d, minimumFractionDigits: d }); }
function bandChart(rows) { // one whisker (5–95 %) and dot (mean) per scenario × arm, zero line
  const W = 520, rowH = 18, pad = 150, H = rows.length * rowH + 24;
  const lo = Math.min(0, ...rows.map((r) => +r.avoided_p05)), hi = Math.max(0, ...rows.map((r) => +r.avoided_p95));
  const x = (v) => pad + (W - pad - 10) * ((v - lo) / ((hi - lo) || 1));
  let svg = `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(t("avoided"))}">`;
  svg += `<line x1="${x(0)}" x2="${x(0)}" y1="0" y2="${H - 20}" stroke="#a4161a" stroke-dasharray="3,3"/>`;
  rows.forEach((r, i) => { const y = 12 + i * rowH, c = r.arm === "recommended" ? "#2a9d8f" : "#1d6fa5";
    svg += `<text x="4" y="${y + 4}" font-size="10">${esc(r.scenario)} · ${esc(r.arm)}</text>`;
    svg += `<line x1="${x(+r.avoided_p05)}" x2="${x(+r.avoided_p95)}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="2"/>`;
    svg += `<circle cx="${x(+r.avoided_mean)}" cy="${y}" r="3.5" fill="${c}"/>`; });
  svg += `<text x="${pad}" y="${H - 4}" font-size="10">${num(lo, 0)}</text><text x="${W - 60}" y="${H - 4}" font-size="10">${num(hi, 0)}</text></svg>`;
  return svg;
}
async function showAssessment(id) {
  const box = $("assessment");
  box.classList.remove("hidden");
  const [port, scen, levers] = await Promise.all(["assessment_portfolio", "assessment_scenarios", "assessment_levers"].map((n) => runTable(id, n)));
  if (!port || !scen) { box.textContent = t("nodata"); return; }
  let html = `<h3>${t("assessment")} · ${esc(id)}</h3><table><thead><tr><th></th><th>${t("benefit")}</th><th>${t("cost")}</th><th>${t("net")} [5%, 95%]</th><th></th></tr></thead><tbody>`;
  port.forEach((p) => { html += `<tr><td>${esc(p.arm)}</td><td>${num(p.expected_annual_benefit)}</td><td>${num(p.annual_cost)}</td>` +
    `<td>${num(p.net_benefit)} [${num(p.net_benefit_p05)}, ${num(p.net_benefit_p95)}]</td><td>${p.pays ? "✓ " + t("pays") : "✗ " + t("notpays")}</td></tr>`; });
  html += "</tbody></table>";
  if (!port.some((p) => p.arm === "recommended")) html += `<p class="hint">${t("emptyrec")}</p>`;
  html += `<table><thead><tr><th></th><th>p/yr</th><th>${t("avoided")}</th><th>${t("hurts")}</th></tr></thead><tbody>`;
  scen.forEach((s) => { html += `<tr><td>${esc(s.scenario)} · ${esc(s.arm)}</td><td>${esc(s.probability)}</td>` +
    `<td>${num(s.avoided_mean)} [${num(s.avoided_p05)}, ${num(s.avoided_p95)}]</td><td>${num(s.prob_hurts, 2)}</td></tr>`; });
  html += "</tbody></table>" + bandChart(scen);
  if (levers) { html += `<h3>${t("levers")}</h3><table><thead><tr><th></th><th>${t("benefit")}</th><th>${t("cost")}</th><th></th></tr></thead><tbody>`;
    levers.forEach((l) => { html += `<tr><td>${esc(l.name)}</td><td>${num(l.expected_annual_benefit, 2)}</td><td>${num(l.annual_cost, 2)}</td><td>${l.pays ? "✓" : "✗"}</td></tr>`; });
    html += "</tbody></table>"; }
  box.innerHTML = html;
}
async function compareRuns() {
  const ids = [...$("runs").querySelectorAll("input:checked")].map((x) => x.value);
  if (ids.length !== 2) { $("runsnote").textContent = t("pick2"); return; }
  const r = await api(`/api/runs/diff?a=${encodeURIComponent(ids[0])}&b=${encodeURIComponent(ids[1])}`);
  $("diff").classList.remove("hidden");
  $("diff").textContent = r.ok ? JSON.stringify(r.data.diff, null, 2) : detail(r);
}

// ---- start -----------------------------------------------------------------------------------
async function health() {
  const r = await api("/api/health");
  $("health").textContent = r.ok ? "v" + r.data.version : "offline";
  if (r.ok) { const opts = [...$("kind").options];
    opts.forEach((o) => { if (r.data.kinds[o.value] === false) o.textContent = o.textContent.replace(/ ✗$/, "") + " ✗"; }); }
}
async function start() {
  if (S.token) $("token").value = S.token;
  $("lang").addEventListener("click", () => { S.lang = S.lang === "zh" ? "en" : "zh"; applyLang(); });
  $("tokensave").addEventListener("click", () => { S.token = $("token").value.trim();
    sessionStorage.setItem("hinterland-token", S.token); location.reload(); });
  $("layer").addEventListener("change", () => { fillYears(); loadLayer(); });
  $("year").addEventListener("change", loadLayer);
  $("validate").addEventListener("click", validateScenario);
  $("loadlib").addEventListener("click", async () => { const n = $("library").value; if (!n) return;
    const r = await api(`/api/scenarios/${encodeURIComponent(n)}`); if (r.ok) { $("scenario").value = r.data; $("scenario").dataset.lib = n; } });
  $("scenario").addEventListener("input", () => { delete $("scenario").dataset.lib; });
  $("runshock").addEventListener("click", async () => { if (await validateScenario()) {
    const lib = $("library").value;
    await submitJob("shock", lib && $("scenario").dataset.lib === lib ? { scenario: lib } : { scenario_yaml: $("scenario").value }); } });
  $("runjob").addEventListener("click", () => { let o;
    try { o = JSON.parse($("jobopts").value || "{}"); } catch (e) { $("jobmsg").textContent = t("badjson"); return; }
    submitJob($("kind").value, o); });
  $("refreshruns").addEventListener("click", loadRuns);
  $("compare").addEventListener("click", compareRuns);
  const [rg, geo] = await Promise.all([api("/api/regions"), api("/api/geometry")]);
  if (!rg.ok || !geo.ok) { $("layernote").textContent = detail(rg.ok ? geo : rg); return; }
  rg.data.regions.forEach((r) => { S.regions[r.id] = r; });
  S.geo = geo.data; buildMap();
  applyLang();
  await Promise.all([health(), loadCatalogue(true), loadLibrary(), loadRuns()]);
  document.body.dataset.ready = "1";
}
document.addEventListener("DOMContentLoaded", start);
