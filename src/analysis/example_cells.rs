//! The per-example cells of a study, dense: for each condition × metric a
//! score per (example, seed), gathered in two passes over the tidy table.
//! A per-example table of 10⁷ rows takes 8 bytes a row here, where maps of
//! borrowed ids took about 60.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::load::{Study, natural_cmp, tidy};

/// A cell: a score, a row without one (null, NaN, ±inf), or no row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Score(f64),
    Null,
    NoRow,
}

/// The tidy table holds finite values only, so two NaNs can mark the two
/// ways a score is missing.
const NULL: f64 = f64::NAN;
const NO_ROW: u64 = 0x7ff8_0000_0000_0001;

/// One condition × metric's per-example scores.
pub struct CellGroup<'a> {
    /// The task of its first row.
    pub task: Option<&'a str>,
    /// Seeds in natural order.
    pub seeds: Vec<&'a str>,
    /// The examples with a row, in example-id byte order.
    pub examples: Vec<&'a str>,
    /// Example by example, a value per seed (in `seeds` order).
    scores: Vec<f64>,
}

impl<'a> CellGroup<'a> {
    /// Where `example` is in [`CellGroup::examples`].
    pub fn find(&self, example: &str) -> Option<usize> {
        self.examples.binary_search(&example).ok()
    }

    pub fn cell(&self, example: usize, seed: usize) -> Cell {
        let v = self.scores[example * self.seeds.len() + seed];
        if !v.is_nan() {
            Cell::Score(v)
        } else if v.to_bits() == NO_ROW {
            Cell::NoRow
        } else {
            Cell::Null
        }
    }

    /// The score of each seed on the `example`-th example (`None`: missing).
    pub fn row(&self, example: usize) -> impl Iterator<Item = Option<f64>> + '_ {
        let width = self.seeds.len();
        self.scores[example * width..(example + 1) * width]
            .iter()
            .map(|v| (!v.is_nan()).then_some(*v))
    }

    /// Cells of its examples without a score.
    pub fn missing(&self) -> usize {
        self.scores.iter().filter(|v| v.is_nan()).count()
    }
}

/// Every per-example cell of a study.
pub struct ExampleCells<'a> {
    /// (condition, metric) and its cells, in order of first appearance.
    pub groups: Vec<((&'a str, &'a str), CellGroup<'a>)>,
    /// Example → its cluster (`--cluster-col`), from its first row with one.
    pub clusters: FxHashMap<&'a str, &'a str>,
}

/// Seeds and examples of one group while the rows are gathered.
struct Gathered<'a> {
    task: Option<&'a str>,
    seeds: FxHashSet<&'a str>,
    examples: FxHashSet<&'a str>,
}

impl<'a> ExampleCells<'a> {
    /// The cells of every row with an example; a later row of the same cell wins.
    pub fn of(study: &'a Study) -> ExampleCells<'a> {
        let mut index: FxHashMap<(&str, &str), usize> = FxHashMap::default();
        let mut keys: Vec<(&str, &str)> = Vec::new();
        let mut gathered: Vec<Gathered> = Vec::new();
        let mut clusters = FxHashMap::default();
        for (row, cluster) in tidy::rows_with_cluster(&study.results) {
            let Some(example) = row.example else { continue };
            let key = (row.condition, row.metric);
            let i = *index.entry(key).or_insert_with(|| {
                keys.push(key);
                gathered.push(Gathered {
                    task: row.task,
                    seeds: FxHashSet::default(),
                    examples: FxHashSet::default(),
                });
                gathered.len() - 1
            });
            gathered[i].seeds.insert(row.seed);
            gathered[i].examples.insert(example);
            if let Some(c) = cluster {
                clusters.entry(example).or_insert(c);
            }
        }
        let mut groups: Vec<CellGroup> = gathered
            .into_iter()
            .map(|g| {
                let mut seeds: Vec<&str> = g.seeds.into_iter().collect();
                seeds.sort_by(|a, b| natural_cmp(a, b));
                let mut examples: Vec<&str> = g.examples.into_iter().collect();
                examples.sort_unstable();
                CellGroup {
                    task: g.task,
                    scores: vec![f64::from_bits(NO_ROW); seeds.len() * examples.len()],
                    seeds,
                    examples,
                }
            })
            .collect();
        // rows of one group usually come together
        let mut last: Option<((&str, &str), usize)> = None;
        for row in tidy::rows(&study.results) {
            let Some(example) = row.example else { continue };
            let key = (row.condition, row.metric);
            let i = match last {
                Some((k, i)) if k == key => i,
                _ => {
                    let i = index[&key];
                    last = Some((key, i));
                    i
                }
            };
            let g = &mut groups[i];
            let (Some(e), Ok(s)) = (
                g.find(example),
                g.seeds.binary_search_by(|s| natural_cmp(s, row.seed)),
            ) else {
                continue;
            };
            let width = g.seeds.len();
            g.scores[e * width + s] = row.value.unwrap_or(NULL);
        }
        ExampleCells {
            groups: keys.into_iter().zip(groups).collect(),
            clusters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::tidy::{Row, TidyBuilder};

    #[test]
    fn cells_tell_a_score_a_null_and_no_row_apart() {
        let mut b = TidyBuilder::default();
        let row = |seed, example, value| Row {
            condition: "a",
            seed,
            metric: "acc",
            value,
            task: None,
            example: Some(example),
            step: None,
        };
        b.push(row("10", "x", Some(1.0)));
        b.push(row("2", "x", None));
        b.push(row("2", "w", Some(0.0)));
        b.push(row("2", "w", Some(0.5))); // a later row wins
        let study = Study::of_table(b.finish(), vec!["a".into()], Vec::new());
        let cells = ExampleCells::of(&study);
        assert_eq!(cells.groups.len(), 1);
        let ((condition, metric), g) = &cells.groups[0];
        assert_eq!((*condition, *metric), ("a", "acc"));
        assert_eq!(g.seeds, ["2", "10"], "natural order");
        assert_eq!(g.examples, ["w", "x"], "byte order");
        let (w, x) = (g.find("w").unwrap(), g.find("x").unwrap());
        assert_eq!(g.cell(w, 0), Cell::Score(0.5));
        assert_eq!(g.cell(w, 1), Cell::NoRow);
        assert_eq!(g.cell(x, 0), Cell::Null);
        assert_eq!(g.cell(x, 1), Cell::Score(1.0));
        assert_eq!(g.row(x).collect::<Vec<_>>(), [None, Some(1.0)]);
        assert_eq!(g.missing(), 2);
        assert_eq!(g.find("y"), None);
    }
}
