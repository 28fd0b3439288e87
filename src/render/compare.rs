//! The layout of `xreport compare`: per metric the baseline row, then one
//! row per treatment with Δ, its CI, p before and after correction, effect
//! size, power, seeds needed and the verdict; the test footnote under it.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, examples, notes, summary};
use crate::analysis::compare::{Aso, CompareReport, Comparison, Equivalence, Unit, Verdict};
use crate::analysis::direction::Direction;
use crate::analysis::summary::GroupStats;
use crate::stats::inference::TestKind;

impl Report for CompareReport {
    fn kind(&self) -> &'static str {
        "compare"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        // ASO has ε_min in both directions where the other tests have p
        let aso = self.settings.test == TestKind::Aso;
        let (p_header, p_adjusted_header) = if aso {
            let eps = match style {
                Style::Latex => "$\\varepsilon_{\\min}$",
                _ => "ε_min",
            };
            (eps.to_string(), format!("{eps} reverse"))
        } else {
            (
                "p".to_string(),
                format!("p ({})", self.settings.correction.name()),
            )
        };
        let mut table = Table::new(vec![
            table::left("Metric"),
            table::left("Condition"),
            table::right("n"),
            table::right(format!("Mean {} std", style.pm())),
            table::right(style.escape("Δ")),
            table::right(style.escape(&format!(
                "{}% CI of Δ",
                format::percent(self.settings.confidence)
            ))),
            table::right(p_header),
            table::right(p_adjusted_header),
            table::right("Hedges' g"),
            table::right("P(better)"),
            table::right("Power"),
            table::right(style.escape(&format!(
                "Seeds for {}%",
                format::percent(self.settings.target_power)
            ))),
            table::left("Verdict"),
        ]);
        let best = summary::best_means(&self.groups, &self.metrics);
        let label = |c: &str| style.escape(self.labels.get(c).map_or(c, String::as_str));
        for info in &self.metrics {
            let metric_cell = format!(
                "{} {}",
                style.escape(&info.label),
                style.arrow(info.direction == Direction::Lower)
            );
            let group = |condition: &str| {
                self.groups
                    .iter()
                    .enumerate()
                    .find(|(_, g)| g.condition == condition && g.metric == info.name)
            };
            let rows: Vec<&Comparison> = self
                .comparisons
                .iter()
                .filter(|c| c.metric == info.name)
                .collect();
            let Some(first) = rows.first() else { continue };
            let Some((bi, base)) = group(&first.baseline) else {
                continue;
            };
            let d = format::decimals(base.std, summary::digits(output, Some(info)));
            let mean_cell = |i: usize, g: &GroupStats| {
                let cell = style.mean_std(g.mean, g.std, d);
                if best.contains(&i) {
                    style.bold(&cell)
                } else {
                    cell
                }
            };
            let mut baseline_row = vec![
                metric_cell.clone(),
                format!("{} (baseline)", label(&base.condition)),
                base.n.to_string(),
                mean_cell(bi, base),
            ];
            baseline_row.extend(std::iter::repeat_n(format::UNDEFINED.to_string(), 8));
            baseline_row.push(String::new());
            table.rows.push(baseline_row);
            for c in rows {
                let Some((ti, treat)) = group(&c.treatment) else {
                    continue;
                };
                let mut diff = c
                    .diff
                    .map_or_else(|| format::UNDEFINED.to_string(), |v| format::signed(v, d));
                if c.significant {
                    diff.push_str(style.dagger());
                }
                let verdict = if c.underpowered && c.verdict != Verdict::Undefined {
                    format!("{} (underpowered)", c.verdict.name())
                } else {
                    c.verdict.name().to_string()
                };
                table.rows.push(vec![
                    String::new(),
                    label(&c.treatment),
                    treat.n.to_string(),
                    mean_cell(ti, treat),
                    diff,
                    format::interval(c.diff_ci, d),
                    p_cell(style, c, aso, |a| a.eps_min, c.p_value),
                    p_cell(style, c, aso, |a| a.eps_min_reverse, c.p_adjusted),
                    format::opt(c.hedges_g, 2),
                    format::opt(c.prob_improvement, 2),
                    format::opt(c.power, 2),
                    match (c.seeds_needed, c.power) {
                        (Some(n), _) => n.to_string(),
                        (None, Some(_)) => style.escape(&format!("> {}", self.settings.max_seeds)),
                        (None, None) => format::UNDEFINED.to_string(),
                    },
                    verdict,
                ]);
            }
            table.rules_after.push(table.rows.len() - 1);
        }
        notes::frame(&mut table, style, output);
        // With one seed per condition every row is tested over its examples.
        let over_examples = !self.comparisons.is_empty()
            && self.comparisons.iter().all(|c| c.unit == Unit::Examples);
        let seeds: Vec<(String, usize)> = notes::seeds_per_condition(&self.groups)
            .into_iter()
            .map(|(c, n)| (self.labels.get(&c).cloned().unwrap_or(c), n))
            .collect();
        let two_way =
            !self.comparisons.is_empty() && self.comparisons.iter().all(|c| c.unit == Unit::Both);
        let ci = if two_way {
            "two-way Satterthwaite t".to_string()
        } else {
            format!("{} bootstrap", self.settings.ci_method.name())
        };
        table.notes = vec![style.escape(&notes::method_with_ci(
            &self.settings,
            &seeds,
            "treatments",
            over_examples,
            &ci,
        ))];
        if let Some(ex) = &self.settings.examples {
            table.notes.push(style.escape(&examples::settings(ex)));
            let confidence = self.settings.confidence;
            table
                .notes
                .extend(examples::groups(style, &self.groups, confidence));
        }
        table.notes.extend(notes::common(
            style,
            &self.settings.describe(),
            &self.skipped,
            &self.repeats,
        ));
        for c in &self.comparisons {
            for note in &c.notes {
                table.notes.push(style.escape(&format!(
                    "{} vs {} / {}: {note}",
                    c.treatment, c.baseline, c.metric
                )));
            }
        }
        table
    }

    fn records(&self) -> Vec<Value> {
        self.comparisons
            .iter()
            .map(|c| {
                let mut record = json!({
                    "baseline": c.baseline,
                    "treatment": c.treatment,
                    "metric": c.metric,
                    "n_baseline": c.n_baseline,
                    "n_treatment": c.n_treatment,
                    "mean_baseline": c.mean_baseline,
                    "mean_treatment": c.mean_treatment,
                    "std_baseline": c.std_baseline,
                    "std_treatment": c.std_treatment,
                    "diff": c.diff,
                    "diff_ci_lo": c.diff_ci.map(|v| v[0]),
                    "diff_ci_hi": c.diff_ci.map(|v| v[1]),
                    "diff_t_ci_lo": c.diff_t_ci.and_then(|v| v[0]),
                    "diff_t_ci_hi": c.diff_t_ci.and_then(|v| v[1]),
                    "statistic": c.statistic,
                    "df": c.df,
                    "p_value": c.p_value,
                    "p_adjusted": c.p_adjusted,
                    "significant": c.significant,
                    "hedges_g": c.hedges_g,
                    "cohens_d": c.cohens_d,
                    "prob_improvement": c.prob_improvement,
                    "power": c.power,
                    "seeds_needed": c.seeds_needed,
                    "verdict": c.verdict.name(),
                    "underpowered": c.underpowered,
                    "unit": c.unit,
                    "n_examples": c.examples.as_ref().map(|e| e.n),
                    "examples_diff": c.examples.as_ref().map(|e| e.diff),
                    "examples_diff_ci_lo": c.examples.as_ref().and_then(|e| e.diff_ci).map(|v| v[0]),
                    "examples_diff_ci_hi": c.examples.as_ref().and_then(|e| e.diff_ci).map(|v| v[1]),
                    "examples_p_value": c.examples.as_ref().and_then(|e| e.p_value),
                });
                add_equivalence_columns(&mut record, c.equivalence.as_ref());
                add_aso_columns(&mut record, c.aso.as_ref());
                record
            })
            .collect()
    }
}

/// A p column's cell: p, or with `--test aso` ε_min (3 decimals).
fn p_cell(
    style: Style,
    c: &Comparison,
    aso: bool,
    eps: impl Fn(&Aso) -> Option<f64>,
    p: Option<f64>,
) -> String {
    if aso {
        format::opt(c.aso.as_ref().and_then(eps), 3)
    } else {
        style.escape(&format::p_value(p))
    }
}

/// The ASO columns of a record, only under --test aso.
fn add_aso_columns(record: &mut Value, aso: Option<&Aso>) {
    if let (Some(a), Some(fields)) = (aso, record.as_object_mut()) {
        fields.insert("eps_min".into(), json!(a.eps_min));
        fields.insert("eps_min_reverse".into(), json!(a.eps_min_reverse));
        fields.insert("violation_ratio".into(), json!(a.violation_ratio));
        fields.insert("aso_confidence".into(), json!(a.aso_confidence));
    }
}

/// The TOST columns of a record, only under --equivalence, so other tables
/// keep their shape.
pub(super) fn add_equivalence_columns(record: &mut Value, equivalence: Option<&Equivalence>) {
    if let (Some(e), Some(fields)) = (equivalence, record.as_object_mut()) {
        fields.insert("equivalence_margin".into(), json!(e.margin));
        fields.insert("equivalence_p_value".into(), json!(e.p_value));
        fields.insert("equivalence_p_adjusted".into(), json!(e.p_adjusted));
        fields.insert("equivalent".into(), json!(e.equivalent));
    }
}
