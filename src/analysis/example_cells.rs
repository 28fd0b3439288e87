//! The per-example cells of a study, dense: for each condition × metric a
//! score per (example, seed), gathered in two passes over the tidy table.
//! A per-example table of 10⁷ rows takes 8 bytes a row here, where maps of
//! borrowed ids took about 60.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::load::{Study, natural_cmp};

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

/// Seeds and examples of one group while the rows are gathered, by code.
struct Gathered<'a> {
    task: Option<&'a str>,
    /// Seed codes seen.
    seeds: FxHashSet<u32>,
    /// Example codes seen: a bit each.
    examples: Vec<u64>,
}

/// One group's cells being filled: where a seed code and an example's
/// rank among all examples land in its score matrix.
struct Placement {
    /// (seed code, seed index), by code.
    seeds: Vec<(u32, usize)>,
    /// The ranks of its examples, ascending; `None` when it has every example
    /// (a rank is then its index).
    ranks: Option<Vec<u32>>,
}

impl<'a> ExampleCells<'a> {
    /// The cells of every row with an example; a later row of the same cell wins.
    ///
    /// Rows are grouped by the tidy table's codes, not their text: a
    /// per-example table of 10⁷ rows costs two passes of integer lookups.
    pub fn of(study: &'a Study) -> ExampleCells<'a> {
        let table = &study.results;
        let (conditions, metrics) = (table.conditions(), table.metrics());
        let (seed_names, example_names) = (table.seeds(), table.examples());
        let words = example_names.distinct_len().div_ceil(64);
        let mut index: FxHashMap<(u32, u32), usize> = FxHashMap::default();
        let mut keys: Vec<(u32, u32)> = Vec::new();
        let mut gathered: Vec<Gathered> = Vec::new();
        let mut cluster_of: Vec<Option<&str>> = vec![None; example_names.distinct_len()];
        // rows of one group usually come together
        let mut last: Option<((u32, u32), usize)> = None;
        let mut group_of = |row: usize, gathered: &mut Vec<Gathered<'a>>| -> Option<usize> {
            let key = (conditions.code(row)?, metrics.code(row)?);
            if let Some((k, i)) = last
                && k == key
            {
                return Some(i);
            }
            let i = *index.entry(key).or_insert_with(|| {
                keys.push(key);
                gathered.push(Gathered {
                    task: table.row(row).task,
                    seeds: FxHashSet::default(),
                    examples: vec![0; words],
                });
                gathered.len() - 1
            });
            last = Some((key, i));
            Some(i)
        };
        for row in 0..table.height() {
            let Some(example) = example_names.code(row) else {
                continue;
            };
            let (Some(i), Some(seed)) = (group_of(row, &mut gathered), seed_names.code(row)) else {
                continue;
            };
            gathered[i].seeds.insert(seed);
            gathered[i].examples[example as usize / 64] |= 1 << (example % 64);
            if let Some(c) = table.cluster(row) {
                cluster_of[example as usize].get_or_insert(c);
            }
        }
        let clusters: FxHashMap<&str, &str> = cluster_of
            .iter()
            .enumerate()
            .filter_map(|(e, c)| Some((example_names.text(e as u32), (*c)?)))
            .collect();
        // every example's rank in byte order
        let mut by_text: Vec<u32> = (0..example_names.distinct_len() as u32).collect();
        by_text.sort_unstable_by_key(|&c| example_names.text(c));
        let mut rank = vec![0u32; by_text.len()];
        for (r, &c) in by_text.iter().enumerate() {
            rank[c as usize] = r as u32;
        }
        let mut placements = Vec::with_capacity(gathered.len());
        let mut groups: Vec<CellGroup> = gathered
            .into_iter()
            .map(|g| {
                let mut seeds: Vec<u32> = g.seeds.into_iter().collect();
                seeds.sort_by(|a, b| natural_cmp(seed_names.text(*a), seed_names.text(*b)));
                let has = |c: u32| g.examples[c as usize / 64] & (1 << (c % 64)) != 0;
                let codes: Vec<u32> = by_text.iter().copied().filter(|&c| has(c)).collect();
                let all = codes.len() == by_text.len();
                let mut seed_index: Vec<(u32, usize)> =
                    seeds.iter().enumerate().map(|(i, &c)| (c, i)).collect();
                seed_index.sort_unstable();
                placements.push(Placement {
                    seeds: seed_index,
                    ranks: (!all).then(|| codes.iter().map(|&c| rank[c as usize]).collect()),
                });
                CellGroup {
                    task: g.task,
                    scores: vec![f64::from_bits(NO_ROW); seeds.len() * codes.len()],
                    seeds: seeds.iter().map(|&c| seed_names.text(c)).collect(),
                    examples: codes.iter().map(|&c| example_names.text(c)).collect(),
                }
            })
            .collect();
        for row in 0..table.height() {
            let Some(example) = example_names.code(row) else {
                continue;
            };
            let (Some(i), Some(seed)) = (group_of(row, &mut Vec::new()), seed_names.code(row))
            else {
                continue;
            };
            let place = &placements[i];
            let r = rank[example as usize];
            let e = match &place.ranks {
                None => r as usize,
                Some(ranks) => match ranks.binary_search(&r) {
                    Ok(e) => e,
                    Err(_) => continue,
                },
            };
            let Ok(s) = place.seeds.binary_search_by_key(&seed, |&(c, _)| c) else {
                continue;
            };
            let s = place.seeds[s].1;
            let g = &mut groups[i];
            let width = g.seeds.len();
            g.scores[e * width + s] = table.value(row).unwrap_or(NULL);
        }
        ExampleCells {
            groups: keys
                .into_iter()
                .map(|(c, m)| (conditions.text(c), metrics.text(m)))
                .zip(groups)
                .collect(),
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
        let (w, x) = (0, 1);
        assert_eq!(g.cell(w, 0), Cell::Score(0.5));
        assert_eq!(g.cell(w, 1), Cell::NoRow);
        assert_eq!(g.cell(x, 0), Cell::Null);
        assert_eq!(g.cell(x, 1), Cell::Score(1.0));
        assert_eq!(g.row(x).collect::<Vec<_>>(), [None, Some(1.0)]);
        assert_eq!(g.missing(), 2);
    }
}
