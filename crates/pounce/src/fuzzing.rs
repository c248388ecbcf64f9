//! Entry points for the fuzz targets of `fuzz/` (feature `fuzzing`, off by
//! default): the scanner's reader and a whole scan, over bytes in memory.
//! Not a stable API.

use std::io;
use std::sync::Arc;

use pounce_runtime::registry::Registry;

pub use crate::input::{Batch, Blank, Item, BATCH_BYTES, BATCH_RECORDS};
use crate::input::{Reader, Source};
use crate::scan::{self, ScanError, ScanOptions, Summary};
use crate::Format;

/// Every batch the scanner's reader cuts from `bytes`, delivered `chunk`
/// bytes per read as from a pipe (all at once, as from a small file, when
/// 0).
pub fn batches(bytes: &[u8], blank: Blank, chunk: usize) -> io::Result<Vec<Batch>> {
    let mut reader = Reader::new(vec![Source::Memory { bytes: Arc::from(bytes), chunk }], blank);
    let mut out = Vec::new();
    while let Some(batch) = reader.next_batch()? {
        out.push(batch);
    }
    Ok(out)
}

/// `pounce scan` of `bytes` over `registry` on one worker thread, with
/// every policy (disabled ones too) and passes reported: the summary and
/// the findings as written in `format`.
pub fn scan(registry: &Registry, bytes: &[u8], format: Format) -> Result<(Summary, Vec<u8>), String> {
    let opts = ScanOptions {
        inputs: Vec::new(),
        format,
        policies: Vec::new(),
        severities: Vec::new(),
        resource_types: Vec::new(),
        include_disabled: true,
        passes: true,
        threads: Some(1),
        summary_json: None,
        progress: false,
    };
    let mut out = Vec::new();
    let summary = scan::scan_sources(registry, &opts, vec![Source::Memory { bytes: Arc::from(bytes), chunk: 0 }], Box::new(&mut out))
        .map_err(|e: ScanError| e.to_string())?;
    Ok((summary, out))
}
