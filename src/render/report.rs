//! `xreport report`: the whole study on one self-contained HTML page
//! (DESIGN section 15). [`StudyReport`] holds the reports the other
//! commands compute; this file lays each out with the same `table()` as
//! their other formats (in [`Style::Html`]), wraps the figures the plot
//! layer drew as inline SVG with a text alternative, and hands the page to
//! the tera template (`templates/report.html.tera`, or `--template`).
//!
//! The template gets `page`: `title`, `version`, `stamp`, `toc` [{`id`,
//! `title`}], `sections` [{`id`, `title`, `html`}] (already escaped HTML),
//! `settings` [{`name`, `value`}], `inputs` [{`path`, `sha256`, `bytes`}],
//! `skipped` [{`path`, `reason`}] and `omitted` [{`section`, `reason`}]. A
//! template of the user's own also gets `report`, the whole struct as
//! JSON (left out of the built-in one: at 500 conditions × 50 metrics it is
//! most of the rendering time and the page does not need it).

use serde::Serialize;
use serde_json::Value;
use tera::Context;

use super::format::{self, Style, escape_html};
use super::table::Table;
use super::{Output, Report, html};
use crate::analysis::ablation::AblationReport;
use crate::analysis::aggregate::AggregateReport;
use crate::analysis::compare::CompareReport;
use crate::analysis::curves::CurvesReport;
use crate::analysis::main_table::MainTableReport;
use crate::analysis::pca::PcaReport;
use crate::analysis::rank::RankReport;
use crate::analysis::report::{MetricInfo, VERSION};
use crate::analysis::runs::RunsReport;
use crate::analysis::summary::SummaryReport;
use crate::check::CheckReport;
use crate::error::{Error, Result};
use crate::load::Skipped;
use crate::load::fingerprint::Fingerprint;

pub const SCHEMA: &str = "xreport.report/1";
/// Evidence lines per checklist finding; the rest are counted (a large
/// study's within-noise comparisons are the comparisons table again).
const EVIDENCE_LINES: usize = 100;
const TEMPLATE: &str = include_str!("../../templates/report.html.tera");

/// The sections of the page, in order. Each id is unique in the page; the
/// tables and figures inside take ids `<section>-table-N`, `<section>-figure-N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    MainTable,
    Comparisons,
    Ablation,
    Curves,
    Pca,
    Ranks,
    Aggregates,
    Checklist,
    Statistics,
    Provenance,
}

impl Section {
    pub fn id(self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::MainTable => "main-table",
            Section::Comparisons => "comparisons",
            Section::Ablation => "ablation",
            Section::Curves => "curves",
            Section::Pca => "pca",
            Section::Ranks => "ranks",
            Section::Aggregates => "aggregates",
            Section::Checklist => "checklist",
            Section::Statistics => "statistics",
            Section::Provenance => "provenance",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::MainTable => "Main table",
            Section::Comparisons => "Comparisons",
            Section::Ablation => "Ablation",
            Section::Curves => "Learning curves",
            Section::Pca => "Latent spaces (PCA)",
            Section::Ranks => "Ranks over tasks",
            Section::Aggregates => "Aggregates over tasks",
            Section::Checklist => "Checklist",
            Section::Statistics => "Statistics per condition",
            Section::Provenance => "Settings and provenance",
        }
    }
}

/// The study report: every sub-report the study has what it needs for.
#[derive(Debug, Serialize)]
pub struct StudyReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub title: String,
    /// The date, with `--stamp` only: the page is otherwise the same bytes
    /// for the same inputs.
    pub stamp: Option<String>,
    pub inputs: Vec<Fingerprint>,
    pub skipped: Vec<Skipped>,
    /// Sections left out, and why (what the study would need).
    pub omitted: Vec<Omitted>,
    pub runs: RunsReport,
    pub summary: Option<SummaryReport>,
    pub table: Option<MainTableReport>,
    pub compare: Option<CompareReport>,
    pub ablation: Option<AblationReport>,
    pub curves: Option<CurvesReport>,
    pub pca: Option<PcaReport>,
    /// One per metric ranked over the tasks.
    pub ranks: Vec<RankReport>,
    /// One per metric aggregated over the tasks.
    pub aggregates: Vec<MetricAggregates>,
    pub check: Option<CheckReport>,
    #[serde(skip)]
    pub figures: Figures,
}

/// The figures as SVG, drawn by the plot layer from the reports above.
#[derive(Debug, Default)]
pub struct Figures {
    /// Every seed per condition (`compare --plot`), when small enough to read.
    pub seeds: Option<String>,
    /// How many of the compare report's metrics (the first) `seeds` draws.
    pub seeds_metrics: usize,
    pub curves: Option<String>,
    pub pca: Option<String>,
    /// The critical-difference diagram of each rank report, same order.
    pub cd: Vec<String>,
}

/// `xreport aggregate --metric METRIC` of the study's tasks.
#[derive(Debug, Serialize)]
pub struct MetricAggregates {
    pub metric: String,
    pub aggregate: AggregateReport,
}

#[derive(Debug, Clone, Serialize)]
pub struct Omitted {
    pub section: &'static str,
    pub reason: String,
}

impl Omitted {
    pub fn new(section: Section, reason: impl Into<String>) -> Omitted {
        Omitted {
            section: section.title(),
            reason: reason.into(),
        }
    }
}

#[derive(Serialize)]
struct Page<'a> {
    title: &'a str,
    version: &'static str,
    stamp: Option<&'a str>,
    toc: Vec<Entry>,
    sections: Vec<PageSection>,
    settings: Vec<Setting>,
    inputs: &'a [Fingerprint],
    skipped: &'a [Skipped],
    omitted: &'a [Omitted],
    /// Whether the input list is long enough to start folded.
    fold_inputs: bool,
}

#[derive(Serialize)]
struct Entry {
    id: &'static str,
    title: &'static str,
}

#[derive(Serialize)]
struct PageSection {
    id: &'static str,
    title: &'static str,
    html: String,
}

#[derive(Serialize)]
struct Setting {
    name: String,
    value: String,
}

/// The page, from the built-in template or `output.template`.
pub fn html(report: &StudyReport, output: &Output) -> Result<String> {
    let mut sections = Vec::new();
    let mut push = |section: Section, html: String| {
        sections.push(PageSection {
            id: section.id(),
            title: section.title(),
            html,
        })
    };
    push(Section::Overview, overview(report, output));
    if let Some(table) = &report.table {
        push(
            Section::MainTable,
            block(&table_id(Section::MainTable, 1), "Main results", |style| {
                table.table(style, output)
            }),
        );
    }
    if let Some(compare) = &report.compare {
        push(
            Section::Comparisons,
            comparisons(compare, &report.figures, output),
        );
    }
    if let Some(ablation) = &report.ablation {
        push(
            Section::Ablation,
            block(
                &table_id(Section::Ablation, 1),
                "The full model and one row per removed component",
                |style| ablation.table(style, output),
            ),
        );
    }
    if let Some(curves) = &report.curves {
        push(
            Section::Curves,
            curves_section(curves, report.figures.curves.as_deref(), output),
        );
    }
    if let Some(pca) = &report.pca {
        push(
            Section::Pca,
            pca_section(pca, report.figures.pca.as_deref()),
        );
    }
    if !report.ranks.is_empty() {
        push(
            Section::Ranks,
            ranks(&report.ranks, &report.figures.cd, output),
        );
    }
    if !report.aggregates.is_empty() {
        push(Section::Aggregates, aggregates(&report.aggregates, output));
    }
    if let Some(check) = &report.check {
        push(
            Section::Checklist,
            block(
                &table_id(Section::Checklist, 1),
                "The pre-submission checklist",
                |style| super::check::table_with_evidence(check, style, output, EVIDENCE_LINES),
            ),
        );
    }
    if let Some(summary) = &report.summary {
        push(
            Section::Statistics,
            block(
                &table_id(Section::Statistics, 1),
                "Per condition and metric: n, mean ± std, SEM, median, range and intervals",
                |style| summary.table(style, output),
            ),
        );
    }
    let mut toc: Vec<Entry> = sections
        .iter()
        .map(|s| Entry {
            id: s.id,
            title: s.title,
        })
        .collect();
    toc.push(Entry {
        id: Section::Provenance.id(),
        title: Section::Provenance.title(),
    });
    let page = Page {
        title: &report.title,
        version: VERSION,
        stamp: report.stamp.as_deref(),
        toc,
        sections,
        settings: settings(report),
        inputs: &report.inputs,
        skipped: &report.skipped,
        omitted: &report.omitted,
        fold_inputs: report.inputs.len() > html::FOLD_ROWS,
    };
    render(&page, report, output)
}

fn render(page: &Page<'_>, report: &StudyReport, output: &Output) -> Result<String> {
    let source = match &output.template {
        Some(path) => crate::load::guard::read_text(path)?,
        None => TEMPLATE.to_string(),
    };
    let template_error = |e: tera::Error| {
        let message = super::tera_guard::message(&e);
        match &output.template {
            Some(path) => Error::input(path, format!("template error: {message}")),
            None => Error::usage(format!("built-in template report.html: {message}")),
        }
    };
    // The name ends in .html so that tera escapes every `{{ value }}`; the
    // sections' HTML is marked `| safe` in the template, escaped here.
    let name = "report.html";
    let tera = super::tera_guard::load(name, &source, true).map_err(template_error)?;
    let mut context = Context::new();
    context.insert("page", page);
    if output.template.is_some() {
        context.insert("report", report);
    }
    super::tera_guard::render(tera, name, context).map_err(template_error)
}

/// The table with `caption` (plain text) when its report gives none:
/// every table of the page has one.
fn captioned(mut table: Table, caption: &str) -> Table {
    if table.caption.is_none() {
        table.caption = Some(escape_html(caption));
    }
    table
}

/// Tables of one section, numbered in order.
fn tables(section: Section, tables: &[Table]) -> String {
    tables
        .iter()
        .enumerate()
        .map(|(i, t)| html::table(t, &table_id(section, i + 1)))
        .collect()
}

/// The HTML id of the `n`th table of `section`, from 1.
fn table_id(section: Section, n: usize) -> String {
    format!("{}-table-{n}", section.id())
}

/// One report's table, drawn by `table` in the style asked for, with the
/// HTML id `id` and `caption` when it has none: a table element, or past
/// [`html::TEXT_CELLS`] the aligned text `xreport` prints in a terminal.
fn block(id: &str, caption: &str, table: impl Fn(Style) -> Table) -> String {
    let shown = captioned(table(Style::Html), caption);
    if !html::as_text(&shown) {
        return html::table(&shown, id);
    }
    let mut text = table(Style::Text);
    text.caption = None;
    text.notes.clear();
    html::text_table(&shown, &super::text::render(&text, false), id)
}

/// A figure: the SVG with `role="img"` and its text alternative as the
/// caption it is labelled by. Plotters writes one `<svg …>` root; its
/// namespace attribute is dropped (HTML needs none), so the page names no
/// URL at all.
fn figure(id: &str, svg: &str, alt: &str) -> String {
    let svg = svg
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen(
            "<svg ",
            &format!("<svg role=\"img\" aria-labelledby=\"{id}-alt\" "),
            1,
        );
    format!(
        "<figure id=\"{id}\"><div class=\"plot\">{svg}</div><figcaption id=\"{id}-alt\">{}</figcaption></figure>\n",
        escape_html(alt)
    )
}

fn paragraph(text: &str) -> String {
    format!("<p>{}</p>\n", escape_html(text))
}

fn overview(report: &StudyReport, output: &Output) -> String {
    let runs = &report.runs;
    let seeds: usize = runs.conditions.iter().map(|c| c.seeds.len()).sum();
    let folders: usize = runs.conditions.iter().map(|c| c.runs.len()).sum();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = format!(
        "{}, {} in all",
        count(runs.conditions.len(), "condition", "conditions"),
        count(seeds, "seed", "seeds")
    );
    if folders > 0 {
        text.push_str(&format!(
            ", {}",
            count(folders, "run folder", "run folders")
        ));
    }
    text.push_str(&format!(
        ", {} skipped, {} (not counted as seeds).",
        count(runs.skipped.len(), "run", "runs"),
        count(runs.repeats.len(), "repeat of a seed", "repeats of a seed")
    ));
    let mut out = paragraph(&text);
    if let Some(check) = &report.check {
        out.push_str(&paragraph(&format!(
            "Compute: {}.",
            check.compute.sentence()
        )));
    }
    if !report.omitted.is_empty() {
        out.push_str("<p>Not in this report:</p>\n<ul class=\"omitted\">\n");
        for o in &report.omitted {
            out.push_str(&format!(
                "<li><strong>{}</strong>: {}</li>\n",
                escape_html(o.section),
                escape_html(&o.reason)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(&block(
        &table_id(Section::Overview, 1),
        "Conditions, seeds and runs",
        |style| runs.table(style, output),
    ));
    out
}

fn comparisons(compare: &CompareReport, figures: &Figures, output: &Output) -> String {
    let mut out = block(
        &table_id(Section::Comparisons, 1),
        "Each treatment against the baseline, per metric",
        |style| compare.table(style, output),
    );
    let labels = |m: &[MetricInfo]| {
        m.iter()
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &figures.seeds {
        Some(svg) => {
            let (drawn, left) = compare.metrics.split_at(figures.seeds_metrics.min(compare.metrics.len()));
            let mut alt = format!(
                "Every seed's value per condition, one panel per metric ({}), with the mean and its {}% bootstrap interval. The numbers are in the table above.",
                labels(drawn),
                format::percent(compare.settings.confidence)
            );
            if !left.is_empty() {
                alt.push_str(&format!(
                    " The other {} metrics ({}) are left out of the figure, too many panels to read; `xreport compare --metric NAME --plot seeds.svg` draws them.",
                    left.len(),
                    labels(left)
                ));
            }
            out.push_str(&figure("comparisons-figure-1", svg, &alt));
        }
        None => out.push_str(&paragraph(&format!(
            "The per-seed figure is left out: {} conditions are too many columns and points to read; `xreport compare --plot seeds.svg` draws it.",
            compare_conditions(compare),
        ))),
    }
    out
}

fn compare_conditions(compare: &CompareReport) -> usize {
    let mut conditions: Vec<&str> = compare
        .groups
        .iter()
        .map(|g| g.condition.as_str())
        .collect();
    conditions.sort_unstable();
    conditions.dedup();
    conditions.len()
}

fn curves_section(curves: &CurvesReport, svg: Option<&str>, output: &Output) -> String {
    let mut out = String::new();
    if let Some(svg) = svg {
        let mut conditions: Vec<&str> =
            curves.curves.iter().map(|c| c.condition.as_str()).collect();
        conditions.dedup();
        let metrics: Vec<&str> = curves.metrics.iter().map(|m| m.label.as_str()).collect();
        out.push_str(&figure(
            "curves-figure-1",
            svg,
            &format!(
                "Learning curves of {}: the mean over seeds against training steps for {} conditions, with a {}% bootstrap band. The numbers are in the table below.",
                metrics.join(", "),
                conditions.len(),
                format::percent(curves.settings.confidence)
            ),
        ));
    }
    out.push_str(&block(
        &table_id(Section::Curves, 1),
        "Mean over seeds and bootstrap interval at each step",
        |style| curves.table(style, output),
    ));
    out
}

fn pca_section(pca: &PcaReport, svg: Option<&str>) -> String {
    let mut out = tables(
        Section::Pca,
        &[captioned(
            super::pca::table(pca, Style::Html),
            "PCA diagnostics per input",
        )],
    );
    if let Some(svg) = svg {
        let inputs: Vec<String> = pca.inputs.iter().map(super::pca::sentence).collect();
        out.push_str(&figure(
            "pca-figure-1",
            svg,
            &format!(
                "PCA scatter plots, one panel per input, coloured by label. {}",
                inputs.join(" ")
            ),
        ));
    }
    out
}

fn ranks(ranks: &[RankReport], diagrams: &[String], output: &Output) -> String {
    let mut out = String::new();
    for (i, rank) in ranks.iter().enumerate() {
        let caption = format!(
            "Mean ranks of {} over {} tasks",
            rank.metric,
            rank.tasks.len()
        );
        out.push_str(&block(
            &table_id(Section::Ranks, i + 1),
            &caption,
            |style| rank.table(style, output),
        ));
        if let Some(svg) = diagrams.get(i) {
            let order: Vec<String> = rank
                .methods
                .iter()
                .map(|m| format!("{} {}", m.method, format::fixed(m.mean_rank, 2)))
                .collect();
            out.push_str(&figure(
                &format!("ranks-figure-{}", i + 1),
                svg,
                &format!(
                    "Critical-difference diagram of {} over {} tasks, mean ranks (1 is best): {}. Methods joined by a bar are not significantly different.",
                    rank.metric,
                    rank.tasks.len(),
                    order.join(", ")
                ),
            ));
        }
    }
    out
}

fn aggregates(aggregates: &[MetricAggregates], output: &Output) -> String {
    let mut out = String::new();
    for (i, a) in aggregates.iter().enumerate() {
        let caption = format!(
            "Aggregates of {} over {} tasks (raw scores), with {}% stratified bootstrap intervals",
            a.metric,
            a.aggregate
                .per_task
                .iter()
                .map(|t| &t.task)
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            format::percent(a.aggregate.settings.confidence)
        );
        out.push_str(&block(
            &table_id(Section::Aggregates, i + 1),
            &caption,
            |style| a.aggregate.table(style, output),
        ));
    }
    out
}

/// The statistics settings the sub-reports state, flattened to names and
/// values in the order the reports give them, each name once.
fn settings(report: &StudyReport) -> Vec<Setting> {
    let mut values: Vec<Value> = Vec::new();
    let mut add = |v: std::result::Result<Value, serde_json::Error>| {
        if let Ok(v) = v {
            values.push(v);
        }
    };
    if let Some(c) = &report.compare {
        add(serde_json::to_value(&c.settings));
    }
    if let Some(s) = &report.summary {
        add(serde_json::to_value(&s.settings));
    }
    if let Some(c) = &report.check {
        add(serde_json::to_value(&c.settings));
    }
    let mut out: Vec<Setting> = Vec::new();
    for value in &values {
        flatten("", value, &mut out);
    }
    out
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<Setting>) {
    if let Value::Object(map) = value {
        for (key, v) in map {
            let name = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            flatten(&name, v, out);
        }
        return;
    }
    if prefix.is_empty() || out.iter().any(|s| s.name == prefix) {
        return;
    }
    let text = match value {
        Value::Null => format::UNDEFINED.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    out.push(Setting {
        name: prefix.to_string(),
        value: text,
    });
}
