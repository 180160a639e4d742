//! An independent reader of GAEN key exports, written from the published `.proto` (field numbers
//! and wire types of `TemporaryExposureKeyExport`, `TemporaryExposureKey`, `TEKSignatureList`;
//! research/gaen.md §3) with a hand-rolled protobuf wire decoder, so the server's files are
//! checked by something that shares no code with the project's own encoder and decoder.

use std::io::Read;

/// A decoded `TemporaryExposureKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub key_data: Vec<u8>,
    pub transmission_risk_level: i64,
    pub rolling_start_interval_number: i64,
    /// Absent means the proto2 default, 144.
    pub rolling_period: i64,
    pub report_type: Option<i64>,
    pub days_since_onset: Option<i64>,
}

/// A decoded export file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub start_timestamp: u64,
    pub end_timestamp: u64,
    pub region: String,
    pub batch_num: i64,
    pub batch_size: i64,
    pub signature_algorithms: Vec<String>,
    pub key_ids: Vec<String>,
    pub keys: Vec<Key>,
}

/// The two entries of an `export.zip`, refusing archives with anything else in them.
pub fn unzip(zip_bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(names, ["export.bin", "export.sig"]);
    let mut read = |name: &str| {
        let mut out = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    (read("export.bin"), read("export.sig"))
}

enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32,
}

/// Splits a message into (field number, value), in wire order.
fn fields(mut buf: &[u8]) -> Vec<(u64, Value<'_>)> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        let tag = varint(&mut buf);
        let value = match tag & 7 {
            0 => Value::Varint(varint(&mut buf)),
            1 => {
                let (v, rest) = buf.split_at(8);
                buf = rest;
                Value::Fixed64(u64::from_le_bytes(v.try_into().unwrap()))
            }
            2 => {
                let len = usize::try_from(varint(&mut buf)).unwrap();
                let (v, rest) = buf.split_at(len);
                buf = rest;
                Value::Bytes(v)
            }
            5 => {
                buf = &buf[4..];
                Value::Fixed32
            }
            t => panic!("wire type {t} is not used by the export proto"),
        };
        out.push((tag >> 3, value));
    }
    out
}

fn varint(buf: &mut &[u8]) -> u64 {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = buf[0];
        *buf = &buf[1..];
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return v;
        }
    }
    panic!("varint longer than 10 bytes")
}

/// int32 fields are varints of the sign-extended value.
fn int32(v: u64) -> i64 {
    i64::from(v as u32 as i32)
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn key(buf: &[u8]) -> Key {
    let mut k = Key {
        key_data: Vec::new(),
        transmission_risk_level: 0,
        rolling_start_interval_number: 0,
        rolling_period: 144,
        report_type: None,
        days_since_onset: None,
    };
    for (n, v) in fields(buf) {
        match (n, v) {
            (1, Value::Bytes(b)) => k.key_data = b.to_vec(),
            (2, Value::Varint(v)) => k.transmission_risk_level = int32(v),
            (3, Value::Varint(v)) => k.rolling_start_interval_number = int32(v),
            (4, Value::Varint(v)) => k.rolling_period = int32(v),
            (5, Value::Varint(v)) => k.report_type = Some(int32(v)),
            // sint32: zigzag.
            (6, Value::Varint(v)) => {
                k.days_since_onset = Some(((v >> 1) as i64) ^ -((v & 1) as i64))
            }
            (n, _) => panic!("unexpected field {n} in TemporaryExposureKey"),
        }
    }
    k
}

/// Decodes `export.bin`: checks the 16-byte header, then reads the protobuf.
pub fn parse_bin(bin: &[u8]) -> Export {
    assert_eq!(&bin[..16], b"EK Export v1    ", "the header");
    let mut e = Export {
        start_timestamp: 0,
        end_timestamp: 0,
        region: String::new(),
        batch_num: 0,
        batch_size: 0,
        signature_algorithms: Vec::new(),
        key_ids: Vec::new(),
        keys: Vec::new(),
    };
    for (n, v) in fields(&bin[16..]) {
        match (n, v) {
            (1, Value::Fixed64(v)) => e.start_timestamp = v,
            (2, Value::Fixed64(v)) => e.end_timestamp = v,
            (3, Value::Bytes(b)) => e.region = text(b),
            (4, Value::Varint(v)) => e.batch_num = int32(v),
            (5, Value::Varint(v)) => e.batch_size = int32(v),
            (6, Value::Bytes(b)) => {
                for (n, v) in fields(b) {
                    match (n, v) {
                        (4, Value::Bytes(id)) => e.key_ids.push(text(id)),
                        (5, Value::Bytes(alg)) => e.signature_algorithms.push(text(alg)),
                        (3, Value::Bytes(_)) => {}
                        (n, _) => panic!("unexpected field {n} in SignatureInfo"),
                    }
                }
            }
            (7, Value::Bytes(b)) => e.keys.push(key(b)),
            (8, Value::Bytes(b)) => e.keys.push(key(b)),
            (n, Value::Fixed32) => panic!("unexpected fixed32 field {n}"),
            (n, _) => panic!("unexpected field {n} in TemporaryExposureKeyExport"),
        }
    }
    e
}

/// The DER signatures in `export.sig` (`TEKSignatureList.signatures[].signature`).
pub fn signatures(sig: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (n, v) in fields(sig) {
        if let (1, Value::Bytes(s)) = (n, v) {
            for (n, v) in fields(s) {
                if let (4, Value::Bytes(der)) = (n, v) {
                    out.push(der.to_vec());
                }
            }
        }
    }
    out
}
