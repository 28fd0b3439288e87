//! Manual items: facts the run tree does not hold, ticked in the study file
//! (`[check] manual = { "code.released" = true }`).

use super::kit::{Context, Finding, Level, Status};

/// Items every paper needs; the study file may tick them or add its own.
const DEFAULTS: &[(&str, &str, &str)] = &[
    (
        "baseline.strong",
        "the baseline is the strongest published one, reproduced with its published hyperparameters",
        "compare against the strongest prior method, with its own tuned settings",
    ),
    (
        "limitations.written",
        "the paper has a limitations section",
        "write what the method does not do and where the evidence is thin",
    ),
    (
        "qualitative.examples",
        "the paper shows qualitative examples (successes and failures)",
        "add examples of outputs, including failure cases",
    ),
    (
        "code.released",
        "code, configs and the seeds are released",
        "publish the code and configs (or commit to releasing them) and say so in the paper",
    ),
];

pub fn items(ctx: &Context) -> Vec<Finding> {
    let ticked = &ctx.check.manual;
    let mut ids: Vec<&str> = DEFAULTS.iter().map(|d| d.0).collect();
    for id in ticked.keys() {
        if !ids.contains(&id.as_str()) {
            ids.push(id);
        }
    }
    ids.into_iter()
        .map(|id| {
            let known = DEFAULTS.iter().find(|d| d.0 == id);
            let what = known.map_or(id, |d| d.1);
            let fix = known.map_or(
                "do it, then tick it in [check] manual of xreport.toml",
                |d| d.2,
            );
            let (status, message) = match ticked.get(id) {
                Some(true) => (Status::Pass, format!("{what} (ticked in xreport.toml)")),
                Some(false) => (
                    Status::Manual,
                    format!("{what}: not done (false in xreport.toml)"),
                ),
                None => (Status::Manual, format!("{what}: not ticked")),
            };
            Finding {
                id: id.to_string(),
                level: Level::Info,
                status,
                message,
                evidence: Vec::new(),
                fix: fix.to_string(),
            }
        })
        .collect()
}
