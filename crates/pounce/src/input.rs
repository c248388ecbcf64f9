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
}

impl Source {
    /// The name shown in findings (`-` is `stdin`).
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "stdin".to_owned(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// The size in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match self {
            Source::Stdin => None,
            Source::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
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
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("sources", &self.sources).field("next", &self.next).finish_non_exhaustive()
    }
}

type Input = Box<dyn BufRead + Send>;

enum Format {
    Lines { input: Input, line: u64 },
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
        Reader { sources, next: 0, current: None, blank }
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
                };
                self.current = Some((self.next, open(input)?));
                self.next += 1;
            }
            let Some((source, format)) = self.current.as_mut() else { continue };
            let mut batch = Batch { source: *source, ..Batch::default() };
            if let Format::Array { input, line, state: ArrayState::ThenLines } = format {
                let input = std::mem::replace(input, Box::new(io::empty()));
                *format = Format::Lines { input, line: *line };
            }
            let more = match format {
                Format::Lines { input, line } => read_lines(input, line, self.blank, &mut batch)?,
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

/// Looks at the first non-blank byte to choose the format.
fn open(mut input: Input) -> io::Result<Format> {
    let mut skipped_lines = 0;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(Format::Lines { input, line: skipped_lines });
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let is_array = buf.get(i) == Some(&b'[');
                if is_array {
                    let prefix = buf.get(..=i).unwrap_or_default();
                    skipped_lines += count_newlines(prefix);
                    input.consume(i + 1);
                    return Ok(Format::Array { input, line: skipped_lines, state: ArrayState::Between });
                }
                // JSON Lines: leave the bytes to the line reader, which
                // counts the lines itself.
                return Ok(Format::Lines { input, line: skipped_lines });
            }
            None => {
                // A whole buffer of blanks: only newlines matter, and the
                // line reader would count them; consume them here.
                let n = buf.len();
                skipped_lines += count_newlines(buf);
                input.consume(n);
            }
        }
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Fills `batch` with lines; false at the end of the input.
fn read_lines(input: &mut Input, line: &mut u64, blank: Blank, batch: &mut Batch) -> io::Result<bool> {
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
        if is_blank && blank == Blank::Skip {
            batch.buf.truncate(start);
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
    let mut depth: u32 = 0;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str, blank: Blank) -> Vec<(u64, Result<String, String>)> {
        let input: Input = Box::new(io::Cursor::new(text.as_bytes().to_vec()));
        let mut format = open(input).unwrap_or_else(|_| Format::Lines { input: Box::new(io::empty()), line: 0 });
        let mut out = Vec::new();
        loop {
            let mut batch = Batch::default();
            if let Format::Array { input, line, state: ArrayState::ThenLines } = &mut format {
                let input = std::mem::replace(input, Box::new(io::empty()));
                format = Format::Lines { input, line: *line };
            }
            let more = match &mut format {
                Format::Lines { input, line } => read_lines(input, line, blank, &mut batch),
                Format::Array { input, line, state } => read_array(input, line, state, &mut batch),
            }
            .unwrap_or(false);
            for item in &batch.items {
                let v = match &item.error {
                    Some(e) => Err(e.clone()),
                    None => batch.text(item).map(str::to_owned),
                };
                out.push((item.line, v));
            }
            if !more {
                return out;
            }
        }
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
}
