//! "Did you mean …?": the closest candidate to a misspelt name, shared by
//! the generator's diagnostics and the command line's usage errors.

/// The candidate most similar to `input` (Jaro-Winkler over lowercase
/// text, above 0.8), if any.
///
/// ```
/// use pounce_runtime::suggest::did_you_mean;
/// assert_eq!(did_you_mean("AWS.EC2.Ami", ["AWS.EC2.AMI", "AWS.S3.Bucket"]), Some("AWS.EC2.AMI"));
/// assert_eq!(did_you_mean("Kubernetes", ["AWS.EC2.AMI"]), None);
/// ```
pub fn did_you_mean<'c>(input: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
