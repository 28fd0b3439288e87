//! What a PCA figure draws: panels of projected points, each with its class,
//! sharing one legend. `plot::scatter` draws it.

/// One panel: points with a category index each.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<(f64, f64)>,
    /// Index into [`Figure::classes`] per point (0 for every point when unlabelled).
    pub classes: Vec<u32>,
    /// A note under the panel (e.g. that a subsample is shown).
    pub caption: Option<String>,
}

/// A grid of panels sharing one colour legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub title: Option<String>,
    /// Legend entries in order; empty for unlabelled data (no legend is drawn).
    pub classes: Vec<String>,
    /// Whether the last class is the folded "other" (drawn grey, underneath).
    pub has_other: bool,
    pub panels: Vec<Panel>,
    pub columns: usize,
}
