//! The terminal view: an aligned table and the notes under it.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table as Grid};
use std::io::IsTerminal;

use super::table::{Align, Table, Tone};

/// Colour only for a terminal, and never when `NO_COLOR` is set (no-color.org).
pub fn colour_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The terminal colour of a cell's verdict word.
fn verdict_colour(cell: &str) -> Option<Color> {
    Tone::of(cell).map(|tone| match tone {
        Tone::Good => Color::Green,
        Tone::Bad => Color::Red,
        Tone::Caution => Color::Yellow,
        Tone::Muted => Color::DarkGrey,
    })
}

pub fn render(table: &Table, colour: bool) -> String {
    let mut grid = Grid::new();
    grid.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if !colour {
        grid.force_no_tty();
    }
    grid.set_header(table.columns.iter().map(|c| Cell::new(&c.text)));
    for row in &table.rows {
        grid.add_row(row.iter().zip(&table.columns).map(|(text, column)| {
            let mut cell = Cell::new(text);
            if column.align == Align::Right {
                cell = cell.set_alignment(CellAlignment::Right);
            }
            match verdict_colour(text) {
                Some(c) if colour => cell.fg(c),
                _ => cell,
            }
        }));
    }
    let mut out = String::new();
    if let Some(caption) = &table.caption {
        out.push_str(caption);
        out.push('\n');
    }
    out.push_str(&grid.to_string());
    out.push('\n');
    for note in &table.notes {
        out.push_str(note);
        out.push('\n');
    }
    out
}
