//! A [`Table`] as HTML, for `xreport report`: a `<caption>`, header cells
//! with `scope`, the first cell of each row a row header, verdict words
//! tinted by class (the word stays: colour is never the only signal), and
//! the notes under it. Cells come from the report's `table()` in
//! [`Style::Html`](super::format::Style::Html), so they are already
//! escaped; only the caption's and notes' markup is theirs too.
//!
//! A table longer than [`FOLD_ROWS`] is folded behind `<details>`, so a
//! study of 500 conditions opens on its overview, not on 25,000 rows, and
//! so are the notes past the first [`FOLD_NOTES`]. Folding does not spare
//! the browser parsing what is folded: a table of more than [`TEXT_CELLS`]
//! cells is written by [`text_table`] as the aligned text the terminal
//! shows, one text node instead of thousands of elements (500 conditions
//! × 50 metrics: 10 s to load as tables, under 1 s as text; see
//! benches/report_page.sh).

use super::format::escape_html;
use super::table::{Align, Table, Tone};

/// Tables with more rows than this start folded.
pub const FOLD_ROWS: usize = 40;
/// Notes past this many are folded.
pub const FOLD_NOTES: usize = 100;
/// Tables with more cells than this are written as text.
pub const TEXT_CELLS: usize = 10_000;

/// Whether `table` is too large to be a table element (see [`TEXT_CELLS`]).
pub fn as_text(table: &Table) -> bool {
    table.rows.len() * table.columns.len().max(1) > TEXT_CELLS
}

/// A large table, folded: `html`'s caption (already escaped) and row count
/// as the summary, then `text` (the table in plain text, unescaped) in a
/// `<pre>` with the HTML id `id`, then `html`'s notes.
pub fn text_table(html: &Table, text: &str, id: &str) -> String {
    let caption = html.caption.as_deref().unwrap_or("Table");
    let mut out = format!(
        "<details class=\"long\"><summary>{caption} ({} rows, as text)</summary>\n<pre class=\"grid\" id=\"{}\" aria-label=\"{caption}\">\n{}</pre>\n</details>\n",
        html.rows.len(),
        escape_html(id),
        escape_html(text)
    );
    out.push_str(&notes(&html.notes));
    out
}

/// The notes under a table, those past the first [`FOLD_NOTES`] folded.
fn notes(notes: &[String]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"notes\">\n");
    for (i, note) in notes.iter().enumerate() {
        if i == FOLD_NOTES {
            out.push_str(&format!(
                "<details class=\"long\"><summary>{} more notes</summary>\n",
                notes.len() - FOLD_NOTES
            ));
        }
        out.push_str(&format!("<p>{note}</p>\n"));
    }
    if notes.len() > FOLD_NOTES {
        out.push_str("</details>\n");
    }
    out.push_str("</div>\n");
    out
}

/// The table with the HTML id `id` (unique in the page), and its notes.
pub fn table(table: &Table, id: &str) -> String {
    let mut out = String::with_capacity(64 * (table.rows.len() + 1) * table.columns.len().max(1));
    let folded = table.rows.len() > FOLD_ROWS;
    if folded {
        let what = table.caption.as_deref().unwrap_or("Table");
        out.push_str(&format!(
            "<details class=\"long\"><summary>{what} ({} rows)</summary>\n",
            table.rows.len()
        ));
    }
    out.push_str(&format!(
        "<div class=\"scroll\"><table id=\"{}\">\n",
        escape_html(id)
    ));
    if let Some(caption) = &table.caption {
        out.push_str(&format!("<caption>{caption}</caption>\n"));
    }
    out.push_str("<thead><tr>");
    for column in &table.columns {
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            align(column.align),
            column.text
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, row) in table.rows.iter().enumerate() {
        out.push_str(if table.rules_after.contains(&i) {
            "<tr class=\"rule\">"
        } else {
            "<tr>"
        });
        for (j, cell) in row.iter().enumerate() {
            let column = table.columns.get(j).map_or(Align::Left, |c| c.align);
            // Data cells are right-aligned by default (most are numbers), row
            // headers left-aligned: only the exceptions carry a class, which
            // keeps a 25,000-row page a quarter smaller.
            let mut classes: Vec<&str> = Vec::new();
            match (j, column) {
                (0, Align::Right) => classes.push("r"),
                (0, Align::Left) | (_, Align::Right) => {}
                (_, Align::Left) => classes.push("l"),
            }
            if let Some(tone) = Tone::of(cell) {
                classes.extend(["v", tone.name()]);
            }
            let class = if classes.is_empty() {
                String::new()
            } else {
                format!(" class=\"{}\"", classes.join(" "))
            };
            if j == 0 {
                out.push_str(&format!("<th scope=\"row\"{class}>{cell}</th>"));
            } else {
                out.push_str(&format!("<td{class}>{cell}</td>"));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    if folded {
        out.push_str("</details>\n");
    }
    out.push_str(&notes(&table.notes));
    out
}

fn align(align: Align) -> &'static str {
    match align {
        Align::Left => "",
        Align::Right => " class=\"r\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::table;

    #[test]
    fn header_cells_have_scopes_and_the_caption_comes_first() {
        let mut t = Table::new(vec![table::left("Condition"), table::right("Mean")]);
        t.caption = Some("Results".into());
        t.rows.push(vec!["a &lt;b&gt;".into(), "1.0".into()]);
        t.notes.push("a note".into());
        let html = super::table(&t, "x-1");
        assert!(html.contains("<table id=\"x-1\">\n<caption>Results</caption>"));
        assert!(
            html.contains(
                "<th scope=\"col\">Condition</th><th scope=\"col\" class=\"r\">Mean</th>"
            )
        );
        assert!(html.contains("<th scope=\"row\">a &lt;b&gt;</th><td>1.0</td>"));
        assert!(html.contains("<p>a note</p>"));
        assert!(!html.contains("<details"));
    }

    #[test]
    fn verdict_cells_keep_their_word_and_gain_a_class() {
        let mut t = Table::new(vec![table::left("Metric"), table::left("Verdict")]);
        t.rows
            .push(vec!["wer".into(), "within-noise (underpowered)".into()]);
        let html = super::table(&t, "v");
        assert!(html.contains("<td class=\"l v caution\">within-noise (underpowered)</td>"));
    }

    #[test]
    fn long_tables_are_folded() {
        let mut t = Table::new(vec![table::left("n")]);
        t.rows = (0..=FOLD_ROWS).map(|i| vec![i.to_string()]).collect();
        let html = super::table(&t, "long");
        assert!(html.starts_with("<details class=\"long\"><summary>Table (41 rows)</summary>"));
        assert!(html.trim_end().ends_with("</details>"));
    }

    #[test]
    fn notes_past_the_fold_are_folded() {
        let mut t = Table::new(vec![table::left("n")]);
        t.notes = (0..FOLD_NOTES + 2).map(|i| format!("note {i}")).collect();
        let html = super::table(&t, "n");
        let fold = html.find("<details class=\"long\"><summary>2 more notes</summary>");
        let last_open = html.find(&format!("<p>note {}</p>", FOLD_NOTES - 1));
        assert!(fold.is_some() && last_open < fold, "{html}");
        assert!(html.find(&format!("<p>note {FOLD_NOTES}</p>")) > fold);
    }

    #[test]
    fn a_large_table_is_text_in_a_folded_pre() {
        let mut t = Table::new(vec![table::left("a"), table::right("b")]);
        t.rows = vec![vec!["x".into(), "1".into()]; TEXT_CELLS / 2];
        assert!(!as_text(&t));
        t.rows.push(vec!["y".into(), "2".into()]);
        assert!(as_text(&t));
        t.caption = Some("A &amp; B".into());
        let html = text_table(&t, "a | b\nx<y | 1\n", "big-1");
        assert!(html.starts_with(&format!(
            "<details class=\"long\"><summary>A &amp; B ({} rows, as text)</summary>\n<pre class=\"grid\" id=\"big-1\" aria-label=\"A &amp; B\">\na | b\nx&lt;y | 1\n</pre>",
            TEXT_CELLS / 2 + 1
        )), "{html}");
    }
}
