//! `xreport report` (DESIGN section 15): golden HTML of the examples, the
//! same bytes across runs and thread counts, user strings shown as text,
//! unique ids, bad input refused with no file left, and the page loaded in
//! a real headless Chromium with networking disabled.
//!
//! Under `CI=true` a missing chromium fails the browser test; elsewhere it
//! is skipped with a printed reason (`.ci/run` installs it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{assert_golden, command_json, root, tree, xreport};

/// The section ids of the page, in order, as the table of contents links them.
const SPEECH_SECTIONS: [&str; 7] = [
    "overview",
    "main-table",
    "comparisons",
    "ablation",
    "checklist",
    "statistics",
    "provenance",
];

/// Run `xreport report ARGS -o <temp>/report.html` from the repository
/// root with `threads` rayon threads; the page's bytes.
fn report(args: &[&str], threads: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.html");
    xreport()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(&out)
        .env("RAYON_NUM_THREADS", threads)
        .assert()
        .success();
    std::fs::read(&out).expect("the page is written")
}

/// Every `id="…"` of the page, SVG included.
fn ids(html: &str) -> Vec<String> {
    html.match_indices(" id=\"")
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest[..rest.find('"').unwrap_or(rest.len())].to_string()
        })
        .collect()
}

fn assert_ids_unique(html: &str) {
    let all = ids(html);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(all.len(), unique.len(), "duplicate ids in {all:?}");
}

/// The page names no URL and loads no resource: no `src`, no `<link>`, no
/// `url(`, no `@import`, no `http:`/`https:`.
fn assert_self_contained(html: &str) {
    for needle in [
        "http:", "https:", " src=", "<link", "url(", "@import", "<script",
    ] {
        assert!(!html.contains(needle), "the page contains {needle:?}");
    }
}

#[test]
fn report_of_the_speech_study_matches_golden_html() {
    let html = report(&["examples/speech-ssl/runs"], "2");
    assert_golden("report/speech-ssl.html", &html);
    let text = String::from_utf8(html).expect("UTF-8");
    for id in SPEECH_SECTIONS {
        assert!(
            text.contains(&format!("<section id=\"{id}\"")),
            "section {id}"
        );
        assert!(
            text.contains(&format!("<li><a href=\"#{id}\">")),
            "contents link to {id}"
        );
    }
    assert!(text.contains("<figure id=\"comparisons-figure-1\">"));
    assert!(text.contains("Learning curves</strong>: no training histories"));
    assert_ids_unique(&text);
    assert_self_contained(&text);
}

#[test]
fn report_of_the_multi_dataset_study_ranks_methods_over_tasks() {
    let html = report(&["examples/multi-dataset/runs"], "2");
    assert_golden("report/multi-dataset.html", &html);
    let text = String::from_utf8(html).expect("UTF-8");
    assert!(text.contains("<section id=\"ranks\""));
    assert!(text.contains("<figure id=\"ranks-figure-1\">"));
    assert!(text.contains("<figure id=\"ranks-figure-2\">"));
    assert!(text.contains("Critical-difference diagram of test.acc over 3 tasks"));
    assert!(text.contains("<section id=\"aggregates\""));
    assert!(text.contains("<li><a href=\"#aggregates\">Aggregates over tasks</a></li>"));
    assert!(text.contains("<caption>Aggregates of test.acc over 3 tasks (raw scores)"));
    assert!(!text.contains("Aggregates of test.loss"));
    assert!(text.contains("<strong>Aggregates over tasks</strong>: test.loss: lower is better"));
    assert!(text.contains("<strong>Comparisons</strong>: the study is split over 3 tasks"));
    assert_ids_unique(&text);
    assert_self_contained(&text);
}

#[test]
fn report_is_the_same_bytes_across_runs_and_thread_counts() {
    let args = ["examples/speech-ssl/runs", "--resamples", "500"];
    let one = report(&args, "1");
    assert_eq!(one, report(&args, "2"), "1 vs 2 threads");
    assert_eq!(one, report(&args, "1"), "two runs");
    let text = String::from_utf8(one).expect("UTF-8");
    assert!(
        !text.contains("Made by xreport 0.1.0 on "),
        "no date without --stamp"
    );
}

#[test]
fn stamp_adds_the_date() {
    let text = String::from_utf8(report(
        &["examples/speech-ssl/runs", "--resamples", "500", "--stamp"],
        "2",
    ))
    .unwrap();
    let at = text.find("Made by xreport 0.1.0 on ").expect("a date") + 25;
    let date = &text[at..at + 10];
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{date:?}"
    );
}

#[test]
fn learning_curves_and_latents_get_their_sections_with_figures() {
    let text = String::from_utf8(report(
        &[
            "examples/tianshou-mujoco/Hopper-v3/sac/test_rew_10seeds.csv",
            "examples/tianshou-mujoco/Hopper-v3/td3/test_rew_10seeds.csv",
            "--resamples",
            "200",
            "--latents",
            "examples/latents/*/latents.npy",
            "--labels",
            "examples/latents/labels.txt",
        ],
        "2",
    ))
    .unwrap();
    assert!(text.contains("<section id=\"curves\""));
    assert!(text.contains("<figure id=\"curves-figure-1\">"));
    assert!(text.contains("<section id=\"pca\""));
    assert!(text.contains("<figure id=\"pca-figure-1\">"));
    assert!(text.contains("examples/latents/seed_42/latents.npy"));
    assert!(text.contains("role=\"img\" aria-labelledby=\"pca-figure-1-alt\""));
    assert_ids_unique(&text);
    assert_self_contained(&text);
}

/// A results table whose condition names are markup.
fn hostile_table() -> tempfile::TempDir {
    let mut csv = String::from("condition,seed,acc\n");
    for (condition, base) in [
        ("baseline", 80.0),
        ("<script>alert(1)</script>", 82.0),
        ("a&b \"q\" 'x'", 79.0),
    ] {
        for seed in 0..3 {
            csv.push_str(&format!(
                "\"{}\",{seed},{}\n",
                condition.replace('"', "\"\""),
                base + f64::from(seed) * 0.3
            ));
        }
    }
    tree(&[("results.csv", &csv)])
}

#[test]
fn a_condition_named_like_a_script_shows_as_text() {
    let dir = hostile_table();
    let out = dir.path().join("report.html");
    xreport()
        .args([
            "report",
            "results.csv",
            "--resamples",
            "200",
            "-o",
            "report.html",
        ])
        .current_dir(dir.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("<script>alert(1)</script>"));
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || text.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!text.contains("a&b \"q\""));
    assert_ids_unique(&text);
    assert_self_contained(&text);
    if let Some(chromium) = chromium() {
        let dom = dump_dom(&chromium, &out);
        assert!(!dom.contains("<script"), "a script element reached the DOM");
        assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}

#[test]
fn a_malformed_results_file_exits_2_and_writes_nothing() {
    let dir = tree(&[
        ("runs/a/seed_1/results.json", "{\"acc\": 0.8}"),
        ("runs/a/seed_2/results.json", "{\"acc\": 0.8"),
    ]);
    let out = xreport()
        .args(["report", "runs", "-o", "out/report.html"])
        .current_dir(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("seed_2/results.json"), "{stderr}");
    assert_no_page(&dir.path().join("out"));
}

#[test]
fn a_latents_glob_matching_nothing_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = xreport()
        .args([
            "report",
            "examples/speech-ssl/runs",
            "--latents",
            "examples/nowhere/*.npy",
            "-o",
        ])
        .arg(&page)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("matches no file"), "{stderr}");
    assert_no_page(dir.path());
}

#[test]
fn a_broken_template_exits_2_naming_it_and_writes_nothing() {
    let dir = tree(&[("page.tera", "{{ page.title ")]);
    let page = dir.path().join("report.html");
    let out = xreport()
        .args([
            "report",
            "examples/speech-ssl/runs",
            "--resamples",
            "200",
            "--template",
        ])
        .arg(dir.path().join("page.tera"))
        .arg("-o")
        .arg(&page)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("page.tera") && stderr.contains("template error"),
        "{stderr}"
    );
    assert!(!page.exists());
}

#[test]
fn a_template_of_ones_own_gets_the_page_and_the_report() {
    let dir = tree(&[(
        "page.tera",
        "{{ page.title }}|{{ report.schema }}|{% for s in page.sections %}{{ s.id }} {% endfor %}",
    )]);
    let page = dir.path().join("report.html");
    xreport()
        .args([
            "report",
            "examples/speech-ssl/runs",
            "--resamples",
            "200",
            "--title",
            "A <b>",
            "--template",
        ])
        .arg(dir.path().join("page.tera"))
        .arg("-o")
        .arg(&page)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        "A &lt;b&gt;|xreport.report&#x2F;1|overview main-table comparisons ablation checklist statistics "
    );
}

/// No page and no temporary file in `dir` (which may not exist).
fn assert_no_page(dir: &Path) {
    let left: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Debian's chromium, or `None` (skipped, with the reason) outside CI.
fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium is missing under CI=true: .ci/run must install it (apt-get install chromium)"
        );
        eprintln!("skipped: chromium is not installed (apt-get install chromium)");
    }
    found
}

/// Headless Chromium with networking off: a fresh profile, no background
/// or component traffic, every host name unresolvable, and a net log of
/// whatever it still tried.
fn headless(chromium: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

fn dump_dom(chromium: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = headless(chromium, profile.path())
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_page_renders_in_headless_chromium_offline_with_every_section() {
    let Some(chromium) = chromium() else { return };
    let page = root().join("target/report/speech-ssl.html");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(
        &page,
        report(&["examples/speech-ssl/runs", "--resamples", "500"], "2"),
    )
    .unwrap();

    let dom = dump_dom(&chromium, &page);
    for id in SPEECH_SECTIONS {
        assert!(
            dom.contains(&format!("<section id=\"{id}\"")),
            "section {id} is not in the DOM"
        );
    }
    assert!(
        dom.contains("<svg role=\"img\""),
        "the figure is not in the DOM"
    );
    assert!(dom.contains("</html>"), "the DOM is cut short");

    // The page requests nothing: the net log has no request of its frame.
    let screenshot = root().join("target/report/speech-ssl.png");
    let requests = page_requests(&chromium, &page, Some(&screenshot));
    assert!(requests.is_empty(), "the page requested {requests:?}");
    let png = std::fs::read(&screenshot).expect("a screenshot is saved");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");

    // The check can fail: a page with an image and a style sheet from the network.
    let dir = tree(&[(
        "control.html",
        "<!DOCTYPE html><html><body><img src=\"http://example.invalid/x.png\"><link rel=\"stylesheet\" href=\"https://fonts.example/a.css\"></body></html>",
    )]);
    let requests = page_requests(&chromium, &dir.path().join("control.html"), None);
    assert_eq!(
        requests,
        [
            "http://example.invalid/x.png",
            "https://fonts.example/a.css"
        ],
        "the net-log check does not see a page's requests"
    );
}

/// The URLs the page itself asked for (not the browser's own background
/// traffic, which the host rules send nowhere), from Chromium's net log:
/// every `URL_REQUEST_START_JOB` of the `file://` page's network partition.
fn page_requests(chromium: &Path, page: &Path, screenshot: Option<&Path>) -> Vec<String> {
    let profile = tempfile::tempdir().unwrap();
    let log = profile.path().join("net-log.json");
    let mut cmd = headless(chromium, &profile.path().join("profile"));
    cmd.arg(format!("--log-net-log={}", log.display()));
    match screenshot {
        Some(path) => cmd
            .arg(format!("--screenshot={}", path.display()))
            .arg("--window-size=1280,2400"),
        None => cmd.arg("--dump-dom"),
    };
    let out = cmd
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&log).expect("chromium wrote its net log");
    let net: serde_json::Value = serde_json::from_str(&text).expect("the net log is JSON");
    let start = net["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(start.is_number(), "the net log names URL_REQUEST_START_JOB");
    let mut urls: Vec<String> = net["events"]
        .as_array()
        .expect("net log events")
        .iter()
        .filter(|e| e["type"] == start)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.contains("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// The large study of issue #19 (as `benches/report_page.py`): 500
/// conditions × 50 metrics, 5 seeds each, as one wide CSV.
fn large_study() -> tempfile::TempDir {
    let metrics: Vec<String> = (0..50).map(|j| format!("m{j:02}")).collect();
    let mut csv = format!("condition,seed,{}\n", metrics.join(","));
    // A fixed linear congruential sequence: values spread like seeds' noise.
    let mut state: u64 = 19;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..500 {
        let name = if i == 0 {
            "baseline".to_string()
        } else {
            format!("method_{i:03}")
        };
        let shift: Vec<f64> = metrics.iter().map(|_| next() - 0.5).collect();
        for seed in 0..5 {
            let values: Vec<String> = shift
                .iter()
                .map(|s| format!("{:.4}", 70.0 + s + (next() - 0.5) * 0.8))
                .collect();
            csv.push_str(&format!("{name},{seed},{}\n", values.join(",")));
        }
    }
    tree(&[("large.csv", &csv)])
}

/// The page of 500 conditions × 50 metrics stays well under 20 MB and
/// opens folded: no table open past the fold, no table element of more
/// than 10,000 cells (those are text in a folded `<pre>`), the checklist's
/// evidence capped. Its load time is measured by benches/report_page.sh,
/// not asserted here.
#[test]
fn a_study_of_500_conditions_and_50_metrics_stays_small_and_folded() {
    let dir = large_study();
    xreport()
        .args([
            "report",
            "large.csv",
            "--resamples",
            "100",
            "-o",
            "report.html",
        ])
        .current_dir(dir.path())
        .assert()
        .success();
    let bytes = std::fs::read(dir.path().join("report.html")).unwrap();
    assert!(bytes.len() < 12_000_000, "{} bytes", bytes.len());
    let text = String::from_utf8(bytes).unwrap();
    // Every table element: its rows, and whether a <details> left open before it is still open.
    let mut depth = 0i32;
    let mut at = 0;
    let mut tables = 0;
    while let Some(found) = text[at..].find('<') {
        at += found;
        let rest = &text[at..];
        if rest.starts_with("<details") {
            depth += 1;
        } else if rest.starts_with("</details>") {
            depth -= 1;
        } else if rest.starts_with("<table") {
            tables += 1;
            let end = at + rest.find("</table>").expect("a closed table");
            let rows = text[at..end].matches("<tr").count() - 1;
            let cells = text[at..end].matches("<td").count();
            assert!(cells <= 10_000, "a table element of {cells} cells");
            assert!(rows <= 40 || depth > 0, "an open table of {rows} rows");
        }
        at += 1;
    }
    assert!(tables >= 3, "{tables} tables");
    for id in [
        "main-table-table-1",
        "comparisons-table-1",
        "statistics-table-1",
    ] {
        let pre = text
            .find(&format!("<pre class=\"grid\" id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} is not a text table"));
        let open = text[..pre].rfind("<details class=\"long\">").unwrap();
        assert!(
            !text[open..pre].contains("</details>"),
            "{id} is not folded"
        );
    }
    assert!(text.contains(
        "<summary>Each treatment against the baseline, per metric (25000 rows, as text)</summary>"
    ));
    assert!(text.contains("more (`xreport check` lists every one)"));
    assert!(!text.contains("NaN"));
    assert_ids_unique(&text);
    assert_self_contained(&text);
}

/// `report.KEY` of the page for ARGS as JSON, through a template of one's own.
fn report_json(args: &[&str], key: &str) -> Value {
    let dir = tree(&[(
        "dump.tera",
        &format!("{{{{ report.{key} | json_encode() | safe }}}}"),
    )]);
    let page = dir.path().join("report.json");
    xreport()
        .arg("report")
        .args(args)
        .arg("--template")
        .arg(dir.path().join("dump.tera"))
        .arg("-o")
        .arg(&page)
        .assert()
        .success();
    serde_json::from_str(&std::fs::read_to_string(&page).unwrap()).expect("JSON")
}

#[test]
fn the_aggregates_section_is_what_xreport_aggregate_computes() {
    let study = [
        "examples/multi-dataset/results.csv",
        "--condition-col",
        "method",
        "--task-col",
        "dataset",
        "--resamples",
        "500",
    ];
    let page = report_json(&study, "aggregates");
    let page = page.as_array().expect("one per metric");
    assert_eq!(page.len(), 1, "test.loss is lower-is-better: left out");
    assert_eq!(page[0]["metric"], "test.acc");
    let mut args = study.to_vec();
    args.extend(["--metric", "test.acc"]);
    let command = command_json("aggregate", &args);
    for key in ["aggregates", "tasks_above", "per_task", "settings"] {
        assert_eq!(page[0]["aggregate"][key], command[key], "{key}");
    }
    assert!(command["aggregates"].as_array().unwrap().len() >= 16);
}

#[test]
fn per_example_comparisons_are_those_of_xreport_compare() {
    let args = [
        "examples/per-example/scores.csv",
        "--baseline",
        "gpt-small",
        "--resamples",
        "500",
    ];
    let page = report_json(&args, "compare");
    let command = command_json("compare", args);
    assert_eq!(page, command);
    let block = &command["comparisons"][0]["examples"];
    assert!(block.is_object(), "the comparison is per example: {block}");
    // and with a flag of the per-example path
    let mut args = args.to_vec();
    args.extend(["--unit", "seeds"]);
    let page = report_json(&args, "compare");
    assert_eq!(page, command_json("compare", &args));
    assert_eq!(page["comparisons"][0]["unit"], "seeds");
}

#[test]
fn a_missing_example_exits_2_naming_the_file_and_writes_nothing() {
    let dir = tree(&[(
        "scores.csv",
        "condition,seed,example,metric,value\n\
         sys_a,0,e1,acc,1\nsys_a,0,e2,acc,0\nsys_a,0,e3,acc,NaN\n\
         sys_b,0,e1,acc,1\nsys_b,0,e2,acc,1\nsys_b,0,e3,acc,1\n",
    )]);
    let out = xreport()
        .args([
            "report",
            "scores.csv",
            "--baseline",
            "sys_a",
            "-o",
            "out/report.html",
        ])
        .current_dir(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("scores.csv"), "{stderr}");
    assert!(stderr.contains("example `e3`"), "{stderr}");
    assert_no_page(&dir.path().join("out"));
    // --missing drop keeps e1 and e2: the page is written.
    xreport()
        .args([
            "report",
            "scores.csv",
            "--baseline",
            "sys_a",
            "--missing",
            "drop",
            "--resamples",
            "200",
            "-o",
            "out/report.html",
        ])
        .current_dir(dir.path())
        .assert()
        .success();
    let out = xreport()
        .args([
            "report",
            "scores.csv",
            "--missing",
            "sometimes",
            "-o",
            "r.html",
        ])
        .current_dir(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("--missing"), "{stderr}");
}

#[test]
fn the_task_study_renders_its_aggregates_in_headless_chromium() {
    let Some(chromium) = chromium() else { return };
    let page = root().join("target/report/multi-dataset.html");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(
        &page,
        report(&["examples/multi-dataset/runs", "--resamples", "300"], "2"),
    )
    .unwrap();
    let dom = dump_dom(&chromium, &page);
    for id in ["overview", "main-table", "ranks", "aggregates", "checklist"] {
        assert!(
            dom.contains(&format!("<section id=\"{id}\"")),
            "section {id} is not in the DOM"
        );
    }
    assert!(dom.contains("<table id=\"aggregates-table-1\">"));
    assert!(dom.contains("<th scope=\"row\">ours</th>"));
    assert!(dom.contains("<a href=\"#aggregates\">Aggregates over tasks</a>"));
    assert!(dom.contains("</html>"), "the DOM is cut short");
}

#[test]
fn the_per_seed_figure_draws_the_first_12_metrics_and_names_the_others() {
    let metrics: Vec<String> = (0..14).map(|j| format!("m{j:02}")).collect();
    let mut csv = format!("condition,seed,{}\n", metrics.join(","));
    for (i, condition) in ["baseline", "a", "b"].iter().enumerate() {
        for seed in 0..3 {
            let values: Vec<String> = (0..14)
                .map(|j| format!("{}", 70 + i + j + seed * 2))
                .collect();
            csv.push_str(&format!("{condition},{seed},{}\n", values.join(",")));
        }
    }
    let dir = tree(&[("wide.csv", &csv)]);
    xreport()
        .args([
            "report",
            "wide.csv",
            "--resamples",
            "200",
            "-o",
            "report.html",
        ])
        .current_dir(dir.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let figure = text
        .find("<figure id=\"comparisons-figure-1\">")
        .expect("the figure is drawn");
    let alt = &text[figure..text[figure..].find("</figure>").unwrap() + figure];
    assert!(
        alt.contains(
            "one panel per metric (m00, m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11)"
        ),
        "{alt}"
    );
    assert!(
        alt.contains("The other 2 metrics (m12, m13) are left out of the figure"),
        "{alt}"
    );
    // 12 panels: one title per drawn metric in the SVG.
    let svg = &alt[..alt.find("</svg>").unwrap()];
    assert!(
        svg.contains("\nm11 ↑\n") && !svg.contains("m12 ↑"),
        "panel titles"
    );
}
