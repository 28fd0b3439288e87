//! The `.wandb` transaction log of a W&B run (`run-<id>.wandb`).
//!
//! Current wandb keeps offline runs only here: neither 0.17 nor 0.31 writes
//! `files/config.yaml` offline, and only the log holds the history.
//!
//! Framing, as wandb's `sdk/internal/datastore.py` writes it (wandb-core
//! writes the same bytes): a 7-byte file header (`:W&B`, magic `0xBEE1`
//! little-endian, version 0), then LevelDB-style chunks in 32 KiB blocks
//! counted from the start of the file. A chunk is a 7-byte header (checksum
//! `u32` LE, length `u16` LE, type `u8`) and its data, and never crosses a
//! block: a block's last bytes, when fewer than 7, are zero padding. Type 1
//! (FULL) holds a whole record, types 2, 3, 4 (FIRST, MIDDLE, LAST) one split
//! over blocks. The checksum is CRC-32 (IEEE, `zlib.crc32`) of the type byte
//! followed by the data, unmasked: not LevelDB's masked CRC-32C.
//!
//! Each record is a `wandb_internal.Record` protobuf; only its `history`,
//! `summary`, `config` and `run` cases are read, every other record type is
//! skipped. Items name their key in `key` or, when set, in `nested_key`
//! (wandb-core writes `["train/loss"]` there with `key` empty), and carry
//! their value as JSON text in `value_json` (Python's `NaN`/`Infinity`
//! included) or, in history items written with wandb's typed encoding, as a
//! typed scalar.
//!
//! A log cut short (a killed process, a run still being written) is not an
//! error: the records before the cut are returned with the cut's offset.
//! A checksum mismatch, an unknown chunk type or chunks out of order are.

use std::path::Path;

use prost::Message;
use serde_json::{Map, Value};

use super::json::{self, Flat};
use super::point::Point;
use crate::error::{Error, Result};

/// `:W&B`, magic `0xBEE1` (little-endian), format version 0.
const FILE_HEADER: [u8; 7] = [b':', b'W', b'&', b'B', 0xE1, 0xBE, 0];
const BLOCK: usize = 32 * 1024;
const CHUNK_HEADER: usize = 7;

const FULL: u8 = 1;
const FIRST: u8 = 2;
const MIDDLE: u8 = 3;
const LAST: u8 = 4;

/// What a run's log says about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogContents {
    /// The id of the latest `run` record.
    pub run_id: Option<String>,
    /// The run's W&B group and job type (`wandb.init(group=…, job_type=…)`),
    /// which users often set to the condition.
    pub group: Option<String>,
    pub job_type: Option<String>,
    /// Flattened with `.`; W&B's `{value: …}` wrappers unwrapped, `_wandb` dropped.
    pub config: Flat,
    /// Flattened with `.`, raw JSON values (W&B's own `_wandb.*`, `_runtime` … kept).
    pub summary: Flat,
    /// The numeric values of every history row; W&B's `_` keys skipped.
    pub history: Vec<Point>,
    /// byte offset where a cut-short log ends
    pub truncated_at: Option<u64>,
}

#[derive(Clone, PartialEq, Message)]
struct Record {
    #[prost(message, optional, tag = "2")]
    history: Option<HistoryRecord>,
    #[prost(message, optional, tag = "3")]
    summary: Option<Updates>,
    #[prost(message, optional, tag = "5")]
    config: Option<Updates>,
    #[prost(message, optional, tag = "17")]
    run: Option<RunRecord>,
}

#[derive(Clone, PartialEq, Message)]
struct RunRecord {
    #[prost(string, tag = "1")]
    run_id: String,
    #[prost(message, optional, tag = "4")]
    config: Option<Updates>,
    #[prost(message, optional, tag = "5")]
    summary: Option<Updates>,
    #[prost(string, tag = "6")]
    run_group: String,
    #[prost(string, tag = "7")]
    job_type: String,
}

/// `ConfigRecord` and `SummaryRecord` have the same shape.
#[derive(Clone, PartialEq, Message)]
struct Updates {
    #[prost(message, repeated, tag = "1")]
    update: Vec<Item>,
    #[prost(message, repeated, tag = "2")]
    remove: Vec<Item>,
}

/// `ConfigItem` and `SummaryItem`.
#[derive(Clone, PartialEq, Message)]
struct Item {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(string, repeated, tag = "2")]
    nested_key: Vec<String>,
    #[prost(string, tag = "16")]
    value_json: String,
}

#[derive(Clone, PartialEq, Message)]
struct HistoryRecord {
    #[prost(message, repeated, tag = "1")]
    item: Vec<HistoryItem>,
    #[prost(message, optional, tag = "2")]
    step: Option<HistoryStep>,
}

#[derive(Clone, PartialEq, Message)]
struct HistoryStep {
    #[prost(int64, tag = "1")]
    num: i64,
}

/// A history item: JSON text, or (wandb's typed encoding) one of the
/// `value` oneof's scalar cases. `boolean` and `text` are not numbers and
/// are left undeclared, hence skipped.
#[derive(Clone, PartialEq, Message)]
struct HistoryItem {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(string, repeated, tag = "2")]
    nested_key: Vec<String>,
    /// `google.protobuf.NullValue`: a logged `None`.
    #[prost(int32, optional, tag = "3")]
    none: Option<i32>,
    #[prost(sint64, optional, tag = "5")]
    integer: Option<i64>,
    #[prost(double, optional, tag = "6")]
    number: Option<f64>,
    #[prost(string, optional, tag = "8")]
    json: Option<String>,
    #[prost(string, tag = "16")]
    value_json: String,
}

/// Read a run's `.wandb` log.
pub fn read_log(path: &Path) -> Result<LogContents> {
    let bytes = super::guard::read_bytes(path)?;
    parse(path, &bytes)
}

/// The log in `bytes` (read from `path`, which errors name).
fn parse(path: &Path, bytes: &[u8]) -> Result<LogContents> {
    let mut state = State::default();
    let truncated_at = split_records(path, bytes, |offset, data| {
        let record = Record::decode(data).map_err(|e| {
            Error::input_at(
                path,
                format!("byte {offset}"),
                format!("not a W&B record: {e}"),
            )
        })?;
        state
            .apply(record)
            .map_err(|message| Error::input_at(path, format!("byte {offset}"), message))
    })?;
    Ok(state.finish(truncated_at.map(|t| t as u64)))
}

/// Call `record(offset, data)` for each whole record of the log, where
/// `offset` is the byte where its first chunk starts. Returns where a
/// cut-short log stops being whole, if it does.
fn split_records(
    path: &Path,
    bytes: &[u8],
    mut record: impl FnMut(usize, &[u8]) -> Result<()>,
) -> Result<Option<usize>> {
    let at =
        |offset: usize, message: String| Error::input_at(path, format!("byte {offset}"), message);
    let header_len = bytes.len().min(FILE_HEADER.len());
    if bytes[..header_len] != FILE_HEADER[..header_len] {
        return Err(at(0, bad_header(&bytes[..header_len])));
    }
    if bytes.len() < FILE_HEADER.len() {
        return Ok(Some(0));
    }
    let mut pos = FILE_HEADER.len();
    // End of the last whole record: everything after it is a cut-short tail.
    let mut whole = pos;
    // A record split over blocks: where it starts, and its data so far.
    let mut split: Option<(usize, Vec<u8>)> = None;
    while pos < bytes.len() {
        let block_left = BLOCK - pos % BLOCK;
        if block_left < CHUNK_HEADER {
            let end = bytes.len().min(pos + block_left);
            if bytes[pos..end].iter().any(|&b| b != 0) {
                return Err(at(
                    pos,
                    "non-zero bytes in the padding at the end of a 32 KiB block: the log is corrupt"
                        .into(),
                ));
            }
            pos += block_left;
            continue;
        }
        let Some(header) = bytes.get(pos..pos + CHUNK_HEADER) else {
            break;
        };
        let checksum = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
        let len = usize::from(u16::from_le_bytes([header[4], header[5]]));
        let kind = header[6];
        if kind == 0 && bytes[pos..].iter().all(|&b| b == 0) {
            // Zeros to the end: space the file system gave the log but
            // the writer never filled (a crash), like LevelDB's zero type.
            break;
        }
        if !(FULL..=LAST).contains(&kind) {
            return Err(at(
                pos,
                format!(
                    "unknown chunk type {kind}: a W&B log has 1 (FULL), 2 (FIRST), \
                     3 (MIDDLE) or 4 (LAST); the log is corrupt"
                ),
            ));
        }
        if CHUNK_HEADER + len > block_left {
            return Err(at(
                pos,
                format!(
                    "a chunk of {len} bytes runs past the end of its 32 KiB block: the log is corrupt"
                ),
            ));
        }
        let start = pos + CHUNK_HEADER;
        let Some(data) = bytes.get(start..start + len) else {
            break;
        };
        if chunk_checksum(kind, data) != checksum {
            return Err(at(
                pos,
                format!(
                    "checksum mismatch in a {} chunk of {len} bytes: the log is corrupt",
                    kind_name(kind)
                ),
            ));
        }
        match (kind, split.take()) {
            (FULL, None) => {
                record(pos, data)?;
                whole = start + len;
            }
            (FIRST, None) => split = Some((pos, data.to_vec())),
            (MIDDLE, Some((first, mut joined))) => {
                joined.extend_from_slice(data);
                split = Some((first, joined));
            }
            (LAST, Some((first, mut joined))) => {
                joined.extend_from_slice(data);
                record(first, &joined)?;
                whole = start + len;
            }
            (_, Some((first, _))) => {
                return Err(at(
                    pos,
                    format!(
                        "a {} chunk inside the record that starts at byte {first}, \
                         before its LAST chunk: the log is corrupt",
                        kind_name(kind)
                    ),
                ));
            }
            (_, None) => {
                return Err(at(
                    pos,
                    format!(
                        "a {} chunk with no FIRST chunk before it: the log is corrupt",
                        kind_name(kind)
                    ),
                ));
            }
        }
        pos = start + len;
    }
    Ok((whole < bytes.len()).then_some(whole))
}

fn bad_header(found: &[u8]) -> String {
    let hex: Vec<String> = found.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "not a W&B transaction log: expected the header `:W&B` with magic 0xBEE1 and \
         version 0 (3a 57 26 42 e1 be 00), found {}",
        hex.join(" ")
    )
}

/// wandb's chunk checksum: `zlib.crc32(data, zlib.crc32(bytes([type])))`.
fn chunk_checksum(kind: u8, data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&[kind]);
    hasher.update(data);
    hasher.finalize()
}

fn kind_name(kind: u8) -> &'static str {
    match kind {
        FULL => "FULL",
        FIRST => "FIRST",
        MIDDLE => "MIDDLE",
        _ => "LAST",
    }
}

/// The run as the records so far describe it.
#[derive(Default)]
struct State {
    run_id: Option<String>,
    group: Option<String>,
    job_type: Option<String>,
    config: Map<String, Value>,
    summary: Map<String, Value>,
    history: Vec<Point>,
}

impl State {
    /// Apply one record; an error is a message for the record's offset.
    fn apply(&mut self, record: Record) -> Result<(), String> {
        if let Some(run) = record.run {
            if !run.run_id.is_empty() {
                self.run_id = Some(run.run_id);
            }
            if !run.run_group.is_empty() {
                self.group = Some(run.run_group);
            }
            if !run.job_type.is_empty() {
                self.job_type = Some(run.job_type);
            }
            if let Some(config) = run.config {
                apply_updates(&mut self.config, &config)?;
            }
            if let Some(summary) = run.summary {
                apply_updates(&mut self.summary, &summary)?;
            }
        }
        if let Some(config) = record.config {
            apply_updates(&mut self.config, &config)?;
        }
        if let Some(summary) = record.summary {
            apply_updates(&mut self.summary, &summary)?;
        }
        if let Some(history) = record.history {
            self.add_history(&history)?;
        }
        Ok(())
    }

    /// One history row: its step is the `_step` item (wandb 0.17 leaves
    /// `step.num` at 0) or else `step.num`.
    fn add_history(&mut self, row: &HistoryRecord) -> Result<(), String> {
        let mut values = Vec::with_capacity(row.item.len());
        let mut step = None;
        for item in &row.item {
            let name = item_name(&item.key, &item.nested_key);
            let Some(value) = history_value(item).transpose()? else {
                continue;
            };
            if name == "_step" {
                step = value.as_i64().or_else(|| {
                    value
                        .as_f64()
                        .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                        .map(|f| f as i64)
                });
            } else if !name.starts_with('_') {
                values.push((name, value));
            }
        }
        let step = step.unwrap_or_else(|| row.step.as_ref().map_or(0, |s| s.num));
        for (name, value) in values {
            push_numbers(&mut self.history, name, step, &value);
        }
        Ok(())
    }

    fn finish(self, truncated_at: Option<u64>) -> LogContents {
        LogContents {
            run_id: self.run_id,
            group: self.group,
            job_type: self.job_type,
            config: config_flat(self.config),
            summary: json::flatten(&Value::Object(self.summary)),
            history: self.history,
            truncated_at,
        }
    }
}

/// The dotted name of an item: `nested_key` when set, else `key`.
fn item_name(key: &str, nested: &[String]) -> String {
    if nested.is_empty() {
        key.to_string()
    } else {
        nested.join(".")
    }
}

/// The path an item sets: `nested_key` when set, else `[key]`.
fn item_path(item: &Item) -> Vec<&str> {
    if item.nested_key.is_empty() {
        vec![item.key.as_str()]
    } else {
        item.nested_key.iter().map(String::as_str).collect()
    }
}

/// Apply `update` items (later ones override) then `remove` items.
fn apply_updates(map: &mut Map<String, Value>, updates: &Updates) -> Result<(), String> {
    for item in &updates.update {
        let value = parse_value(&item_name(&item.key, &item.nested_key), &item.value_json)?;
        set_path(map, &item_path(item), value);
    }
    for item in &updates.remove {
        remove_path(map, &item_path(item));
    }
    Ok(())
}

fn set_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut level = map;
    for key in parents {
        let child = level
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !child.is_object() {
            *child = Value::Object(Map::new());
        }
        let Value::Object(next) = child else {
            return;
        };
        level = next;
    }
    level.insert(last.to_string(), value);
}

fn remove_path(map: &mut Map<String, Value>, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut level = map;
    for key in parents {
        let Some(Value::Object(next)) = level.get_mut(*key) else {
            return;
        };
        level = next;
    }
    level.shift_remove(*last);
}

/// `value_json` text; Python's `NaN` and `Infinity` become null.
fn parse_value(name: &str, text: &str) -> Result<Value, String> {
    json::parse(Path::new(name), text)
        .map_err(|_| format!("the value of `{name}` is not JSON: {:.60}", text))
}

/// The value of a history item, typed form first; `None` when it has no
/// number to give (`boolean`, `text`, nothing set).
fn history_value(item: &HistoryItem) -> Option<Result<Value, String>> {
    let name = || item_name(&item.key, &item.nested_key);
    if let Some(n) = item.number {
        return Some(Ok(
            serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
        ));
    }
    if let Some(i) = item.integer {
        return Some(Ok(Value::from(i)));
    }
    if item.none.is_some() {
        return Some(Ok(Value::Null));
    }
    if let Some(text) = &item.json {
        return Some(parse_value(&name(), text));
    }
    (!item.value_json.is_empty()).then(|| parse_value(&name(), &item.value_json))
}

/// The numbers of a logged value: a number, a null (a missing value), or a
/// dict of them (`{"val": {"acc": 0.5}}` is `val.acc`). W&B media objects
/// (`{_type: …}`), strings and booleans give none.
pub(crate) fn push_numbers(points: &mut Vec<Point>, name: String, step: i64, value: &Value) {
    match value {
        Value::Number(n) => points.push(Point {
            metric: name,
            step,
            value: n.as_f64().filter(|v| v.is_finite()),
        }),
        Value::Null => points.push(Point {
            metric: name,
            step,
            value: None,
        }),
        Value::Object(map) if !map.contains_key("_type") => {
            for (key, child) in map {
                push_numbers(points, format!("{name}.{key}"), step, child);
            }
        }
        _ => {}
    }
}

/// A W&B config as the user set it: each top-level `{value: …, desc: …}`
/// wrapper (config.yaml's form) replaced by its value, `_wandb` (W&B's own
/// bookkeeping) and `wandb_version` dropped, nested dicts flattened with `.`.
pub(crate) fn config_flat(mut map: Map<String, Value>) -> Flat {
    map.shift_remove("_wandb");
    map.shift_remove("wandb_version");
    for value in map.values_mut() {
        if let Value::Object(entry) = value
            && entry.contains_key("value")
            && entry.keys().all(|k| k == "value" || k == "desc")
            && let Some(inner) = entry.shift_remove("value")
        {
            *value = inner;
        }
    }
    json::flatten(&Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log as wandb writes it (datastore.py's `_write_data`), for
    /// records that the real fixtures do not hold.
    pub(super) fn write_log(records: &[Vec<u8>]) -> Vec<u8> {
        let mut out = FILE_HEADER.to_vec();
        for data in records {
            let mut rest = data.as_slice();
            let mut first = true;
            loop {
                let left = BLOCK - out.len() % BLOCK;
                if left < CHUNK_HEADER {
                    out.resize(out.len() + left, 0);
                    continue;
                }
                let room = left - CHUNK_HEADER;
                let (chunk, kind) = if rest.len() <= room {
                    (rest, if first { FULL } else { LAST })
                } else {
                    (&rest[..room], if first { FIRST } else { MIDDLE })
                };
                push_chunk(&mut out, kind, chunk);
                rest = &rest[chunk.len()..];
                first = false;
                if kind == FULL || kind == LAST {
                    break;
                }
            }
        }
        out
    }

    fn push_chunk(out: &mut Vec<u8>, kind: u8, data: &[u8]) {
        out.extend_from_slice(&chunk_checksum(kind, data).to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.push(kind);
        out.extend_from_slice(data);
    }

    fn history(items: Vec<HistoryItem>, step: i64) -> Vec<u8> {
        Record {
            history: Some(HistoryRecord {
                item: items,
                step: Some(HistoryStep { num: step }),
            }),
            ..Record::default()
        }
        .encode_to_vec()
    }

    fn json_item(key: &str, value_json: &str) -> HistoryItem {
        HistoryItem {
            key: key.into(),
            value_json: value_json.into(),
            ..HistoryItem::default()
        }
    }

    fn item(nested: &[&str], value_json: &str) -> Item {
        Item {
            key: String::new(),
            nested_key: nested.iter().map(|s| s.to_string()).collect(),
            value_json: value_json.into(),
        }
    }

    fn parse_ok(bytes: &[u8]) -> LogContents {
        parse(Path::new("run-x.wandb"), bytes).unwrap()
    }

    #[test]
    fn checksum_is_zlib_crc32_of_type_and_data() {
        // Python: zlib.crc32(b"hello", zlib.crc32(b"\x01")) == 0x8aac239d.
        assert_eq!(chunk_checksum(FULL, b"hello"), 0x8aac_239d);
    }

    #[test]
    fn typed_history_values_and_nested_dicts_give_points_media_and_text_none() {
        let items = vec![
            HistoryItem {
                key: "a".into(),
                number: Some(0.5),
                ..HistoryItem::default()
            },
            HistoryItem {
                key: "b".into(),
                integer: Some(3),
                ..HistoryItem::default()
            },
            HistoryItem {
                key: "c".into(),
                none: Some(0),
                ..HistoryItem::default()
            },
            json_item("val", r#"{"acc": 0.25, "name": "x"}"#),
            json_item("img", r#"{"_type": "image-file", "width": 8}"#),
            json_item("d", "NaN"),
            json_item("label", r#""text""#),
            json_item("_step", "7"),
        ];
        let log = parse_ok(&write_log(&[history(items, 0)]));
        let got: Vec<_> = log
            .history
            .iter()
            .map(|p| (p.metric.as_str(), p.step, p.value))
            .collect();
        assert_eq!(
            got,
            [
                ("a", 7, Some(0.5)),
                ("b", 7, Some(3.0)),
                ("c", 7, None),
                ("val.acc", 7, Some(0.25)),
                ("d", 7, None),
            ]
        );
    }

    #[test]
    fn summary_and_config_updates_override_and_removes_apply() {
        let update = |items: Vec<Item>, remove: Vec<Item>| Updates {
            update: items,
            remove,
        };
        let records = [
            Record {
                run: Some(RunRecord {
                    run_id: "abc".into(),
                    config: Some(update(
                        vec![
                            item(&["_wandb"], "{}"),
                            item(&["optim"], r#"{"lr": 0.001, "beta": 0.9}"#),
                            item(&["wrapped"], r#"{"value": 4, "desc": null}"#),
                        ],
                        vec![],
                    )),
                    summary: None,
                    run_group: "baseline".into(),
                    job_type: String::new(),
                }),
                ..Record::default()
            },
            Record {
                config: Some(update(
                    vec![item(&["optim", "lr"], "0.01")],
                    vec![item(&["optim", "beta"], "")],
                )),
                summary: Some(update(
                    vec![item(&["acc"], "0.5"), item(&["gone"], "1")],
                    vec![],
                )),
                ..Record::default()
            },
            Record {
                summary: Some(update(
                    vec![item(&["acc"], "0.75"), item(&["x", "y"], "Infinity")],
                    vec![item(&["gone"], "")],
                )),
                ..Record::default()
            },
        ];
        let encoded: Vec<_> = records.iter().map(Message::encode_to_vec).collect();
        let log = parse_ok(&write_log(&encoded));
        assert_eq!(log.run_id.as_deref(), Some("abc"));
        assert_eq!(log.group.as_deref(), Some("baseline"));
        assert_eq!(log.job_type, None);
        let keys: Vec<_> = log.config.keys().map(String::as_str).collect();
        assert_eq!(keys, ["optim.lr", "wrapped"]);
        assert_eq!(log.config["optim.lr"], serde_json::json!(0.01));
        assert_eq!(log.config["wrapped"], serde_json::json!(4));
        let keys: Vec<_> = log.summary.keys().map(String::as_str).collect();
        assert_eq!(keys, ["acc", "x.y"]);
        assert_eq!(log.summary["acc"], serde_json::json!(0.75));
        assert_eq!(log.summary["x.y"], Value::Null);
        assert_eq!(log.truncated_at, None);
    }

    /// A one-item history row whose record is exactly `len` bytes.
    fn row_of_len(len: usize, step: i64) -> Vec<u8> {
        let mut text_len = len;
        loop {
            let text = format!("{:?}", "x".repeat(text_len));
            let row = history(vec![json_item("note", &text)], step);
            match row.len().cmp(&len) {
                std::cmp::Ordering::Equal => return row,
                std::cmp::Ordering::Greater => text_len -= 1,
                std::cmp::Ordering::Less => unreachable!("lengths step by one here"),
            }
        }
    }

    #[test]
    fn block_padding_and_records_split_over_blocks_are_read() {
        // The first row leaves 3 bytes in block 0: zero padding, then a row
        // split over blocks 1 to 3 (FIRST, MIDDLE, LAST), then a plain row.
        let first = row_of_len(BLOCK - FILE_HEADER.len() - CHUNK_HEADER - 3, 0);
        let long = format!("{:?}", "x".repeat(70_000));
        let split = history(vec![json_item("loss", "0.5"), json_item("note", &long)], 1);
        let last = history(vec![json_item("loss", "0.25")], 2);
        let bytes = write_log(&[first, split, last]);
        assert_eq!(bytes[BLOCK - 3..BLOCK], [0, 0, 0]);
        assert_eq!(bytes[BLOCK + 6], FIRST);
        assert_eq!(bytes[2 * BLOCK + 6], MIDDLE);
        assert_eq!(bytes[3 * BLOCK + 6], LAST);
        let log = parse_ok(&bytes);
        let loss: Vec<_> = log
            .history
            .iter()
            .filter(|p| p.metric == "loss")
            .map(|p| (p.step, p.value))
            .collect();
        assert_eq!(loss, [(1, Some(0.5)), (2, Some(0.25))]);
        assert_eq!(log.truncated_at, None);
        let err = parse(Path::new("l.wandb"), &{
            let mut b = bytes.clone();
            b[BLOCK - 2] = 1;
            b
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.contains(&format!(
                "byte {}: non-zero bytes in the padding",
                BLOCK - 3
            )),
            "{err}"
        );
    }

    #[test]
    fn an_empty_file_or_a_partial_header_is_a_log_cut_at_byte_0() {
        for len in 0..FILE_HEADER.len() {
            let log = parse_ok(&FILE_HEADER[..len]);
            assert_eq!(log.truncated_at, Some(0), "{len}");
            assert!(log.history.is_empty());
        }
        assert_eq!(parse_ok(&FILE_HEADER), LogContents::default());
    }

    #[test]
    fn a_zero_filled_tail_is_a_cut_not_a_corrupt_chunk() {
        let mut bytes = write_log(&[history(vec![json_item("loss", "0.5")], 0)]);
        let end = bytes.len();
        bytes.resize(end + 100, 0);
        let log = parse_ok(&bytes);
        assert_eq!(log.history.len(), 1);
        assert_eq!(log.truncated_at, Some(end as u64));
    }

    #[test]
    fn a_last_chunk_without_a_first_is_an_error() {
        let mut bytes = FILE_HEADER.to_vec();
        push_chunk(&mut bytes, LAST, b"");
        let err = parse(Path::new("run-x.wandb"), &bytes)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("run-x.wandb:byte 7: a LAST chunk with no FIRST"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_version_or_magic_is_not_a_w_and_b_log() {
        let mut bytes = FILE_HEADER.to_vec();
        bytes[6] = 1;
        let err = parse(Path::new("l.wandb"), &bytes).unwrap_err().to_string();
        assert!(
            err.contains("expected the header `:W&B` with magic 0xBEE1"),
            "{err}"
        );
        assert!(err.ends_with("found 3a 57 26 42 e1 be 01"), "{err}");
    }

    /// A real log, as wandb `version` (`v0_17`, `v0_31`) wrote it.
    fn real_log(version: &str, id: &str) -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/wandb")
            .join(version)
            .join("wandb");
        let dir = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with("offline-run-") && name.ends_with(id)
            })
            .unwrap();
        std::fs::read(dir.join(format!("run-{id}.wandb"))).unwrap()
    }

    /// Offsets of the chunks of a well-formed log.
    fn chunk_offsets(bytes: &[u8]) -> Vec<usize> {
        let mut offsets = Vec::new();
        let mut pos = FILE_HEADER.len();
        while pos < bytes.len() {
            if BLOCK - pos % BLOCK < CHUNK_HEADER {
                pos += BLOCK - pos % BLOCK;
                continue;
            }
            offsets.push(pos);
            pos += CHUNK_HEADER + usize::from(u16::from_le_bytes([bytes[pos + 4], bytes[pos + 5]]));
        }
        offsets
    }

    /// `bytes` written to a file in a fresh tempdir, read back with [`read_log`].
    fn read_copy(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf, Result<LogContents>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run-copy.wandb");
        std::fs::write(&path, bytes).unwrap();
        let got = read_log(&path);
        (dir, path, got)
    }

    #[test]
    fn a_flipped_byte_inside_a_record_is_a_checksum_error_at_its_chunk() {
        for version in ["v0_17", "v0_31"] {
            let bytes = real_log(version, "basel001");
            let chunk = chunk_offsets(&bytes)[4];
            let mut bad = bytes.clone();
            bad[chunk + CHUNK_HEADER + 2] ^= 0x20;
            let (_dir, path, got) = read_copy(&bad);
            let err = got.unwrap_err().to_string();
            let want = format!(
                "{}:byte {chunk}: checksum mismatch in a FULL chunk",
                path.display()
            );
            assert!(err.starts_with(&want), "{version}: {err}");
        }
    }

    #[test]
    fn chunk_type_9_is_an_error_naming_its_byte() {
        let bytes = real_log("v0_31", "basel001");
        let chunk = chunk_offsets(&bytes)[2];
        let mut bad = bytes.clone();
        bad[chunk + 6] = 9;
        let (_dir, _path, got) = read_copy(&bad);
        let err = got.unwrap_err().to_string();
        assert!(
            err.contains(&format!(":byte {chunk}: unknown chunk type 9")),
            "{err}"
        );
    }

    #[test]
    fn a_file_that_is_not_a_w_and_b_log_is_an_error() {
        let (_dir, _path, got) = read_copy(b"{\"train/loss\": 0.5}\n");
        let err = got.unwrap_err().to_string();
        assert!(err.contains(":byte 0: not a W&B transaction log"), "{err}");
        assert!(err.ends_with("found 7b 22 74 72 61 69 6e"), "{err}");
    }

    #[test]
    fn an_empty_file_gives_nothing_cut_at_byte_0() {
        let (_dir, _path, got) = read_copy(b"");
        let log = got.unwrap();
        assert_eq!(log.truncated_at, Some(0));
        assert_eq!(
            log,
            LogContents {
                truncated_at: Some(0),
                ..LogContents::default()
            }
        );
    }

    /// Record ends (exclusive) of a well-formed log: the cuts that lose nothing.
    fn record_ends(bytes: &[u8]) -> Vec<usize> {
        chunk_offsets(bytes)
            .into_iter()
            .filter(|&c| matches!(bytes[c + 6], FULL | LAST))
            .map(|c| {
                c + CHUNK_HEADER + usize::from(u16::from_le_bytes([bytes[c + 4], bytes[c + 5]]))
            })
            .collect()
    }

    /// Cut `bytes` at `cut`: never an error, the history a prefix of the
    /// whole one, and a cut between records named by the last record's end.
    fn check_cut(bytes: &[u8], whole: &LogContents, ends: &[usize], cut: usize) {
        let log = parse(Path::new("cut.wandb"), &bytes[..cut])
            .unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        assert!(whole.history.starts_with(&log.history), "cut at {cut}");
        let last_end = ends
            .iter()
            .copied()
            .filter(|&e| e <= cut)
            .max()
            .unwrap_or(FILE_HEADER.len());
        let expected = if cut < FILE_HEADER.len() {
            Some(0)
        } else {
            (last_end < cut).then_some(last_end as u64)
        };
        assert_eq!(log.truncated_at, expected, "cut at {cut}");
    }

    #[test]
    fn a_real_log_cut_at_every_byte_gives_the_records_before_the_cut() {
        for version in ["v0_17", "v0_31"] {
            let bytes = real_log(version, "basel001");
            let whole = parse_ok(&bytes);
            assert_eq!(whole.truncated_at, None);
            let ends = record_ends(&bytes);
            for cut in 0..=bytes.len() {
                check_cut(&bytes, &whole, &ends, cut);
            }
            let (_dir, _path, got) = read_copy(&bytes[..bytes.len() - 3]);
            let log = got.unwrap();
            assert_eq!(log.truncated_at, Some(ends[ends.len() - 2] as u64));
            assert_eq!(
                log.history, whole.history,
                "{version}: the last record is not history"
            );
        }
    }

    #[test]
    fn a_real_log_with_a_record_over_three_blocks_cut_anywhere_is_read() {
        for version in ["v0_17", "v0_31"] {
            let bytes = real_log(version, "treat003");
            let whole = parse_ok(&bytes);
            assert_eq!(whole.summary["notes"].as_str().map(str::len), Some(72_000));
            let ends = record_ends(&bytes);
            let near_blocks = (1..=bytes.len() / BLOCK).flat_map(|b| b * BLOCK - 9..b * BLOCK + 9);
            for cut in (0..=bytes.len()).step_by(61).chain(near_blocks) {
                check_cut(&bytes, &whole, &ends, cut.min(bytes.len()));
            }
        }
    }
}
