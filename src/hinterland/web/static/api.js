// Minimal offline renderer of /openapi.json (no CDN: the API reference works without internet).
"use strict";
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const ref = (s) => (s && s.$ref ? `<a href="#schema-${esc(s.$ref.split("/").pop())}">${esc(s.$ref.split("/").pop())}</a>` :
  s && s.type ? esc(s.type + (s.items ? "[" + (s.items.$ref ? s.items.$ref.split("/").pop() : s.items.type || "") + "]" : "")) :
  s && (s.anyOf || s.oneOf) ? (s.anyOf || s.oneOf).map(ref).join(" | ") : "");
async function main() {
  const token = sessionStorage.getItem("hinterland-token");
  const res = await fetch("/openapi.json", { headers: token ? { Authorization: "Bearer " + token } : {} });
  const spec = await res.json();
  document.getElementById("intro").textContent = `${spec.info.title} ${spec.info.version}: ${spec.info.description || ""}`;
  let html = "";
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters || []).map((p) => `<code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ", required" : ""}${p.schema ? ": " + ref(p.schema) : ""})`).join(", ");
      const body = op.requestBody ? ref(Object.values(op.requestBody.content)[0].schema) : "";
      const resp = Object.entries(op.responses || {}).map(([code, r]) => `${esc(code)}${r.content && r.content["application/json"] ? " " + ref(r.content["application/json"].schema) : ""}`).join("; ");
      html += `<section class="card" style="margin:8px 0"><div class="cardhead"><h2><code>${method.toUpperCase()} ${esc(path)}</code></h2>` +
        `<span class="pill" style="background:#e7ecf1">${esc((op.tags || []).join(", "))}</span></div>` +
        `<div>${esc(op.summary || "")}</div><div class="hint">${esc(op.description || "")}</div>` +
        (params ? `<div>Parameters: ${params}</div>` : "") + (body ? `<div>Body: ${body}</div>` : "") + `<div>Responses: ${resp}</div></section>`;
    }
  }
  document.getElementById("paths").innerHTML = html;
  let sh = "";
  for (const [name, s] of Object.entries((spec.components || {}).schemas || {})) {
    const rows = Object.entries(s.properties || {}).map(([k, v]) => `<tr><td><code>${esc(k)}</code>${(s.required || []).includes(k) ? " *" : ""}</td><td>${ref(v)}${v.enum ? " " + esc(v.enum.join("|")) : ""}${v.const ? " = " + esc(v.const) : ""}</td><td class="hint">${esc(v.description || "")}</td></tr>`).join("");
    sh += `<section class="card" id="schema-${esc(name)}" style="margin:8px 0"><h3>${esc(name)}</h3><div class="hint">${esc(s.description || "")}</div><table>${rows}</table></section>`;
  }
  document.getElementById("schemas").innerHTML = sh;
}
document.addEventListener("DOMContentLoaded", main);
