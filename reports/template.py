"""The report's HTML template (Jinja2) and stylesheet: one self-contained file, print-ready for WeasyPrint."""

# The page box and its footer. The PDF is rendered in parts side by side, each without footer (NO_FOOTER), and this rule
# alone then draws "page k of n" over the joined pages (initcheck.reports.pdf.render_pdf).
PAGE = """@page { size: A4; margin: 14mm 13mm 15mm 13mm;
        @bottom-center { content: "initcheck report · page " counter(page) " of " counter(pages); font-size: 8pt; color: #666; font-family: "DejaVu Sans", sans-serif; } }
"""
NO_FOOTER = "@page { @bottom-center { content: none; } }"

STYLE = PAGE + """
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.4; color: #1a1a1a; max-width: 60em; margin: auto; }
h1 { font-size: 20pt; margin-bottom: 0.2em; } h2 { font-size: 14pt; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
h3 { font-size: 11.5pt; margin-top: 1.4em; break-after: avoid; } h4 { font-size: 10pt; margin: 0.9em 0 0.3em; break-after: avoid; }
.title { break-after: auto; } .meta td { padding: 1px 10px 1px 0; vertical-align: top; }
table { border-collapse: collapse; margin: 0.4em 0; font-size: 8.5pt; max-width: 100%; }
table.grid { width: 100%; } table.summary { table-layout: fixed; } table.summary td { overflow-wrap: anywhere; }
table.summary .verdict { white-space: normal; display: inline-block; line-height: 1.25; } table.summary tr { break-inside: avoid; }
table.grid td, table.grid th { border: 1px solid #d5d5d5; padding: 2px 5px; vertical-align: top; text-align: left; }
table.grid th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdict { font-weight: bold; padding: 0 4px; border-radius: 3px; white-space: nowrap; }
.v-holds { background: #dff0d8; } .v-holds-under-conditions { background: #fcf3cf; } .v-refuted { background: #f5c6cb; } .v-not-checked { background: #e2e3e5; }
.mark-pass { color: #2e7d32; } .mark-fail { color: #c62828; font-weight: bold; } .mark-none { color: #999; }
.claim { break-before: auto; border-top: 2px solid #888; margin-top: 1.5em; } .claim h3 { margin-top: 0.6em; }
.derivation td { padding: 3px 8px 3px 0; vertical-align: middle; } .derivation svg { vertical-align: middle; max-width: 100%; }
figure { margin: 0.8em 0; break-inside: avoid; } figure svg, figure img.svg { max-width: 100%; height: auto; }
img.svg { vertical-align: middle; max-width: 100%; height: auto; } /* the PDF's form of an inline SVG (pdf._svgs_as_images) */ figcaption { font-size: 8.5pt; color: #333; }
pre { font-size: 7.5pt; white-space: pre-wrap; word-break: break-all; background: #f7f7f7; padding: 4px; }
@media print { .html-only { display: none; } } @media screen { .pdf-only { display: none; } } /* long tables: report.html only */
@media print { body { font-size: 8.2pt; line-height: 1.22; max-width: none; } table { font-size: 7.2pt; } .small, figcaption { font-size: 7.2pt; } table.summary { font-size: 6.8pt; }
  h2 { font-size: 13pt; margin-top: 1.2em; } h3 { font-size: 10.5pt; margin-top: 1em; } h4 { font-size: 9pt; margin: 0.6em 0 0.2em; }
  .claim { margin-top: 1em; } figure { margin: 0.5em auto; width: 68%; } figure.page-wide { width: 100%; } } /* the PDF for reading: ≤ 50 pages (issue 25) */
code.latex { background: #fff3cd; } .small { font-size: 8pt; color: #444; } a { color: #1f4e99; text-decoration: none; }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>initcheck report {{ meta.version }}</title><style>{{ style | safe }}</style></head>
<body>
<section class="title">
<h1>initcheck: verification report</h1>
<p>Every claim of the initialization texts in initcheck's registry (<code>initcheck claims</code> lists them): its derivation, its numbers, its figures and its verdict.</p>
<table class="meta">
{% for key, value in meta.rows %}<tr><td><b>{{ key }}</b></td><td>{{ value }}</td></tr>
{% endfor %}</table>
<h4>How to cite</h4><p>{{ meta.citation }}</p><p class="small">Cite a check by its claim ID, e.g. <code>initcheck {{ meta.version }}, GRAD-INTERVAL-MAX</code>.</p>
<h4>How to reproduce</h4><pre>{{ meta.reproduce }}</pre>
<h4>Verdicts</h4><p>{% for verdict, count in meta.counts %}<span class="verdict v-{{ verdict }}">{{ verdict }}</span> {{ count }} &nbsp; {% endfor %}</p>
<p class="small">A check <i>passes</i> when it behaves as documented: its verdict is the documented one and its foil (a plausible wrong formula) is rejected.
{% if meta.rule %}Statistical rule: |estimate − theory| ≤ {{ meta.rule.z_critical }}·SE, false-failure rate {{ "%.2g" | format(meta.rule.false_failure_rate_per_case) }} per case; samples sized so the foil is rejected with power ≥ {{ meta.rule.power }}.{% endif %}</p>
</section>

<h2 id="summary">Summary</h2>
<p class="small">Claims catalogue {{ meta.catalogue }}: {{ claims | length }} claims, each cited by its ID.</p>
<table class="grid summary">
<colgroup><col style="width:14%"><col style="width:44%"><col style="width:13%"><col style="width:14%">{% for kind in kinds %}<col style="width:3%">{% endfor %}</colgroup>
<tr><th>claim</th><th>statement</th><th>source</th><th>verdict</th>{% for kind in kinds %}<th title="{{ kind }}">{{ kind[:2] }}</th>{% endfor %}</tr>
{% for c in claims %}<tr><td><a href="#{{ c.id }}">{{ c.id }}</a></td><td>{{ c.statement }}</td><td>{{ c.source }}</td>
<td><span class="verdict v-{{ c.verdict }}">{{ c.verdict.split("-") | join("-<wbr>" | safe) }}</span></td>
{% for kind in kinds %}<td>{{ c.marks[kind] | safe }}</td>{% endfor %}</tr>
{% endfor %}</table>
<p class="small">✓ check passed · ✗ check failed · – no check of this kind yet (shown, never hidden). Columns: sy symbolic, si simulation, pr property, re reproduction,
fi figure (✓ drawn from the numbers these results record; – no figure, or its records are not in these results).</p>

{% for c in claims %}
<section class="claim{% if loop.first %} first{% endif %}" id="{{ c.id }}">
<h3>{{ c.id }} <span class="verdict v-{{ c.verdict }}">{{ c.verdict }}</span></h3>
<p>{{ c.statement }}</p>
<p class="small"><b>Source:</b> {{ c.source }}{% if c.hypotheses %} · <b>Hypotheses:</b> {{ c.hypotheses | join("; ") }}{% endif %}{% if c.absent %} · <span class="absent">{{ c.absent }}</span>{% endif %}</p>
<p><b>Verdict.</b> {{ c.verdict_words }}</p>
{% if c.notes %}<p class="small"><b>Note.</b> {{ c.notes }}</p>{% endif %}
{% for check in c.checks %}
<h4>{{ check.kind | capitalize }} check {{ check.mark | safe }}</h4>
{% if check.body %}{{ check.body | safe }}{% else %}<p class="small">{{ check.summary }}</p>{% endif %}
{% endfor %}
{% for fig in c.figures %}
<figure id="{{ fig.id }}">{{ fig.svg | safe }}<figcaption><b>Figure {{ fig.number }}</b> ({{ fig.id }}). {{ fig.caption }}</figcaption></figure>
{% endfor %}
{% for fig in c.figure_refs %}<p class="small">See <a href="#{{ fig.id }}">Figure {{ fig.number }}</a>.</p>{% endfor %}
</section>
{% endfor %}
<section class="claim" id="conformance">
<h2>Conformance of shipped initializers</h2>
{% if conformance %}
<p class="small">Seed {{ conformance.seed }}, tier {{ conformance.tier }}{% if conformance.dtypes is defined and conformance.dtypes == "listed" %}, each entry in its listed dtypes (float32 and the float64/low-precision cases the matrix names; <code>initcheck conform --framework all --dtypes all</code> draws every entry in float32, float64, bfloat16 and float16){% elif conformance.dtypes is defined and conformance.dtypes == "all" %}, every entry in float32, float64, bfloat16 and float16 (a dtype the framework refuses is "refused"){% endif %}: {% for status, count in conformance.counts %}{{ status }} {{ count }}{% if not loop.last %}, {% endif %}{% endfor %}.
Each initializer's draws meet the battery (mean, second moment, fan axis, kurtosis, bound and tails, fit, duplicates, identical rows,
row means, orthogonality where claimed, seed behaviour) at a false-failure rate of at most 1e-6 per initializer; each statistic's
detectable effect is in its record. A framework that is not installed is listed as such, never skipped.</p>
<h4>Failures</h4>
{% if conformance.failing %}<p class="small">One line per initializer and rule, each failing dtype with its failed statistics (KS and A²: the goodness-of-fit tests). A <i>script</i> draws the same tensors and prints those statistics with the framework, NumPy and SciPy alone (exit 1 while the discrepancy is there); <span class="pdf-only">#N is the failure's table of numbers in report.html (#conformance-failure-N).</span><span class="html-only">#N links to the failure's table of numbers below.</span></p>
<ul class="small">{% for g in conformance.failing_groups %}<li><b>{{ g.target }}</b> fails {{ g.rule }} [{% if g.backend %}{{ g.framework }} on {{ g.backend }}, {% endif %}{{ g.layout }}]: {% for d in g.dtypes %}<i>{{ d.dtype }}</i>: {{ d.statistics | join(", ") }}{% if d.repro %} (<a href="{{ d.repro }}">script</a>){% endif %} <a href="#conformance-failure-{{ d.index }}">#{{ d.index }}</a>{% if not loop.last %}; {% endif %}{% endfor %}</li>
{% endfor %}</ul>{% else %}<p class="small">None.</p>{% endif %}
{% for drawn in conformance.svgs %}<figure class="page-wide"{% if loop.first %} id="fig-conformance"{% endif %}>{{ drawn | safe }}<figcaption><b>Conformance</b> (fig-conformance{% if loop.length > 1 %}, part {{ loop.index }} of {{ loop.length }}{% endif %}). Per initializer, every z-scored statistic's |z| over its critical value (log axis); a statistic fails right of the dashed line (red); a failing initializer's name is red; the list of failures above names its failed statistics, and each failure's table (report.html) gives their numbers.</figcaption></figure>{% endfor %}
<div class="html-only">
{% for r in conformance.failing %}<h4 id="conformance-failure-{{ loop.index }}">{{ r.target }}: fails {{ r.rule }} [{% if r.backend is defined and r.backend %}{{ r.framework }} on {{ r.backend }}, {% endif %}{{ r.layout }}, {{ r.dtype }}]</h4>
<p class="small">Documented: {{ r.documented | default("(no documentation recorded)") }}{% if r.claim_id is defined and r.claim_id %} ({{ r.claim_id }}){% endif %}.</p>
<table class="grid"><tr><th>statistic</th><th>probe</th><th>expected</th><th>measured</th><th>z (critical)</th><th>n</th></tr>
{% for t in r.failed_tests %}<tr><td>{{ t.statistic }}</td><td>{{ t.probe }}</td><td>{{ t.expected | short }}</td><td>{{ t.measured | short }}</td><td>{% if t.z is not none %}{{ "%.3g" | format(t.z) }} ({{ "%.3g" | format(t.critical) }}){% else %}exact{% endif %}</td><td>{{ t.n }} {{ t.n_unit }}</td></tr>
{% endfor %}</table>
{% endfor %}
<table class="grid" id="conformance-records"><tr><th>initializer</th><th>framework</th><th>rule</th><th>layout, dtype</th><th>status</th></tr>
{% for r in conformance.records %}<tr{% if r.status == "fail" %} class="off"{% endif %}><td>{{ r.target }}</td><td>{{ r.framework }}{% if r.backend is defined and r.backend %} ({{ r.backend }}){% endif %}</td><td>{{ r.rule | default("") }}</td><td>{{ r.layout | default("") }}{% if r.dtype is defined %}, {{ r.dtype }}{% endif %}</td><td>{{ r.status }}{% if r.reason is defined %}: {{ r.reason }}{% endif %}</td></tr>
{% endfor %}</table>
</div>
<p class="small pdf-only">Every record ({{ conformance.records | length }} initializers, with rule, layout, dtype and status) and every failed statistic (expected, measured, z, n) are in report.html at <a href="#conformance-records">#conformance-records</a>, and in conformance.json.</p>
{% else %}
<p class="small">No conformance record beside these results: <code>initcheck conform --framework all --out DIR</code> writes DIR/conformance.json, which the next report shows.</p>
{% endif %}
</section>
<section class="claim" id="audit">
<h2>Audit of real models at init</h2>
<p class="small">What initialization each model actually has, parameter by parameter, against what its code documents, and how its signal propagates at init against Var(w)·S, the per-layer form of VAR-SUM, HE-VAR and VAR-BACKWARD (<code>initcheck audit</code>; models built from code and configs, nothing downloaded).</p>
{% if audit %}
<p class="small">Seed {{ audit.seed }}, {{ audit.seeds }} instance{% if audit.seeds != 1 %}s{% endif %} per model. A correct model is flagged with probability ≤ 1e-6: half of that to the parameters' tests, half to the propagation tests, each test at its share over their number (Bonferroni). Parameter tests: mean, mean square (χ²ₙ for a normal law, the gamma law of the same two moments otherwise), bound, KS against the rule's CDF; propagation: the mean over a layer's units of its per-unit second moment (i.i.d. given the probe) against Var(w)·S.</p>
<p class="small pdf-only">Each model's figure. Top: each parameter with an expected random rule, its mean square over the rule's variance with the band its test allows (red: contradicted). Bottom (where propagation was measured): per layer, the measured second moment (dots; red where it is off the prediction at the stated α) and Var(w)·S predicted from the documented rule (line), forward and backward. Every parameter (shape, expected rule, verdict, every rule it is consistent with) and every layer's propagation (measured, predicted, z) are in report.html and audit.json.</p>
{% for m in audit.models %}
<h3 id="audit-{{ m.number }}">{{ m.model }}: {% if m.status == "pass" %}documented init confirmed{% elif m.status == "fail" %}<span class="off">{{ m.findings | length }} finding{% if m.findings | length != 1 %}s{% endif %}</span>{% else %}{{ m.status }}{% endif %}</h3>
{% if m.status in ("not installed", "error") %}<p class="small">{{ m.reason }}. Documented: {{ m.documented }}.</p>{% else %}
<p class="small">{{ m.framework_version }}. Documented: {{ m.documented }}{% if m.requested_config is defined and m.requested_config %}; config {% for k, v in m.requested_config.items() %}{{ k }}={{ v }}{% if not loop.last %}, {% endif %}{% endfor %}{% endif %}. {{ m.parameters | length }} parameters: {{ m.confirmed }} confirmed, {{ m.contradicted }} contradicted, {% if m.unjudged is defined and m.unjudged %}{{ m.unjudged | length }} not judged ({% for u in m.unjudged %}{{ u.parameter }}: {{ u.reason }}{% if not loop.last %}; {% endif %}{% endfor %}), {% endif %}{{ m.unexpected }} without an expectation. Per-test α {{ "%.2g" | format(m.per_test_alpha) }}. Propagation: {% if m.propagation.status == "measured" %}{{ m.propagation.layers | length }} layers on {{ m.propagation.probe }}; {{ m.judged_layers }} judged, {{ m.layers_off }} off the prediction.{% else %}{{ m.propagation.reason }}.{% endif %}</p>
{% if m.findings %}<ul class="small">{% for f in m.findings %}<li><b>{{ f.parameter }}</b> ({{ f.kind }}): expected {{ f.expected }}; {{ f.reason }}{% if f.consistent_with %}; consistent with {{ f.consistent_with | join(", ") }}{% endif %}</li>{% endfor %}</ul>{% endif %}
{% if m.svg %}<figure id="fig-audit-{{ m.number }}" class="audit">{{ m.svg | safe }}<figcaption><b>Audit</b> (fig-audit-{{ m.number }}). {{ m.model }} at init<span class="html-only">. Top: each parameter with an expected random rule, its mean square over the rule's variance with the band its test allows (red: contradicted). {% if m.propagation.status == "measured" %}Bottom: per layer, the measured second moment (dots; red where it is off the prediction at the stated α) and Var(w)·S predicted from the documented rule (line), forward and backward.{% endif %}</span><span class="pdf-only">; key above the first model</span>.</figcaption></figure>{% endif %}
<div class="html-only">
<table class="grid" id="audit-{{ m.number }}-parameters"><tr><th>parameter</th><th>shape</th><th>expected</th><th>verdict</th><th>consistent with</th></tr>
{% for p in m.parameters %}<tr{% if p.expected_verdict and p.expected_verdict.consistent == false %} class="off"{% endif %}><td>{{ p.name }}</td><td>{{ p.shape | join("×") }}</td><td>{{ p.expected or "" }}</td><td>{% if p.expected_verdict %}{% if p.expected_verdict.consistent %}✓{% elif p.expected_verdict.consistent == false %}✗ {{ p.expected_verdict.reason }}{% else %}{{ p.expected_verdict.reason }}{% endif %}{% endif %}</td><td>{{ p.consistent_with | join(", ") }}</td></tr>
{% endfor %}</table>
{% if m.propagation.layers %}<table class="grid" id="audit-{{ m.number }}-propagation"><tr><th>#</th><th>layer</th><th>Var(w) from</th><th>forward: E[y²] measured vs predicted (ratio of the parts without b²)</th><th>z</th><th>backward: E[(Wᵀ∂C/∂y)²] measured vs predicted</th><th>z</th></tr>
{% for l in m.propagation.layers %}<tr{% if l.forward.get("passed") == false or l.backward.get("passed") == false %} class="off"{% endif %}><td>{{ l.index }}</td><td>{{ l.name }} ({{ l.type }})</td><td>{{ l.variance_from }}</td>{% for d in (l.forward, l.backward) %}{% if d.ratio is defined %}<td>{{ "%.4g" | format(d.second_moment) }} vs {{ "%.4g" | format(d.predicted_second_moment) }} (ratio {{ "%.3f" | format(d.ratio) }}){% if not d.judged %} (not judged: {{ d.reason }}){% endif %}</td><td>{% if d.judged %}{{ "%+.1f" | format(d.z) }}{% endif %}</td>{% else %}<td>{{ d.status }}: {{ d.reason }}</td><td></td>{% endif %}{% endfor %}</tr>
{% endfor %}</table>{% endif %}
</div>
<p class="small pdf-only">Every parameter and layer: report.html at <a href="#audit-{{ m.number }}-parameters">#audit-{{ m.number }}-parameters</a>, and audit.json.</p>
{% endif %}
{% endfor %}
{% else %}
<p class="small">No audit beside these results: <code>initcheck audit --suite --out DIR</code> writes DIR/audit.json, which the next report shows (transformers and Keras: <code>pip install 'initcheck[audit]'</code>).</p>
{% endif %}
</section>
<section class="claim" id="calibration">
<h2>Calibration of the statistical rule</h2>
{% if calibration %}
<p class="small">{{ calibration.z_scores }} z-scores: {{ calibration.cases | length }} statistical cases × {{ calibration.seeds }} master seeds
(from {{ calibration.first_seed }}), {{ calibration.tier }} tier × {{ calibration.fraction }} of its sizes. Pooled: mean {{ "%.3f" | format(calibration.mean_z) }},
sd {{ "%.3f" | format(calibration.sd_z) }}, KS p = {{ "%.3g" | format(calibration.ks_pvalue) }}; |z| &gt; {{ calibration.z_critical }}: {{ calibration.failures }}
(designed rate {{ "%.2g" | format(calibration.designed_false_failure_rate) }}, p = {{ "%.3g" | format(calibration.failure_pvalue) }}{% for f in calibration.failed | default([]) %}; {{ f.case }}, master seed {{ f.seed }}: z = {{ "%.2f" | format(f.z) }}{% endfor %});
coverage of |z| ≤ 1.96: {{ "%.4f" | format(calibration.coverage_95) }} (p = {{ "%.3g" | format(calibration.coverage_pvalue) }}).
Per case: √N·mean z against N(0, 1) and (N − 1)s² against χ²(N − 1), each case off when a p-value is ≤ {{ "%.2g" | format(calibration.per_case_threshold) }}
(family-wise 1e-3). {% if calibration.calibrated %}Every case is calibrated.{% else %}<b>Not calibrated:</b> {{ calibration.cases_off | join("; ") }}.{% endif %}</p>
<figure id="fig-calibration">{{ calibration.svg | safe }}<figcaption><b>Calibration</b> (fig-calibration). Left: every z-score over the N(0, 1) density. Right: per case, mean z (circles, 0 expected) and sd(z) (squares, 1 expected).</figcaption></figure>
<table class="grid"><tr><th>#</th><th>case</th><th>mean z</th><th>p</th><th>sd(z)</th><th>p</th></tr>
{% for c in calibration.numbered %}<tr{% if c.off %} class="off"{% endif %}><td>{{ c.number }}</td><td>{{ c.name }}</td><td>{{ "%+.3f" | format(c.mean_z) }}</td><td>{{ "%.2g" | format(c.mean_pvalue) }}</td><td>{{ "%.3f" | format(c.sd_z) }}</td><td>{{ "%.2g" | format(c.sd_pvalue) }}</td></tr>
{% endfor %}</table>
{% else %}
<p class="small">No calibration record beside these results: <code>initcheck calibrate --out DIR</code> writes DIR/calibration.json, which the next report shows.</p>
{% endif %}
</section>
</body></html>
"""
