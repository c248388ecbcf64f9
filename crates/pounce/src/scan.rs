//! `pounce scan`: stream resources through the registry in parallel.
//!
//! The reader fills one bounded batch while the thread pool evaluates the
//! previous one (`rayon::join`); results are written in input order. Memory
//! is a few batches, whatever the input's size.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use pounce_runtime::resources::RESOURCE_TYPES;
use pounce_runtime::suggest::did_you_mean;
use pounce_runtime::registry::{Evaluation, InvalidKind, InvalidResource, Plan, Record, Registry};
use pounce_runtime::{DefaultContext, EvalError};
use rayon::prelude::*;
use serde::Serialize;

use crate::input::{self, Batch, Blank, Reader, Source};
use crate::output::{self, Format, Location};

/// What `pounce scan` evaluates and how it reports.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files, directories, or `-` for stdin; none means stdin.
    pub inputs: Vec<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Only these policy IDs (empty: all).
    pub policies: Vec<String>,
    /// Only policies of these severities (empty: all).
    pub severities: Vec<pounce_runtime::Severity>,
    /// Only resources of these types (empty: all).
    pub resource_types: Vec<String>,
    /// Also run policies whose spec says `Enabled: false`.
    pub include_disabled: bool,
    /// Also report evaluations that passed.
    pub passes: bool,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// Write the summary, with per-policy counts, as JSON here.
    pub summary_json: Option<PathBuf>,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
}

/// Counts of one policy's evaluations.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// `policy()` returned `True`.
    pub pass: u64,
    /// `policy()` returned `False`.
    pub alert: u64,
    /// `policy()` raised (or the resource could not be read as its type).
    pub error: u64,
    /// Errors by exception name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub error_kinds: BTreeMap<String, u64>,
    /// The first error's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

impl Counts {
    fn add(&mut self, e: &Evaluation) {
        match &e.result {
            Ok(true) => self.pass += 1,
            Ok(false) => self.alert += 1,
            Err(err) => {
                self.error += 1;
                let kind = match err {
                    EvalError::Exception(x) => x.kind.name().to_owned(),
                    EvalError::Resource(_) => "InvalidResource".to_owned(),
                };
                *self.error_kinds.entry(kind).or_default() += 1;
                if self.first_error.is_none() {
                    let mut text = err.to_string();
                    text.truncate(200);
                    self.first_error = Some(text);
                }
            }
        }
    }
}

/// The totals of a scan (`--summary-json` writes this).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// The inputs, in order.
    pub inputs: Vec<String>,
    /// Policies selected.
    pub policies: usize,
    /// Worker threads.
    pub threads: usize,
    /// Resources read (records that were JSON).
    pub resources: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Lines read.
    pub lines: u64,
    /// Seconds from the first read to the last write.
    pub seconds: f64,
    /// Evaluations.
    pub evaluations: u64,
    /// Evaluations that passed.
    pub pass: u64,
    /// Evaluations that alerted.
    pub alert: u64,
    /// Evaluations that raised.
    pub error: u64,
    /// Records that are not JSON resources.
    pub invalid: u64,
    /// Resources no selected policy applies to.
    pub unmatched: u64,
    /// Evaluations skipped by `Suppressions`.
    pub suppressed: u64,
    /// Per policy with at least one evaluation, by `PolicyID`.
    pub per_policy: BTreeMap<String, Counts>,
}

impl Summary {
    /// The exit code: 2 when anything raised or could not be read, 1 when
    /// something alerted, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.error > 0 || self.invalid > 0 {
            2
        } else if self.alert > 0 {
            1
        } else {
            0
        }
    }

    /// One line for stderr.
    pub fn line(&self) -> String {
        let mb = self.bytes as f64 / 1e6;
        format!(
            "pounce: {} resources ({mb:.1} MB) in {:.2} s ({:.1} MB/s, {} thread{}, {} policies): {} evaluations — {} pass, {} alert, {} error; {} invalid record(s), {} resource(s) matched no policy{}",
            group(self.resources),
            self.seconds,
            if self.seconds > 0.0 { mb / self.seconds } else { 0.0 },
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.policies,
            group(self.evaluations),
            group(self.pass),
            group(self.alert),
            group(self.error),
            group(self.invalid),
            group(self.unmatched),
            if self.suppressed > 0 { format!(", {} suppressed", group(self.suppressed)) } else { String::new() },
        )
    }
}

/// `1234567` as `1,234,567`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a scan could not run at all.
#[derive(Debug)]
pub enum ScanError {
    /// A bad option (unknown policy ID, …).
    Usage(String),
    /// Reading or writing failed.
    Io(io::Error),
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        ScanError::Io(e)
    }
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::Usage(m) => f.write_str(m),
            ScanError::Io(e) => e.fmt(f),
        }
    }
}

/// The usage error for a policy ID this build does not hold, with the
/// closest ID when one is near.
pub fn unknown_policy(registry: &Registry, id: &str) -> String {
    let hint = match did_you_mean(id, registry.policies().iter().map(|p| p.meta.id)) {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None => " (see `pounce list`)".to_owned(),
    };
    format!("no policy `{id}` in this build{hint}")
}

/// The plan of `opts` over `registry`: which policies run.
pub fn plan(registry: &Registry, opts: &ScanOptions) -> Result<Plan, ScanError> {
    for id in &opts.policies {
        if registry.get(id).is_none() {
            return Err(ScanError::Usage(unknown_policy(registry, id)));
        }
    }
    for t in &opts.resource_types {
        if !RESOURCE_TYPES.iter().any(|(known, _)| known == t) {
            let hint = match did_you_mean(t, RESOURCE_TYPES.iter().map(|(k, _)| *k)) {
                Some(best) => format!(" (did you mean `{best}`?)"),
                None => String::new(),
            };
            return Err(ScanError::Usage(format!("`{t}` is not a resource type Panther knows{hint}")));
        }
    }
    let plan = registry.plan(|p| {
        (opts.include_disabled || p.meta.enabled || opts.policies.iter().any(|id| id == p.meta.id))
            && (opts.policies.is_empty() || opts.policies.iter().any(|id| id == p.meta.id))
            && (opts.severities.is_empty() || opts.severities.contains(&p.meta.severity))
            && (opts.resource_types.is_empty()
                || p.meta.resource_types.is_empty()
                || p.meta.resource_types.iter().any(|t| opts.resource_types.iter().any(|u| u == t)))
    });
    Ok(if opts.resource_types.is_empty() { plan } else { plan.only_types(&opts.resource_types) })
}

struct RecordOut {
    line: u64,
    result: Result<(Record, Vec<Evaluation>), InvalidResource>,
    /// The output lines, when the format is line-based (rendered here, in
    /// parallel, rather than by the writer).
    rendered: Option<Vec<u8>>,
}

fn evaluate_batch(plan: &Plan, batch: &Batch, source: &str, opts: &ScanOptions) -> Vec<RecordOut> {
    let aux = opts.format != Format::None;
    batch
        .items
        .par_iter()
        .with_min_len(16)
        .map(|item| {
            let result = match (&item.error, batch.text(item)) {
                (Some(e), _) => Err(InvalidResource::new(InvalidKind::UnclosedArray, e.clone())),
                (None, Err(e)) => Err(InvalidResource::new(InvalidKind::NotUtf8, e)),
                (None, Ok(text)) => {
                    let mut out = Vec::new();
                    plan.evaluate_str(text, &DefaultContext, aux, &mut out).map(|r| (r, out))
                }
            };
            let at = Location { source, line: item.line };
            let mut buf = Vec::new();
            let rendered = match &result {
                Ok((record, evaluations)) => {
                    output::render_record(opts.format, at, record, evaluations, opts.passes, &mut buf)
                }
                Err(invalid) => output::render_invalid(opts.format, at, invalid, &mut buf),
            };
            RecordOut { line: item.line, result, rendered: matches!(rendered, Ok(true)).then_some(buf) }
        })
        .collect()
}

/// Runs a scan; returns its summary. Findings go to `out`.
pub fn scan(registry: &Registry, opts: &ScanOptions, out: Box<dyn Write + '_>) -> Result<Summary, ScanError> {
    let sources = input::sources(&opts.inputs)?;
    scan_sources(registry, opts, sources, out)
}

/// [`scan`] over `sources` instead of `opts.inputs`.
pub(crate) fn scan_sources(
    registry: &Registry,
    opts: &ScanOptions,
    sources: Vec<Source>,
    out: Box<dyn Write + '_>,
) -> Result<Summary, ScanError> {
    let plan = plan(registry, opts)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .map_err(|e| ScanError::Usage(format!("cannot start the thread pool: {e}")))?;
    let mut summary = Summary {
        inputs: sources.iter().map(Source::name).collect(),
        policies: plan.policies().len(),
        threads: pool.current_num_threads(),
        ..Summary::default()
    };
    let progress = progress_bar(opts, &sources);
    // Looked up once per evaluation: foldhash, not SipHash.
    let index: HashMap<&'static str, usize, foldhash::fast::RandomState> =
        plan.policies().iter().enumerate().map(|(i, p)| (p.meta.id, i)).collect();
    let mut counts: Vec<Counts> = vec![Counts::default(); plan.policies().len()];
    let mut findings = output::writer(opts.format, out, plan.policies())?;
    let names = summary.inputs.clone();
    let started = Instant::now();

    // The loop runs here (the writer stays on this thread); each batch is
    // evaluated on the pool while the next one is read.
    let result: Result<(), ScanError> = (|| {
        let mut reader = Reader::new(sources, Blank::Skip);
        let mut current = reader.next_batch()?;
        while let Some(batch) = current {
            let source = names.get(batch.source).map_or("?", String::as_str);
            let (next, results) =
                pool.install(|| rayon::join(|| reader.next_batch(), || evaluate_batch(&plan, &batch, source, opts)));
            summary.bytes += batch.bytes;
            summary.lines += batch.lines;
            for r in results {
                let at = Location { source, line: r.line };
                match r.result {
                    Err(message) => {
                        summary.invalid += 1;
                        match &r.rendered {
                            Some(bytes) => findings.rendered(bytes)?,
                            None => findings.invalid(at, &message)?,
                        }
                    }
                    Ok((record, evaluations)) => {
                        summary.resources += 1;
                        summary.suppressed += record.suppressed as u64;
                        if evaluations.is_empty() && record.suppressed == 0 {
                            summary.unmatched += 1;
                        }
                        for e in &evaluations {
                            if let Some(c) = index.get(e.policy.meta.id).and_then(|&i| counts.get_mut(i)) {
                                c.add(e);
                            }
                        }
                        match &r.rendered {
                            Some(bytes) => findings.rendered(bytes)?,
                            None => findings.record(at, &record, &evaluations, opts.passes)?,
                        }
                    }
                }
            }
            if let Some(p) = &progress {
                p.inc(batch.bytes);
            }
            reader.recycle(batch);
            current = next?;
        }
        Ok(())
    })();
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    summary.seconds = started.elapsed().as_secs_f64();
    for (p, c) in plan.policies().iter().zip(counts) {
        summary.pass += c.pass;
        summary.alert += c.alert;
        summary.error += c.error;
        if c.pass + c.alert + c.error > 0 {
            summary.per_policy.insert(p.meta.id.to_owned(), c);
        }
    }
    summary.evaluations = summary.pass + summary.alert + summary.error;
    match result {
        // A closed pipe (`pounce scan … | head`) ends the output early;
        // the summary still counts what was evaluated.
        Err(ScanError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e),
        Ok(()) => match findings.finish(summary.error == 0 && summary.invalid == 0) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
            other => other?,
        },
    }
    if let Some(path) = &opts.summary_json {
        let text = serde_json::to_string_pretty(&summary).map_err(io::Error::other)?;
        std::fs::write(path, text + "\n").map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    }
    Ok(summary)
}

fn progress_bar(opts: &ScanOptions, sources: &[Source]) -> Option<indicatif::ProgressBar> {
    if !opts.progress || !io::stderr().is_terminal() {
        return None;
    }
    let total: Option<u64> = sources.iter().map(Source::len).sum();
    let bar = match total {
        Some(n) => indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    Some(bar)
}
