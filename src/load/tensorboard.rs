//! TensorBoard event files (`events.out.tfevents.*`) in a run folder.
//!
//! Framing (TFRecord): for each record, `u64` length (little-endian), the
//! masked CRC-32C of those 8 bytes, the payload, the masked CRC-32C of the
//! payload. A CRC mismatch or a truncated record is an input error naming the
//! file and the record's byte offset. Each payload is an `Event` protobuf; a
//! scalar is a `Summary.Value` holding either `simple_value` (TF1,
//! tensorboardX) or a one-element `tensor` (TF2, `new_style` writers).
//! The metric is the tag (`val/loss`), the step the event's `step`.

use std::path::Path;

use prost::Message;

use super::point::Point;
use super::probe;
use crate::error::{Error, Result};

/// File names TensorBoard writers use.
pub fn is_event_file(name: &str) -> bool {
    name.starts_with("events.out.tfevents.")
}

/// The event files of a run folder, sorted (writers name them by time).
pub fn event_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Some(entries) = probe::entries(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| is_event_file(&n.to_string_lossy()))
        })
        .filter(|p| probe::is_file(p))
        .collect();
    files.sort();
    files
}

#[derive(Clone, PartialEq, Message)]
struct Event {
    #[prost(double, tag = "1")]
    wall_time: f64,
    #[prost(int64, tag = "2")]
    step: i64,
    #[prost(message, optional, tag = "5")]
    summary: Option<Summary>,
}

#[derive(Clone, PartialEq, Message)]
struct Summary {
    #[prost(message, repeated, tag = "1")]
    value: Vec<SummaryValue>,
}

#[derive(Clone, PartialEq, Message)]
struct SummaryValue {
    #[prost(string, tag = "1")]
    tag: String,
    #[prost(float, optional, tag = "2")]
    simple_value: Option<f32>,
    #[prost(message, optional, tag = "8")]
    tensor: Option<TensorProto>,
}

/// The fields of `tensorflow.TensorProto` a scalar can use.
#[derive(Clone, PartialEq, Message)]
struct TensorProto {
    #[prost(int32, tag = "1")]
    dtype: i32,
    #[prost(bytes = "vec", tag = "4")]
    tensor_content: Vec<u8>,
    #[prost(float, repeated, tag = "5")]
    float_val: Vec<f32>,
    #[prost(double, repeated, tag = "6")]
    double_val: Vec<f64>,
    #[prost(int32, repeated, tag = "7")]
    int_val: Vec<i32>,
    #[prost(int64, repeated, tag = "10")]
    int64_val: Vec<i64>,
}

// tensorflow.DataType values of scalar tensors.
const DT_FLOAT: i32 = 1;
const DT_DOUBLE: i32 = 2;
const DT_INT32: i32 = 3;
const DT_INT64: i32 = 9;

impl TensorProto {
    /// The value of a one-element numeric tensor; `None` for anything else
    /// (histograms, images, text are not scalars).
    fn scalar(&self) -> Option<f64> {
        let one = |n: usize| n == 1;
        if one(self.float_val.len()) {
            return Some(f64::from(self.float_val[0]));
        }
        if one(self.double_val.len()) {
            return Some(self.double_val[0]);
        }
        if one(self.int_val.len()) && self.dtype == DT_INT32 {
            return Some(f64::from(self.int_val[0]));
        }
        if one(self.int64_val.len()) && self.dtype == DT_INT64 {
            return Some(self.int64_val[0] as f64);
        }
        let c = self.tensor_content.as_slice();
        match (self.dtype, c.len()) {
            (DT_FLOAT, 4) => Some(f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
            (DT_DOUBLE, 8) => Some(f64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ])),
            _ => None,
        }
    }
}

/// TFRecord's CRC mask: rotate right by 15 and add a constant.
fn masked_crc(data: &[u8]) -> u32 {
    let crc = crc32c::crc32c(data);
    (crc.rotate_right(15)).wrapping_add(0xa282_ead8)
}

/// Every scalar of one event file.
pub fn read(path: &Path) -> Result<Vec<Point>> {
    let bytes = super::guard::read_bytes(path)?;
    let mut points = Vec::new();
    let mut offset = 0usize;
    let at =
        |offset: usize, message: String| Error::input_at(path, format!("byte {offset}"), message);
    while offset < bytes.len() {
        let header = bytes
            .get(offset..offset + 12)
            .ok_or_else(|| at(offset, "truncated record header (expected 12 bytes)".into()))?;
        let len_bytes = &header[..8];
        let stored = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
        if masked_crc(len_bytes) != stored {
            return Err(at(
                offset,
                "CRC mismatch in the record length: the file is corrupt".into(),
            ));
        }
        let len = u64::from_le_bytes([
            len_bytes[0],
            len_bytes[1],
            len_bytes[2],
            len_bytes[3],
            len_bytes[4],
            len_bytes[5],
            len_bytes[6],
            len_bytes[7],
        ]);
        let start = offset + 12;
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| start.checked_add(l))
            .filter(|&e| e.checked_add(4).is_some_and(|f| f <= bytes.len()))
            .ok_or_else(|| {
                at(
                    offset,
                    format!(
                        "truncated record: {len} bytes announced, {} left",
                        bytes.len() - start
                    ),
                )
            })?;
        let payload = &bytes[start..end];
        let stored =
            u32::from_le_bytes([bytes[end], bytes[end + 1], bytes[end + 2], bytes[end + 3]]);
        if masked_crc(payload) != stored {
            return Err(at(
                offset,
                "CRC mismatch in the record data: the file is corrupt".into(),
            ));
        }
        let event = Event::decode(payload)
            .map_err(|e| at(offset, format!("not a TensorBoard event: {e}")))?;
        if let Some(summary) = event.summary {
            for value in summary.value {
                let scalar = value
                    .simple_value
                    .map(f64::from)
                    .or_else(|| value.tensor.as_ref().and_then(TensorProto::scalar));
                if let Some(v) = scalar {
                    points.push(Point {
                        metric: value.tag,
                        step: event.step,
                        value: Some(v).filter(|v| v.is_finite()),
                    });
                }
            }
        }
        offset = end + 4;
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_crc_matches_a_tensorboard_writer() {
        // tensorboardX's first record (the 24-byte file_version event): its
        // length bytes are followed by the masked CRC a3 7f 4b 22.
        let crc = masked_crc(&24u64.to_le_bytes());
        assert_eq!(crc.to_le_bytes(), [0xa3, 0x7f, 0x4b, 0x22]);
    }
}
