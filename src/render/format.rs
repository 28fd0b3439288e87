//! The one place numbers and user strings are formatted for output
//! (DESIGN section 5): significant digits, `±`, bold, daggers, escaping.

/// The markup of a target format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
    Latex,
    /// HTML text and attribute values (`xreport report`).
    Html,
}

/// Shown where a number is undefined (n = 1 has no std).
pub const UNDEFINED: &str = "—";

/// Decimal places for a mean ± std: std to 2 significant digits and the mean
/// to the same place; `digits` fixes it. Without a usable std, 2 decimals.
pub fn decimals(std: Option<f64>, digits: Option<usize>) -> usize {
    if let Some(d) = digits {
        return d;
    }
    match std {
        // The exponent of the std rounded to 2 significant digits, so that
        // 0.0999999 (0.10) gets 2 decimals, not 3.
        Some(s) if s.is_finite() && s > 0.0 => {
            let exponent = format!("{s:.1e}")
                .split_once('e')
                .and_then(|(_, e)| e.parse::<i64>().ok())
                .unwrap_or(0);
            (1 - exponent).clamp(0, 12) as usize
        }
        _ => 2,
    }
}

/// From this magnitude on, numbers are written in scientific notation
/// (`1.650e20`): 21 digits and more are not read, and fill a column.
const SCIENTIFIC_FROM: f64 = 1e15;

/// A number to `decimals` places (4 significant digits in scientific
/// notation from 1e15 on); never `-0.00`, never `NaN`.
pub fn fixed(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return UNDEFINED.to_string();
    }
    if value.abs() >= SCIENTIFIC_FROM {
        return format!("{value:.3e}");
    }
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// A number with an explicit sign (`+1.8`, `−0.3`), for differences.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = fixed(value, decimals);
    let zero = text.chars().all(|c| c == '0' || c == '.');
    if text == UNDEFINED || text.starts_with('-') || zero {
        text
    } else {
        format!("+{text}")
    }
}

/// An optional number, `—` when undefined.
pub fn opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| UNDEFINED.to_string(), |v| fixed(v, decimals))
}

/// A p-value: 3 significant digits, `< 0.0001` below that.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        None => UNDEFINED.to_string(),
        Some(p) if p < 1e-4 => "< 0.0001".to_string(),
        Some(p) if p >= 0.1 => format!("{p:.2}"),
        Some(p) if p >= 0.01 => format!("{p:.3}"),
        Some(p) => format!("{p:.4}"),
    }
}

/// A fraction as a percentage without the sign: `0.95` → `95`, `0.999` →
/// `99.9` (rounded to 10 decimals, so that 0.9 × 100 prints as `90`).
pub fn percent(fraction: f64) -> String {
    let rounded = (fraction * 100.0 * 1e10).round() / 1e10;
    format!("{rounded}")
}

/// A fraction as a percentage to `decimals` places: `0.4532` → `45.3`.
pub fn percent_fixed(fraction: f64, decimals: usize) -> String {
    fixed(100.0 * fraction, decimals)
}

/// Scientific notation with `decimals` digits after the point: `1.23e-5`.
pub fn scientific(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return UNDEFINED.to_string();
    }
    format!("{value:.decimals$e}")
}

/// An interval `[lo, hi]`.
pub fn interval(ci: Option<[f64; 2]>, decimals: usize) -> String {
    match ci {
        Some([lo, hi]) => format!("[{}, {}]", fixed(lo, decimals), fixed(hi, decimals)),
        None => UNDEFINED.to_string(),
    }
}

impl Style {
    /// `mean ± std` in this style; `mean ± —` when the std is undefined.
    pub fn mean_std(self, mean: Option<f64>, std: Option<f64>, decimals: usize) -> String {
        let Some(mean) = mean else {
            return UNDEFINED.to_string();
        };
        format!(
            "{} {} {}",
            fixed(mean, decimals),
            self.pm(),
            opt(std, decimals)
        )
    }

    /// The plus-minus sign.
    pub fn pm(self) -> &'static str {
        match self {
            Style::Latex => "$\\pm$",
            _ => "±",
        }
    }

    pub fn bold(self, text: &str) -> String {
        match self {
            Style::Text => text.to_string(),
            Style::Markdown => format!("**{text}**"),
            Style::Latex => format!("\\textbf{{{text}}}"),
            Style::Html => format!("<strong>{text}</strong>"),
        }
    }

    /// Bold that the terminal shows too (`*text*`), for marks a reader must see.
    pub fn strong(self, text: &str) -> String {
        match self {
            Style::Text => format!("*{text}*"),
            _ => self.bold(text),
        }
    }

    /// Underlined: the second best of a column.
    pub fn underline(self, text: &str) -> String {
        match self {
            Style::Text => format!("_{text}_"),
            Style::Markdown | Style::Html => format!("<u>{text}</u>"),
            Style::Latex => format!("\\underline{{{text}}}"),
        }
    }

    /// The marker of a significant difference.
    pub fn dagger(self) -> &'static str {
        match self {
            Style::Latex => "$^{\\dagger}$",
            _ => "†",
        }
    }

    /// A user string (condition, metric, label) made safe for this format.
    pub fn escape(self, text: &str) -> String {
        match self {
            Style::Text => text.to_string(),
            Style::Markdown => escape_markdown(text),
            Style::Latex => escape_latex(text),
            Style::Html => escape_html(text),
        }
    }

    /// The arrow that points at a marked row.
    pub fn left_arrow(self) -> &'static str {
        match self {
            Style::Latex => "$\\leftarrow$",
            _ => "←",
        }
    }

    /// An arrow for a metric's direction.
    pub fn arrow(self, lower_is_better: bool) -> &'static str {
        match (self, lower_is_better) {
            (Style::Latex, true) => "$\\downarrow$",
            (Style::Latex, false) => "$\\uparrow$",
            (_, true) => "↓",
            (_, false) => "↑",
        }
    }
}

/// Escape the characters that GitHub Markdown tables treat as syntax.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '*' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape the characters HTML treats as markup, in text and in quoted
/// attribute values alike.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escape LaTeX's special characters (`_ % & # $ { } ~ ^ \`) and spell out the
/// few non-ASCII symbols pdflatex cannot typeset from UTF-8 on its own.
pub fn escape_latex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '_' | '%' | '&' | '#' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            '±' => out.push_str("$\\pm$"),
            '†' => out.push_str("$^{\\dagger}$"),
            '↓' => out.push_str("$\\downarrow$"),
            '↑' => out.push_str("$\\uparrow$"),
            'ε' => out.push_str("$\\varepsilon$"),
            'α' => out.push_str("$\\alpha$"),
            'β' => out.push_str("$\\beta$"),
            'γ' => out.push_str("$\\gamma$"),
            'λ' => out.push_str("$\\lambda$"),
            'μ' => out.push_str("$\\mu$"),
            'σ' => out.push_str("$\\sigma$"),
            'τ' => out.push_str("$\\tau$"),
            '−' => out.push_str("$-$"),
            '×' => out.push_str("$\\times$"),
            '≥' => out.push_str("$\\geq$"),
            '≤' => out.push_str("$\\leq$"),
            '≈' => out.push_str("$\\approx$"),
            '←' => out.push_str("$\\leftarrow$"),
            'Δ' => out.push_str("$\\Delta$"),
            '½' => out.push_str("$\\frac{1}{2}$"),
            'χ' => out.push_str("$\\chi$"),
            '²' => out.push_str("$^2$"),
            '∞' => out.push_str("$\\infty$"),
            // Latin letters with accents are typeset by pdflatex's UTF-8 input; other scripts are not.
            c if c.is_ascii()
                || (c.is_alphabetic() && (c as u32) < 0x0250)
                || c == '—'
                || c == '–' =>
            {
                out.push(c)
            }
            _ => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_are_written_in_scientific_notation() {
        assert_eq!(fixed(1.65e308, 2), "1.650e308");
        assert_eq!(fixed(-2.5e15, 2), "-2.500e15");
        assert_eq!(fixed(999_999_999_999_999.0, 0), "999999999999999");
        assert_eq!(signed(1e20, 2), "+1.000e20");
    }

    #[test]
    fn std_gets_two_significant_digits_and_the_mean_the_same_place() {
        assert_eq!(decimals(Some(0.3012), None), 2);
        assert_eq!(
            Style::Text.mean_std(Some(80.1), Some(0.3012), 2),
            "80.10 ± 0.30"
        );
        assert_eq!(decimals(Some(51.468), None), 0);
        assert_eq!(decimals(Some(4.3), None), 1);
        assert_eq!(decimals(Some(0.0004), None), 5);
        assert_eq!(decimals(Some(0.09999999999999964), None), 2);
        assert_eq!(decimals(Some(0.0996), None), 2);
        assert_eq!(decimals(Some(0.0994), None), 3);
        assert_eq!(decimals(None, None), 2);
        assert_eq!(decimals(Some(51.468), Some(1)), 1);
    }

    #[test]
    fn negative_zero_and_nan_never_reach_a_table() {
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(f64::NAN, 2), UNDEFINED);
        assert_eq!(signed(1.8, 1), "+1.8");
        assert_eq!(signed(-0.3, 1), "-0.3");
        assert_eq!(signed(0.0, 1), "0.0");
    }

    #[test]
    fn latex_specials_are_escaped() {
        assert_eq!(
            escape_latex("no_codebook_50%_&_more #1 $x {y} ~ ^ \\"),
            "no\\_codebook\\_50\\%\\_\\&\\_more \\#1 \\$x \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
        );
    }

    #[test]
    fn percentages_have_the_shortest_form_and_no_float_noise() {
        assert_eq!(percent(0.95), "95");
        assert_eq!(percent(0.9), "90");
        assert_eq!(percent(0.999), "99.9");
        assert_eq!(percent(0.875), "87.5");
        assert_eq!(percent_fixed(0.45321, 1), "45.3");
        assert_eq!(percent_fixed(f64::NAN, 1), UNDEFINED);
    }

    #[test]
    fn scientific_notation_keeps_the_given_digits() {
        assert_eq!(scientific(0.000012345, 2), "1.23e-5");
        assert_eq!(scientific(1234.5, 1), "1.2e3");
        assert_eq!(scientific(f64::INFINITY, 2), UNDEFINED);
    }

    #[test]
    fn html_markup_is_escaped() {
        assert_eq!(
            escape_html("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(Style::Html.bold("a &lt; b"), "<strong>a &lt; b</strong>");
    }

    #[test]
    fn markdown_pipes_are_escaped() {
        assert_eq!(escape_markdown("a|b*c"), "a\\|b\\*c");
    }
}
