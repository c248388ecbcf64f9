//! Reading resources from files, directories and stdin, in bounded batches.
//!
//! A source is JSON Lines (one resource per line) or one JSON array of
//! resources; the first non-blank byte decides (`[`: an array). An array
//! is split into its elements without parsing them, so neither format is
//! ever held whole in memory: a batch holds at most [`BATCH_RECORDS`]
//! records or about [`BATCH_BYTES`] bytes.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Records per batch, at most.
pub const BATCH_RECORDS: usize = 2048;
/// Bytes per batch, about (a batch ends after the record that crosses it).
pub const BATCH_BYTES: usize = 4 << 20;

/// Where resources come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
    /// Bytes in memory, delivered `chunk` bytes per read as a pipe would
    /// (all at once when 0): the fuzz targets and unit tests.
    #[cfg(any(test, feature = "fuzzing"))]
    Memory {
        /// The bytes.
        bytes: std::sync::Arc<[u8]>,
        /// Bytes per read; 0 for all.
        chunk: usize,
    },
}

impl Source {
    /// The name shown in findings (`-` is `stdin`).
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "stdin".to_owned(),
            Source::File(p) => p.display().to_string(),
            #[cfg(any(test, feature = "fuzzing"))]
            Source::Memory { .. } => "memory".to_owned(),
        }
    }

    /// The size in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match self {
            Source::Stdin => None,
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            #[cfg(any(test, feature = "fuzzing"))]
            Source::Memory { bytes, .. } => Some(bytes.len() as u64),
        }
    }
}

/// The sources named by `inputs`: `-` is stdin, a directory is every
/// `.json`, `.jsonl` and `.ndjson` file under it (recursively, sorted),
/// anything else a file. No inputs means stdin.
pub fn sources(inputs: &[PathBuf]) -> io::Result<Vec<Source>> {
    if inputs.is_empty() {
        return Ok(vec![Source::Stdin]);
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Source::Stdin);
        } else if input.is_dir() {
            let mut files = Vec::new();
            collect_dir(input, &mut files)?;
            files.sort();
            out.extend(files.into_iter().map(Source::File));
        } else if input.is_file() {
            out.push(Source::File(input.clone()));
        } else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{}: no such file or directory", input.display()),
            ));
        }
    }
    Ok(out)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        if entry.file_type()?.is_dir() {
            collect_dir(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json" || e == "jsonl" || e == "ndjson") {
            out.push(path);
        }
    }
    Ok(())
}

/// One record of a batch.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its bytes in [`Batch::buf`].
    pub range: Range<usize>,
    /// The line it starts on (1-based).
    pub line: u64,
    /// Set when the source is malformed here (an unterminated array).
    pub error: Option<String>,
}

/// Records read together; processed in parallel.
#[derive(Debug, Default)]
pub struct Batch {
    /// The index of the source in the list given to [`Reader::new`].
    pub source: usize,
    /// The records' bytes.
    pub buf: Vec<u8>,
    /// The records.
    pub items: Vec<Item>,
    /// Bytes consumed from the source (for progress).
    pub bytes: u64,
    /// Lines consumed (including blank ones).
    pub lines: u64,
}

impl Batch {
    /// The text of `item`, or why it is not text.
    pub fn text(&self, item: &Item) -> Result<&str, String> {
        let bytes = self.buf.get(item.range.clone()).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8: {e}"))
    }
}

/// How blank lines of JSON Lines are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Skipped (a scan).
    Skip,
    /// Kept as records, so that outputs line up with inputs (`eval --jsonl`).
    Keep,
}

/// Reads the sources one after the other, batch by batch.
pub struct Reader {
    sources: Vec<Source>,
    next: usize,
    current: Option<(usize, Format)>,
    blank: Blank,
    /// Bytes and lines `open` consumed, not yet reported in a batch.
    opened: (u64, u64),
    /// A batch handed back with [`Reader::recycle`], whose buffers the
    /// next batch reuses (a scan holds two batches at a time: growing
    /// fresh multi-megabyte buffers cost page faults and copies).
    spare: Option<Batch>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("sources", &self.sources).field("next", &self.next).finish_non_exhaustive()
    }
}

type Input = Box<dyn BufRead + Send>;

enum Format {
    /// `blank_lines`: blank lines `open` consumed, still to be read.
    Lines { input: Input, line: u64, blank_lines: u64 },
    Array { input: Input, line: u64, state: ArrayState },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    /// Before the first element or after a comma.
    Between,
    /// After `]`.
    Done,
    /// Something followed the closing `]`: the rest of the source is read
    /// as JSON Lines, so that JSON Lines whose first line is an array lose
    /// nothing (that line's elements are records too).
    ThenLines,
}

impl Reader {
    /// A reader of `sources`, in order.
    pub fn new(sources: Vec<Source>, blank: Blank) -> Self {
        Reader { sources, next: 0, current: None, blank, opened: (0, 0), spare: None }
    }

    /// Hands back a batch that is no longer needed, for its buffers.
    pub fn recycle(&mut self, batch: Batch) {
        self.spare = Some(batch);
    }

    /// The next batch; `Ok(None)` at the end of the last source. A batch
    /// never spans two sources.
    pub fn next_batch(&mut self) -> io::Result<Option<Batch>> {
        loop {
            if self.current.is_none() {
                let Some(source) = self.sources.get(self.next) else { return Ok(None) };
                let input: Input = match source {
                    Source::Stdin => Box::new(BufReader::with_capacity(1 << 20, io::stdin())),
                    Source::File(p) => Box::new(BufReader::with_capacity(
                        1 << 20,
                        File::open(p).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", p.display())))?,
                    )),
                    #[cfg(any(test, feature = "fuzzing"))]
                    Source::Memory { bytes, chunk } => Box::new(Chunked { bytes: std::sync::Arc::clone(bytes), pos: 0, chunk: *chunk }),
                };
                let (format, bytes, lines) = open(input)?;
                self.current = Some((self.next, format));
                self.opened = (bytes, lines);
                self.next += 1;
            }
            let Some((source, format)) = self.current.as_mut() else { continue };
            let (bytes, lines) = std::mem::take(&mut self.opened);
            let (mut buf, mut items) = match self.spare.take() {
                Some(spare) => (spare.buf, spare.items),
                // Room for a full batch and its last record.
                None => (Vec::with_capacity(BATCH_BYTES + BATCH_BYTES / 4), Vec::with_capacity(BATCH_RECORDS)),
            };
            buf.clear();
            items.clear();
            let mut batch = Batch { source: *source, bytes, lines, buf, items };
            if let Format::Array { input, line, state: ArrayState::ThenLines } = format {
                let input = std::mem::replace(input, Box::new(io::empty()));
                *format = Format::Lines { input, line: *line, blank_lines: 0 };
            }
            let more = match format {
                Format::Lines { input, line, blank_lines } => read_lines(input, line, blank_lines, self.blank, &mut batch)?,
                Format::Array { input, line, state } => read_array(input, line, state, &mut batch)?,
            };
            if !more {
                self.current = None;
            }
            if !batch.items.is_empty() || batch.bytes > 0 {
                return Ok(Some(batch));
            }
        }
    }
}

/// Looks at the first non-blank byte to choose the format; also the bytes
/// and lines consumed that the format's reader will not count.
///
/// Finding that byte may take several reads (a pipe delivers what it has;
/// a file may start with more blanks than a buffer holds), and each read
/// must be consumed to get the next. What was consumed is therefore
/// accounted for, so that the records do not depend on how the input was
/// split: for JSON Lines, the blank lines consumed are handed to the line
/// reader as a count (blank records carry no text), and the blanks after
/// the last newline, which begin the first line that is not blank, are put
/// back in front of the input; for an array, everything up to the `[` is
/// counted here.
fn open(mut input: Input) -> io::Result<(Format, u64, u64)> {
    let mut blank_lines = 0;
    // Bytes of the blank lines consumed, and the blanks consumed after the
    // last of them.
    let mut blank_bytes = 0;
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let buf = input.fill_buf()?;
        let first = buf.iter().position(|b| !b.is_ascii_whitespace());
        match first {
            Some(i) if buf.get(i) == Some(&b'[') => {
                let prefix = buf.get(..=i).unwrap_or_default();
                let lines = blank_lines + count_newlines(prefix);
                let bytes = blank_bytes + tail.len() as u64 + prefix.len() as u64;
                input.consume(i + 1);
                return Ok((Format::Array { input, line: lines, state: ArrayState::Between }, bytes, lines));
            }
            // JSON Lines (or the end): leave the bytes of this read to the
            // line reader, which counts the lines itself.
            Some(_) => break,
            None if buf.is_empty() => break,
            None => {
                let n = buf.len();
                match buf.iter().rposition(|&b| b == b'\n') {
                    Some(last) => {
                        blank_lines += count_newlines(buf);
                        blank_bytes += (tail.len() + last + 1) as u64;
                        tail.clear();
                        tail.extend_from_slice(buf.get(last + 1..).unwrap_or_default());
                    }
                    None => tail.extend_from_slice(buf),
                }
                input.consume(n);
            }
        }
    }
    let input: Input = if tail.is_empty() { input } else { Box::new(io::Cursor::new(tail).chain(input)) };
    Ok((Format::Lines { input, line: 0, blank_lines }, blank_bytes, 0))
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Fills `batch` with lines, starting with the `blank_lines` that `open`
/// consumed; false at the end of the input. A blank line's record, when
/// blank lines are kept, has no text.
fn read_lines(input: &mut Input, line: &mut u64, blank_lines: &mut u64, blank: Blank, batch: &mut Batch) -> io::Result<bool> {
    if blank == Blank::Skip {
        *line += *blank_lines;
        batch.lines += *blank_lines;
        *blank_lines = 0;
    }
    while *blank_lines > 0 && batch.items.len() < BATCH_RECORDS {
        *blank_lines -= 1;
        *line += 1;
        batch.lines += 1;
        let start = batch.buf.len();
        batch.items.push(Item { range: start..start, line: *line, error: None });
    }
    while batch.items.len() < BATCH_RECORDS && batch.buf.len() < BATCH_BYTES {
        let start = batch.buf.len();
        let n = input.read_until(b'\n', &mut batch.buf)?;
        if n == 0 {
            return Ok(false);
        }
        *line += 1;
        batch.lines += 1;
        batch.bytes += n as u64;
        let mut end = batch.buf.len();
        while end > start && matches!(batch.buf.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        let is_blank = batch.buf.get(start..end).unwrap_or_default().iter().all(u8::is_ascii_whitespace);
        if is_blank {
            batch.buf.truncate(start);
            if blank == Blank::Keep {
                batch.items.push(Item { range: start..start, line: *line, error: None });
            }
            continue;
        }
        batch.buf.truncate(end);
        batch.items.push(Item { range: start..end, line: *line, error: None });
    }
    Ok(true)
}

/// Fills `batch` with elements of a JSON array (after its `[`), each cut
/// out by tracking nesting and strings; false at the end of the input.
fn read_array(input: &mut Input, line: &mut u64, state: &mut ArrayState, batch: &mut Batch) -> io::Result<bool> {
    while batch.items.len() < BATCH_RECORDS && batch.buf.len() < BATCH_BYTES {
        // Skip blanks and one comma between elements.
        let Some(first) = skip_blanks(input, line, batch)? else {
            if *state != ArrayState::Done {
                let start = batch.buf.len();
                batch.items.push(Item {
                    range: start..start,
                    line: *line + 1,
                    error: Some("unexpected end of input: the JSON array is not closed".to_owned()),
                });
            }
            return Ok(false);
        };
        match (*state, first) {
            (ArrayState::Done | ArrayState::ThenLines, _) => {
                // Something after the closing `]`: the rest is JSON Lines.
                *state = ArrayState::ThenLines;
                return Ok(true);
            }
            (ArrayState::Between, b']') => {
                input.consume(1);
                batch.bytes += 1;
                *state = ArrayState::Done;
            }
            (ArrayState::Between, b',') => {
                input.consume(1);
                batch.bytes += 1;
            }
            (ArrayState::Between, _) => {
                let start_line = *line + 1;
                let start = batch.buf.len();
                let complete = read_element(input, line, batch)?;
                let mut end = batch.buf.len();
                while end > start && batch.buf.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
                    end -= 1;
                }
                let error = (!complete).then(|| "unexpected end of input inside an array element".to_owned());
                batch.items.push(Item { range: start..end, line: start_line, error });
                if !complete {
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

/// Skips whitespace; the next byte, not consumed, or `None` at the end.
fn skip_blanks(input: &mut Input, line: &mut u64, batch: &mut Batch) -> io::Result<Option<u8>> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let nl = count_newlines(buf.get(..i).unwrap_or_default());
                let first = buf.get(i).copied();
                input.consume(i);
                *line += nl;
                batch.lines += nl;
                batch.bytes += i as u64;
                return Ok(first);
            }
            None => {
                let n = buf.len();
                let nl = count_newlines(buf);
                input.consume(n);
                *line += nl;
                batch.lines += nl;
                batch.bytes += n as u64;
            }
        }
    }
}

/// Copies one array element into `batch.buf`: an object or array up to its
/// matching close, or a scalar up to the next `,` or `]` outside a string.
/// False when the input ends first.
fn read_element(input: &mut Input, line: &mut u64, batch: &mut Batch) -> io::Result<bool> {
    let mut depth: u64 = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut started = false;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(!in_string && depth == 0 && started);
        }
        let mut taken = buf.len();
        let mut done = false;
        for (i, &b) in buf.iter().enumerate() {
            if b == b'\n' {
                *line += 1;
                batch.lines += 1;
            }
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        taken = i + 1;
                        done = true;
                        break;
                    }
                }
                b',' | b']' if depth == 0 && started => {
                    // The end of a scalar; the separator stays unread.
                    taken = i;
                    done = true;
                    break;
                }
                _ => {}
            }
            started = true;
        }
        // A newline inside the element is counted above; one right at the
        // cut (never: cuts are at `}`/`]`/`,`) would not be.
        batch.buf.extend_from_slice(buf.get(..taken).unwrap_or_default());
        input.consume(taken);
        batch.bytes += taken as u64;
        if done {
            return Ok(true);
        }
    }
}

/// Bytes in memory read `chunk` at a time (all at once when 0), as from a
/// pipe that delivers them in pieces.
#[cfg(any(test, feature = "fuzzing"))]
struct Chunked {
    bytes: std::sync::Arc<[u8]>,
    pos: usize,
    chunk: usize,
}

#[cfg(any(test, feature = "fuzzing"))]
impl Read for Chunked {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), available.get(..n)) {
            to.copy_from_slice(from);
        }
        self.consume(n);
        Ok(n)
    }
}

#[cfg(any(test, feature = "fuzzing"))]
impl BufRead for Chunked {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let n = if self.chunk == 0 { rest.len() } else { rest.len().min(self.chunk) };
        Ok(rest.get(..n).unwrap_or_default())
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.bytes.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `text` (`line`, text or error), and the bytes and
    /// lines reported, read `chunk` bytes at a time (all at once when 0).
    fn read_chunked(text: &str, blank: Blank, chunk: usize) -> (Vec<(u64, Result<String, String>)>, u64, u64) {
        let source = Source::Memory { bytes: std::sync::Arc::from(text.as_bytes()), chunk };
        let mut reader = Reader::new(vec![source], blank);
        let (mut out, mut bytes, mut lines) = (Vec::new(), 0, 0);
        while let Ok(Some(batch)) = reader.next_batch() {
            for item in &batch.items {
                let v = match &item.error {
                    Some(e) => Err(e.clone()),
                    None => batch.text(item).map(str::to_owned),
                };
                out.push((item.line, v));
            }
            bytes += batch.bytes;
            lines += batch.lines;
        }
        (out, bytes, lines)
    }

    /// The records of `text`, read at once; checks that reading it in
    /// pieces of any size gives the same records and counts.
    fn read_all(text: &str, blank: Blank) -> Vec<(u64, Result<String, String>)> {
        let whole = read_chunked(text, blank, 0);
        assert_eq!(whole.1, text.len() as u64, "bytes of {text:?}");
        for chunk in 1..=text.len() {
            assert_eq!(read_chunked(text, blank, chunk), whole, "{text:?} read {chunk} bytes at a time");
        }
        whole.0
    }

    fn ok(line: u64, s: &str) -> (u64, Result<String, String>) {
        (line, Ok(s.to_owned()))
    }

    #[test]
    fn json_lines_skip_blank_lines_and_keep_line_numbers() {
        let got = read_all("{\"a\":1}\n\n  \r\n{\"b\":2}\r\nnot json\n", Blank::Skip);
        assert_eq!(got, vec![ok(1, "{\"a\":1}"), ok(4, "{\"b\":2}"), ok(5, "not json")]);
    }

    #[test]
    fn json_lines_keep_blank_lines_for_eval() {
        let got = read_all("{}\n\n{}", Blank::Keep);
        assert_eq!(got, vec![ok(1, "{}"), ok(2, ""), ok(3, "{}")]);
    }

    #[test]
    fn arrays_are_split_into_elements() {
        let text = "\n[\n  {\"a\": \"x,]}\\\"\"},\n  {\"b\": [1, {\"c\": 2}]},\n  3, \"s\"\n]\n";
        let got = read_all(text, Blank::Skip);
        assert_eq!(
            got,
            vec![ok(3, "{\"a\": \"x,]}\\\"\"}"), ok(4, "{\"b\": [1, {\"c\": 2}]}"), ok(5, "3"), ok(5, "\"s\"")]
        );
    }

    #[test]
    fn an_unclosed_array_is_an_error_record() {
        let got = read_all("[{\"a\":1}, {\"b\":", Blank::Skip);
        assert_eq!(got.len(), 2);
        assert_eq!(got.first(), Some(&ok(1, "{\"a\":1}")));
        assert!(got.get(1).is_some_and(|(_, r)| r.is_err()));
    }

    #[test]
    fn what_follows_an_array_is_read_as_json_lines() {
        // JSON Lines whose first line is an array: its elements, then
        // every later line, each a record with its own line number.
        let got = read_all("[1, {\"a\":1}]\n\"text\"\n\n{\"b\":2}\n", Blank::Skip);
        assert_eq!(got, vec![ok(1, "1"), ok(1, "{\"a\":1}"), ok(2, "\"text\""), ok(4, "{\"b\":2}")]);
        // Garbage after a closing bracket on the same line is a record there.
        let got = read_all("[\n{}\n] oops\n{}", Blank::Skip);
        assert_eq!(got, vec![ok(2, "{}"), ok(3, "oops"), ok(4, "{}")]);
    }

    #[test]
    fn an_empty_array_has_no_records() {
        assert!(read_all("[]", Blank::Skip).is_empty());
        assert!(read_all("  [ \n ] \n", Blank::Skip).is_empty());
        assert!(read_all("", Blank::Skip).is_empty());
    }

    // Found by `fuzz/fuzz_targets/scanner_lines.rs`: blanks that `open`
    // consumed while looking for the format were lost (kept blank lines,
    // bytes), so the records depended on how the input arrived.
    #[test]
    fn blank_lines_before_the_first_record_are_kept_however_the_input_arrives() {
        // The minimised input: one blank line.
        assert_eq!(read_all("\n", Blank::Keep), vec![ok(1, "")]);
        assert!(read_all("\n", Blank::Skip).is_empty());
        assert_eq!(read_all(" \r\n\t\n  {}\n", Blank::Keep), vec![ok(1, ""), ok(2, ""), ok(3, "  {}")]);
        assert_eq!(read_all(" \r\n\t\n  {}\n", Blank::Skip), vec![ok(3, "  {}")]);
        assert_eq!(read_all("\n  ", Blank::Keep), vec![ok(1, ""), ok(2, "")]);
    }

    #[test]
    fn every_byte_and_line_is_counted() {
        assert_eq!(read_chunked("[]", Blank::Skip, 0), (vec![], 2, 0));
        assert_eq!(read_chunked("\n\n [\n1]\n", Blank::Skip, 1), (vec![ok(4, "1")], 8, 4));
        assert_eq!(read_chunked("\n\n{}", Blank::Skip, 1), (vec![ok(3, "{}")], 4, 3));
    }

    #[test]
    fn arrays_read_in_pieces_are_split_the_same() {
        let text = "\n [ {\"a\": \"x,]}\\\"\"} , [1, {\"b\": 2}], 3,\"s\"\n,null]  \n";
        assert_eq!(
            read_all(text, Blank::Skip),
            vec![ok(2, "{\"a\": \"x,]}\\\"\"}"), ok(2, "[1, {\"b\": 2}]"), ok(2, "3"), ok(2, "\"s\""), ok(3, "null")]
        );
    }
}
