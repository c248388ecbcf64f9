//! The principal and condition values policyuniverse inspects for internet
//! accessibility: ARNs (`policyuniverse.arn.ARN`) and AWS Organizations
//! paths (`policyuniverse.organization.Organization`).
//!
//! `ARN` tries four regular expressions in turn; each is reproduced here
//! as a hand-written matcher with Python's `re` semantics (`$` also
//! matches before one final newline, `.` does not match a newline, `\d`
//! is any Unicode decimal digit).

/// A parsed ARN, account number or service principal, as
/// `policyuniverse.arn.ARN` fills it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws` in `arn:aws:…`.
    pub partition: Option<&'a str>,
    /// The service (`iam`, `s3`), or the service of a service principal
    /// (`ec2` for `ec2.amazonaws.com`).
    pub tech: Option<&'a str>,
    /// The region.
    pub region: Option<&'a str>,
    /// The account (`123456789012`, `*`, `""`, `aws`, `cloudfront`).
    pub account_number: Option<&'a str>,
    /// The resource part.
    pub name: Option<&'a str>,
    /// An `arn:…:iam::…:root` ARN.
    pub root: bool,
    /// A service principal (`*.amazonaws.com`, `*.amazon.com`,
    /// `*.aws.internal`).
    pub service: bool,
    /// None of the forms matched.
    pub error: bool,
}

impl<'a> Arn<'a> {
    /// Parses `raw` as `ARN(raw)` does.
    pub fn parse(raw: &'a str) -> Arn<'a> {
        if let Some(arn) = arn_form(raw) {
            return arn;
        }
        if account_form(raw) {
            return Arn { account_number: Some(raw), ..Arn::default() };
        }
        if let Some(tech) = amazon_service_form(raw).or_else(|| internal_service_form(raw)) {
            return Arn { tech: Some(tech), service: true, ..Arn::default() };
        }
        Arn { error: true, ..Arn::default() }
    }

    /// `Statement._arn_internet_accessible(raw)` for a string.
    pub fn is_internet_accessible(raw: &str) -> bool {
        if raw == "*" {
            return true;
        }
        let arn = Arn::parse(raw);
        if arn.error {
            return raw.contains('*');
        }
        if arn.tech == Some("s3") {
            // S3 ARNs typically don't have account numbers.
            return false;
        }
        if arn.account_number.is_none_or(str::is_empty) && !arn.service {
            return true;
        }
        arn.account_number == Some("*")
    }
}

/// The text before `$` matches: all of `s`, or `s` without one final
/// `\n`. Returns both candidates (the longer first).
fn dollar_bodies(s: &str) -> impl Iterator<Item = &str> {
    std::iter::once(s).chain(s.strip_suffix('\n'))
}

/// `^arn:([^:]*):([^:]*):([^:]*):(|\*|[\d]{12}|cloudfront|aws):(.+)$`.
fn arn_form(raw: &str) -> Option<Arn<'_>> {
    let rest = raw.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (partition, tech, region, account, name) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let account_ok = matches!(account, "" | "*" | "cloudfront" | "aws") || (account.chars().count() == 12 && account.chars().all(is_decimal));
    if !account_ok {
        return None;
    }
    // `(.+)$`: one or more characters other than `\n`, then the end or a
    // final `\n`.
    let name = dollar_bodies(name).find(|body| !body.is_empty() && !body.contains('\n'))?;
    Some(Arn {
        partition: Some(partition),
        tech: Some(tech),
        region: Some(region),
        account_number: Some(account),
        name: Some(name),
        root: tech == "iam" && name == "root",
        service: false,
        error: false,
    })
}

/// `^(\d{12})+$`.
fn account_form(raw: &str) -> bool {
    dollar_bodies(raw).any(|body| {
        let n = body.chars().count();
        n > 0 && n % 12 == 0 && body.chars().all(is_decimal)
    })
}

/// `^(([^.]+)(.[^.]+)?)\.amazon(aws)?\.com$`: the service part (group 1).
fn amazon_service_form(raw: &str) -> Option<&str> {
    dollar_bodies(raw).find_map(|body| {
        let head = body.strip_suffix(".amazonaws.com").or_else(|| body.strip_suffix(".amazon.com"))?;
        service_head(head).then_some(head)
    })
}

/// Whether `head` matches `([^.]+)(.[^.]+)?`: no dot, or exactly one dot
/// with text on both sides (the `.` of the optional group is any
/// character but a newline; a dot is the only way to have one).
fn service_head(head: &str) -> bool {
    match head.split_once('.') {
        None => !head.is_empty(),
        Some((a, c)) => !a.is_empty() && !c.is_empty() && !c.contains('.'),
    }
}

/// `^([^.]+).aws.internal$` (the dots are unescaped: any character but a
/// newline): group 1.
fn internal_service_form(raw: &str) -> Option<&str> {
    dollar_bodies(raw).find_map(|body| {
        let chars: Vec<(usize, char)> = body.char_indices().collect();
        // `X c1 aws c2 internal`: the last 13 characters are fixed.
        let n = chars.len();
        if n < 14 {
            return None;
        }
        let tail: String = chars.get(n - 13..)?.iter().map(|(_, c)| *c).collect();
        let mut t = tail.chars();
        let c1 = t.next()?;
        let aws: String = t.by_ref().take(3).collect();
        let c2 = t.next()?;
        let internal: String = t.collect();
        if c1 == '\n' || c2 == '\n' || aws != "aws" || internal != "internal" {
            return None;
        }
        let (end, _) = *chars.get(n - 13)?;
        let head = body.get(..end)?;
        (!head.is_empty() && !head.contains('.')).then_some(head)
    })
}

/// A parsed `o-…/r-…/ou-…/…` path, as
/// `policyuniverse.organization.Organization` fills it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organization<'a> {
    /// The organization id (`o-abc`, `o-*` or `*`), when the first
    /// component parsed.
    pub organization: Option<&'a str>,
    /// The root (`r-…` or `*`).
    pub root: Option<&'a str>,
    /// The organizational units named on the path.
    pub ou_path: Vec<&'a str>,
    /// The path ends with `/` (the parent OU itself).
    pub valid_for_parent_ou: bool,
    /// The path ends with `/*` or `/ou-*`.
    pub valid_for_child_ous: bool,
    /// No specific OU is named.
    pub valid_for_all_ous: bool,
    /// A component did not parse.
    pub error: bool,
}

impl<'a> Organization<'a> {
    /// Parses `input` as `Organization(input)` does (stopping at the first
    /// component in error).
    pub fn parse(input: &'a str) -> Organization<'a> {
        let mut org = Organization { valid_for_all_ous: true, ..Organization::default() };
        for (i, component) in input.split('/').enumerate() {
            match i {
                0 => {
                    if component.starts_with("o-") || component == "*" {
                        org.organization = Some(component);
                    } else {
                        org.error = true;
                    }
                }
                1 => {
                    if component.starts_with("r-") || component == "*" {
                        org.root = Some(component);
                    } else {
                        org.error = true;
                    }
                }
                _ => org.ou_component(component),
            }
            if org.error {
                break;
            }
        }
        org
    }

    fn ou_component(&mut self, ou: &'a str) {
        if self.valid_for_parent_ou || self.valid_for_child_ous {
            self.error = true;
            return;
        }
        match ou {
            "" => self.valid_for_parent_ou = true,
            "*" => {
                self.valid_for_child_ous = true;
                self.valid_for_parent_ou = true;
            }
            "ou-*" => self.valid_for_child_ous = true,
            _ => {
                self.valid_for_all_ous = false;
                if ou.starts_with("ou-") {
                    self.ou_path.push(ou);
                } else {
                    self.error = true;
                }
            }
        }
    }

    /// `Statement._organization_internet_accessible(input)`.
    pub fn is_internet_accessible(input: &str) -> bool {
        let org = Organization::parse(input);
        if org.error {
            return input.contains("o-*");
        }
        org.organization == Some("o-*")
    }
}

/// `Statement._userid_internet_accessible(userid)`: a trailing `*` (and
/// only there) keeps a user id specific; the empty id is not accessible.
pub fn userid_internet_accessible(userid: &str) -> bool {
    let n = userid.chars().count();
    let first_star = userid.chars().position(|c| c == '*');
    // `userid.find("*") == len(userid) - 1`, where `find` gives -1.
    !match first_star {
        Some(i) => i + 1 == n,
        None => n == 0,
    }
}

/// The first code points of the blocks of Unicode category `Nd` (decimal
/// digits) in Unicode 14.0, the version of CPython 3.11's `re`; each block
/// has ten digits except the last listed range.
const ND_BLOCKS: [u32; 61] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
    0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
    0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0,
    0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
    0x16ac0, 0x16b50, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// Whether `c` matches `\d` in a Python 3.11 `str` pattern.
pub(crate) fn is_decimal(c: char) -> bool {
    let n = u32::from(c);
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    // Mathematical digits: five styles of ten.
    if (0x1d7ce..=0x1d7ff).contains(&n) {
        return true;
    }
    ND_BLOCKS.iter().any(|&z| (z..z + 10).contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_parse_like_policyuniverse() {
        let a = Arn::parse("arn:aws:iam::123456789012:role/x");
        assert_eq!((a.tech, a.account_number, a.name, a.error), (Some("iam"), Some("123456789012"), Some("role/x"), false));
        assert!(Arn::parse("arn:aws:iam::123456789012:root").root);
        assert_eq!(Arn::parse("arn:aws:s3:::bucket/key:with:colons").name, Some("bucket/key:with:colons"));
        assert!(Arn::parse("arn:aws:iam::12345:role/x").error, "an account must have 12 digits");
        assert!(Arn::parse("arn:aws:iam::123456789012:").error, "a name is required");
        assert_eq!(Arn::parse("arn:aws:iam::*:role/x\n").name, Some("role/x"), "`$` before a final newline");
        assert!(Arn::parse("arn:aws:iam::*:role/x\n\n").error);
        assert_eq!(Arn::parse("arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/x").account_number, Some("١٢٣٤٥٦٧٨٩٠١٢"), "\\d is Unicode");
        let acct = Arn::parse("123456789012123456789012");
        assert_eq!((acct.account_number, acct.error), (Some("123456789012123456789012"), false));
        let svc = Arn::parse("ec2.amazonaws.com");
        assert_eq!((svc.tech, svc.service), (Some("ec2"), true));
        assert_eq!(Arn::parse("elasticmapreduce.cn-north-1.amazonaws.com").tech, Some("elasticmapreduce.cn-north-1"));
        assert_eq!(Arn::parse("a.b.amazon.com").tech, Some("a.b"));
        assert_eq!(Arn::parse("ec2.aws.internal").tech, Some("ec2"));
        assert_eq!(Arn::parse("ec2XawsYinternal").tech, Some("ec2"), "unescaped dots");
        assert!(Arn::parse("AIDAEXAMPLE").error);
    }

    /// `(raw, tech, account_number, service, error, accessible)`.
    type Case = (&'static str, Option<&'static str>, Option<&'static str>, bool, bool, bool);

    /// Expected values from policyuniverse.
    #[test]
    fn edge_cases_match_policyuniverse() {
        let cases: [Case; 21] = [
            ("a.b.c.amazonaws.com", None, None, false, true, false),
            (".amazonaws.com", None, None, false, true, false),
            ("x..amazonaws.com", None, None, false, true, false),
            ("x.y.amazon.com\n", Some("x.y"), None, true, false, false),
            ("x\n.amazonaws.com", Some("x\n"), None, true, false, false),
            ("arn:aws:iam::123456789012:role/x\n", Some("iam"), Some("123456789012"), false, false, false),
            ("arn:aws:iam::aws:policy/x", Some("iam"), Some("aws"), false, false, false),
            ("arn:aws:iam::cloudfront:x", Some("iam"), Some("cloudfront"), false, false, false),
            ("arn::::x", None, None, false, true, false),
            ("arn:aws:iam:::", None, None, false, true, false),
            ("123456789012\n", None, Some("123456789012\n"), false, false, false),
            ("1234567890123", None, None, false, true, false),
            ("a.aws.internal\n", Some("a"), None, true, false, false),
            ("a.b.aws.internal", None, None, false, true, false),
            ("aXawsXinternal", Some("a"), None, true, false, false),
            ("a\nb.aws.internal", Some("a\nb"), None, true, false, false),
            ("a.aws\ninternal", None, None, false, true, false),
            ("arn:aws:s3:::*", Some("s3"), Some(""), false, false, false),
            ("arn:aws:sts::123456789012:assumed-role/x/*", Some("sts"), Some("123456789012"), false, false, false),
            ("*.amazonaws.com", Some("*"), None, true, false, false),
            ("arn:aws:iam::12345678901*:root", None, None, false, true, true),
        ];
        for (raw, tech, account, service, error, accessible) in cases {
            let a = Arn::parse(raw);
            assert_eq!((a.tech, a.account_number, a.service, a.error), (tech, account, service, error), "{raw:?}");
            assert_eq!(Arn::is_internet_accessible(raw), accessible, "{raw:?}");
        }
    }

    #[test]
    fn internet_accessible_arns() {
        assert!(Arn::is_internet_accessible("*"));
        assert!(Arn::is_internet_accessible("arn:aws:iam::*:root"));
        assert!(!Arn::is_internet_accessible("arn:aws:iam::123456789012:root"));
        assert!(!Arn::is_internet_accessible("arn:aws:s3:::*"), "S3 ARNs have no account");
        assert!(Arn::is_internet_accessible("arn:aws:sns:us-east-1::topic"), "an empty account");
        assert!(!Arn::is_internet_accessible("123456789012"));
        assert!(!Arn::is_internet_accessible("lambda.amazonaws.com"));
        assert!(Arn::is_internet_accessible("AROA*"), "unparsable with a wildcard");
        assert!(!Arn::is_internet_accessible("AROAEXAMPLE"));
    }

    #[test]
    fn organizations() {
        assert!(Organization::is_internet_accessible("o-*"));
        assert!(!Organization::is_internet_accessible("o-abc/r-ab12/ou-ab12-1/*"));
        assert!(!Organization::is_internet_accessible("*"));
        assert!(Organization::is_internet_accessible("x/o-*"), "unparsable with o-*");
        let o = Organization::parse("o-a/r-b/ou-c/ou-d/");
        assert_eq!((o.ou_path.len(), o.valid_for_parent_ou, o.valid_for_all_ous, o.error), (2, true, false, false));
        assert!(Organization::parse("o-a/r-b/*/ou-x").error);
    }

    #[test]
    fn userids() {
        assert!(!userid_internet_accessible("AROAEXAMPLE:*"));
        assert!(!userid_internet_accessible(""));
        assert!(userid_internet_accessible("AROAEXAMPLE"));
        assert!(userid_internet_accessible("a**"));
        assert!(!userid_internet_accessible("*"));
    }

    #[test]
    fn unicode_digits() {
        assert!(is_decimal('7') && is_decimal('٣') && is_decimal('𝟘') && is_decimal('９'));
        assert!(!is_decimal('a') && !is_decimal('²') && !is_decimal('Ⅳ'));
    }
}
