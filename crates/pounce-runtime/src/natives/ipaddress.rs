//! The `ipaddress` module: `ip_network`, `ip_address` and the
//! `IPv4Network`, `IPv6Network`, `IPv4Address` and `IPv6Address` types.
//!
//! A port of CPython 3.11.7's `Lib/ipaddress.py`: the same strict parsing
//! (and its error messages, class by class: `AddressValueError` and
//! `NetmaskValueError` from the constructors, `ValueError` from
//! `ip_network` / `ip_address` and for host bits set), the same
//! special-purpose tables (`is_private` of a network requires both its
//! network and broadcast addresses in one private range, so
//! `100.64.0.0/10` is not private in 3.11), the same RFC 5952 text form.
//!
//! Deviations: `num_addresses` beyond `i64` is a `float` (the value model
//! has no big ints); `packed`, `hosts()`, `subnets()` and friends are not
//! supported.

use std::any::Any;
use std::cmp::Ordering;

use super::args::{bind, repeat_error, unsupported, value_error, Sig};
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops;
use crate::policy::Context;
use crate::value::{py_repr_str, BinOp, Kind, Native, Val};

const ADDRESS_VALUE_ERROR: &str = "AddressValueError";
const NETMASK_VALUE_ERROR: &str = "NetmaskValueError";

/// A constructor failure: the class and the message.
#[derive(Debug)]
enum IpError {
    Address(String),
    Netmask(String),
    /// Any other exception (`ValueError: ... has host bits set`).
    Other(PolicyError),
}

impl IpError {
    fn into_error(self) -> PolicyError {
        match self {
            IpError::Address(m) => PolicyError::new(ExcKind::Other(ADDRESS_VALUE_ERROR), m),
            IpError::Netmask(m) => PolicyError::new(ExcKind::Other(NETMASK_VALUE_ERROR), m),
            IpError::Other(e) => e,
        }
    }
}

/// An IP version's constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V4,
    V6,
}

impl Version {
    fn bits(self) -> u32 {
        match self {
            Version::V4 => 32,
            Version::V6 => 128,
        }
    }

    fn all_ones(self) -> u128 {
        match self {
            Version::V4 => u128::from(u32::MAX),
            Version::V6 => u128::MAX,
        }
    }

    fn number(self) -> i64 {
        match self {
            Version::V4 => 4,
            Version::V6 => 6,
        }
    }

    fn netmask(self, prefix: u32) -> u128 {
        self.all_ones() ^ self.all_ones().checked_shr(prefix).unwrap_or(0)
    }
}

/// `IPv4Address` / `IPv6Address`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpAddress {
    version: Version,
    ip: u128,
    /// The IPv6 zone (`fe80::1%eth0`).
    scope: Option<String>,
}

/// `IPv4Network` / `IPv6Network`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpNetwork {
    /// The network address (keeps the zone it was written with).
    address: IpAddress,
    prefix: u32,
}

// ---------------------------------------------------------------------
// Parsing

fn parse_octet(s: &str) -> Result<u128, String> {
    if s.is_empty() {
        return Err("Empty octet not permitted".to_owned());
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("Only decimal digits permitted in {}", py_repr_str(s)));
    }
    if s.len() > 3 {
        return Err(format!("At most 3 characters permitted in {}", py_repr_str(s)));
    }
    if s != "0" && s.starts_with('0') {
        return Err(format!("Leading zeros are not permitted in {}", py_repr_str(s)));
    }
    let v: u128 = s.parse().unwrap_or(0);
    if v > 255 {
        return Err(format!("Octet {v} (> 255) not permitted"));
    }
    Ok(v)
}

fn v4_from_str(s: &str) -> Result<u128, String> {
    if s.is_empty() {
        return Err("Address cannot be empty".to_owned());
    }
    let octets: Vec<&str> = s.split('.').collect();
    if octets.len() != 4 {
        return Err(format!("Expected 4 octets in {}", py_repr_str(s)));
    }
    let mut v = 0u128;
    for o in octets {
        let x = parse_octet(o).map_err(|e| format!("{e} in {}", py_repr_str(s)))?;
        v = (v << 8) | x;
    }
    Ok(v)
}

fn parse_hextet(s: &str) -> Result<u128, String> {
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("Only hex digits permitted in {}", py_repr_str(s)));
    }
    if s.len() > 4 {
        return Err(format!("At most 4 characters permitted in {}", py_repr_str(s)));
    }
    u128::from_str_radix(s, 16).map_err(|_| format!("invalid literal for int() with base 16: {}", py_repr_str(s)))
}

fn v6_from_str(s: &str) -> Result<u128, String> {
    if s.is_empty() {
        return Err("Address cannot be empty".to_owned());
    }
    let mut parts: Vec<String> = s.split(':').map(str::to_owned).collect();
    if parts.len() < 3 {
        return Err(format!("At least 3 parts expected in {}", py_repr_str(s)));
    }
    if parts.last().is_some_and(|p| p.contains('.')) {
        let last = parts.pop().unwrap_or_default();
        let v4 = v4_from_str(&last).map_err(|e| format!("{e} in {}", py_repr_str(s)))?;
        parts.push(format!("{:x}", (v4 >> 16) & 0xffff));
        parts.push(format!("{:x}", v4 & 0xffff));
    }
    if parts.len() > 9 {
        return Err(format!("At most 8 colons permitted in {}", py_repr_str(s)));
    }
    let n = parts.len();
    let empty = |i: usize| parts.get(i).is_some_and(String::is_empty);
    let mut skip = None;
    for i in 1..n - 1 {
        if empty(i) {
            if skip.is_some() {
                return Err(format!("At most one '::' permitted in {}", py_repr_str(s)));
            }
            skip = Some(i);
        }
    }
    let (hi, lo, skipped) = match skip {
        Some(k) => {
            let (mut hi, mut lo) = (k, n - k - 1);
            if empty(0) {
                hi -= 1;
                if hi > 0 {
                    return Err(format!("Leading ':' only permitted as part of '::' in {}", py_repr_str(s)));
                }
            }
            if empty(n - 1) {
                lo -= 1;
                if lo > 0 {
                    return Err(format!("Trailing ':' only permitted as part of '::' in {}", py_repr_str(s)));
                }
            }
            if hi + lo >= 8 {
                return Err(format!("Expected at most 7 other parts with '::' in {}", py_repr_str(s)));
            }
            (hi, lo, 8 - (hi + lo))
        }
        None => {
            if n != 8 {
                return Err(format!("Exactly 8 parts expected without '::' in {}", py_repr_str(s)));
            }
            if empty(0) {
                return Err(format!("Leading ':' only permitted as part of '::' in {}", py_repr_str(s)));
            }
            if empty(n - 1) {
                return Err(format!("Trailing ':' only permitted as part of '::' in {}", py_repr_str(s)));
            }
            (n, 0, 0)
        }
    };
    let mut v = 0u128;
    let wrap = |e: String| format!("{e} in {}", py_repr_str(s));
    for p in parts.iter().take(hi) {
        v = (v << 16) | parse_hextet(p).map_err(wrap)?;
    }
    for _ in 0..skipped {
        v <<= 16;
    }
    for p in parts.iter().skip(n - lo) {
        v = (v << 16) | parse_hextet(p).map_err(wrap)?;
    }
    Ok(v)
}

/// The text of an address argument, as `str(address)`.
fn arg_text(v: &Val<'_>) -> String {
    ops::to_str(v)
}

/// The integer of an `int` argument (`bool` included).
fn arg_int(v: &Val<'_>) -> Option<i64> {
    match (v.kind(), ops::as_number(v)) {
        (Kind::Int | Kind::Bool, Some(ops::Num::Int(i))) => Some(i),
        _ => None,
    }
}

fn check_int(version: Version, i: i64) -> Result<u128, IpError> {
    let n = version.number();
    if i < 0 {
        return Err(IpError::Address(format!("{i} (< 0) is not permitted as an IPv{n} address")));
    }
    let u = u128::from(i.unsigned_abs());
    if u > version.all_ones() {
        return Err(IpError::Address(format!("{i} (>= 2**{}) is not permitted as an IPv{n} address", version.bits())));
    }
    Ok(u)
}

impl IpAddress {
    /// `IPv4Address(address)` / `IPv6Address(address)`.
    fn new(version: Version, address: &Val<'_>) -> Result<IpAddress, IpError> {
        if let Some(i) = arg_int(address) {
            return Ok(IpAddress { version, ip: check_int(version, i)?, scope: None });
        }
        let text = arg_text(address);
        if text.contains('/') {
            return Err(IpError::Address(format!("Unexpected '/' in {}", ops::repr(address))));
        }
        IpAddress::from_str(version, &text)
    }

    fn from_str(version: Version, text: &str) -> Result<IpAddress, IpError> {
        match version {
            Version::V4 => Ok(IpAddress { version, ip: v4_from_str(text).map_err(IpError::Address)?, scope: None }),
            Version::V6 => {
                let (addr, scope) = match text.split_once('%') {
                    None => (text, None),
                    Some((a, z)) if !z.is_empty() && !z.contains('%') => (a, Some(z.to_owned())),
                    Some(_) => {
                        return Err(IpError::Address(format!("Invalid IPv6 address: \"{}\"", py_repr_str(text))));
                    }
                };
                Ok(IpAddress { version, ip: v6_from_str(addr).map_err(IpError::Address)?, scope })
            }
        }
    }

    fn of(version: Version, ip: u128) -> IpAddress {
        IpAddress { version, ip, scope: None }
    }

    fn text(&self) -> String {
        match self.version {
            Version::V4 => {
                let [a, b, c, d] = u32::try_from(self.ip).unwrap_or(0).to_be_bytes();
                format!("{a}.{b}.{c}.{d}")
            }
            Version::V6 => {
                let base = compress_v6(self.ip);
                match &self.scope {
                    Some(z) => format!("{base}%{z}"),
                    None => base,
                }
            }
        }
    }

    fn exploded(&self) -> String {
        match self.version {
            Version::V4 => self.text(),
            Version::V6 => {
                let hex = format!("{:032x}", self.ip);
                let groups: Vec<&str> = (0..8).filter_map(|i| hex.get(i * 4..i * 4 + 4)).collect();
                groups.join(":")
            }
        }
    }

    fn in_net(&self, net: &str) -> bool {
        let (a, p) = net.split_once('/').unwrap_or((net, "0"));
        let p: u32 = p.parse().unwrap_or(0);
        let base = match self.version {
            Version::V4 => v4_from_str(a),
            Version::V6 => v6_from_str(a),
        };
        base.is_ok_and(|b| self.ip & self.version.netmask(p) == b)
    }

    fn ipv4_mapped(&self) -> Option<IpAddress> {
        (self.version == Version::V6 && (self.ip >> 32) == 0xffff).then(|| IpAddress::of(Version::V4, self.ip & 0xffff_ffff))
    }

    fn is_private(&self) -> bool {
        match self.version {
            Version::V4 => V4_PRIVATE.iter().any(|n| self.in_net(n)),
            Version::V6 => match self.ipv4_mapped() {
                Some(v4) => v4.is_private(),
                None => V6_PRIVATE.iter().any(|n| self.in_net(n)),
            },
        }
    }

    fn flag(&self, name: &str) -> Option<bool> {
        let v4 = self.version == Version::V4;
        Some(match name {
            "is_private" => self.is_private(),
            "is_global" if v4 => !self.in_net("100.64.0.0/10") && !self.is_private(),
            "is_global" => !self.is_private(),
            "is_multicast" => self.in_net(if v4 { "224.0.0.0/4" } else { "ff00::/8" }),
            "is_reserved" if v4 => self.in_net("240.0.0.0/4"),
            "is_reserved" => V6_RESERVED.iter().any(|n| self.in_net(n)),
            "is_unspecified" => self.ip == 0,
            "is_loopback" if v4 => self.in_net("127.0.0.0/8"),
            "is_loopback" => self.ip == 1,
            "is_link_local" => self.in_net(if v4 { "169.254.0.0/16" } else { "fe80::/10" }),
            "is_site_local" if !v4 => self.in_net("fec0::/10"),
            _ => return None,
        })
    }

    fn type_name(&self) -> &'static str {
        match self.version {
            Version::V4 => "IPv4Address",
            Version::V6 => "IPv6Address",
        }
    }
}

/// RFC 5952 text, as `ipaddress._compress_hextets` writes it.
fn compress_v6(ip: u128) -> String {
    let hextets: Vec<String> = (0..8).rev().map(|i| format!("{:x}", (ip >> (16 * i)) & 0xffff)).collect();
    let (mut best_start, mut best_len, mut start, mut len) = (None, 0usize, None, 0usize);
    for (i, h) in hextets.iter().enumerate() {
        if h == "0" {
            len += 1;
            let s = *start.get_or_insert(i);
            if len > best_len {
                best_len = len;
                best_start = Some(s);
            }
        } else {
            len = 0;
            start = None;
        }
    }
    match best_start {
        Some(s) if best_len > 1 => {
            let head = hextets.get(..s).unwrap_or_default().join(":");
            let tail = hextets.get(s + best_len..).unwrap_or_default().join(":");
            format!("{head}::{tail}")
        }
        _ => hextets.join(":"),
    }
}

const V4_PRIVATE: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/29",
    "192.0.0.170/31",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "240.0.0.0/4",
    "255.255.255.255/32",
];

const V6_PRIVATE: &[&str] = &[
    "::1/128",
    "::/128",
    "::ffff:0:0/96",
    "100::/64",
    "2001::/23",
    "2001:2::/48",
    "2001:db8::/32",
    "2001:10::/28",
    "fc00::/7",
    "fe80::/10",
];

const V6_RESERVED: &[&str] = &[
    "::/8", "100::/8", "200::/7", "400::/6", "800::/5", "1000::/4", "4000::/3", "6000::/3", "8000::/3", "a000::/3",
    "c000::/3", "e000::/4", "f000::/5", "f800::/6", "fe00::/9",
];

fn netmask_error(arg: &str) -> IpError {
    IpError::Netmask(format!("{arg} is not a valid netmask"))
}

/// `_make_netmask`: the prefix length of a mask argument.
fn make_netmask(version: Version, mask: &Val<'_>) -> Result<u32, IpError> {
    if let Some(i) = arg_int(mask) {
        return u32::try_from(i).ok().filter(|p| *p <= version.bits()).ok_or_else(|| netmask_error(&i.to_string()));
    }
    let s = arg_text(mask);
    if let Some(p) = prefix_from_prefix_string(version, &s) {
        return Ok(p);
    }
    if version == Version::V6 {
        return Err(netmask_error(&py_repr_str(&s)));
    }
    let Ok(ip) = v4_from_str(&s) else { return Err(netmask_error(&py_repr_str(&s))) };
    prefix_from_ip_int(version, ip)
        .or_else(|| prefix_from_ip_int(version, ip ^ version.all_ones()))
        .ok_or_else(|| netmask_error(&py_repr_str(&s)))
}

fn prefix_from_prefix_string(version: Version, s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u32>().ok().filter(|p| *p <= version.bits())
}

/// The prefix length of a `1*0*` mask, if it is one.
fn prefix_from_ip_int(version: Version, ip: u128) -> Option<u32> {
    let bits = version.bits();
    let trailing = if ip == 0 { bits } else { ip.trailing_zeros().min(bits) };
    let prefix = bits - trailing;
    (version.netmask(prefix) == ip).then_some(prefix)
}

impl IpNetwork {
    /// `IPv4Network(address, strict)` / `IPv6Network(address, strict)`.
    fn new(version: Version, address: &Val<'_>, strict: bool) -> Result<IpNetwork, IpError> {
        let (addr, mask): (Val<'_>, Option<Val<'_>>) = if arg_int(address).is_some() {
            (address.clone(), None)
        } else if address.kind() == Kind::Tuple {
            let items = ops::elements(address).unwrap_or_default();
            match items.as_slice() {
                [] => return Err(IpError::Other(PolicyError::new(ExcKind::IndexError, "tuple index out of range"))),
                [a] => (a.clone(), None),
                [a, m] => (a.clone(), Some(m.clone())),
                _ => return Err(IpError::Other(value_error("too many values to unpack (expected 2)"))),
            }
        } else {
            let text = arg_text(address);
            let parts: Vec<&str> = text.split('/').collect();
            match parts.as_slice() {
                [a] => (Val::text(a), None),
                [a, m] => (Val::text(a), Some(Val::text(m))),
                _ => {
                    return Err(IpError::Address(format!("Only one '/' permitted in {}", ops::repr(address))));
                }
            }
        };
        let na = IpAddress::new(version, &addr)?;
        let prefix = match &mask {
            None => version.bits(),
            Some(m) => make_netmask(version, m)?,
        };
        let netmask = version.netmask(prefix);
        if na.ip & netmask != na.ip {
            if strict {
                let shown = IpNetwork { address: na, prefix };
                return Err(IpError::Other(value_error(format!("{} has host bits set", shown.text()))));
            }
            return Ok(IpNetwork { address: IpAddress::of(version, na.ip & netmask), prefix });
        }
        Ok(IpNetwork { address: na, prefix })
    }

    fn version(&self) -> Version {
        self.address.version
    }

    fn netmask(&self) -> u128 {
        self.version().netmask(self.prefix)
    }

    fn broadcast(&self) -> IpAddress {
        IpAddress::of(self.version(), self.address.ip | (self.netmask() ^ self.version().all_ones()))
    }

    fn text(&self) -> String {
        format!("{}/{}", self.address.text(), self.prefix)
    }

    fn both(&self, f: impl Fn(&IpAddress) -> bool) -> bool {
        f(&self.address) && f(&self.broadcast())
    }

    fn in_net(&self, net: &str) -> bool {
        self.both(|a| a.in_net(net))
    }

    fn is_private(&self) -> bool {
        let table = match self.version() {
            Version::V4 => V4_PRIVATE,
            Version::V6 => V6_PRIVATE,
        };
        table.iter().any(|n| self.in_net(n))
    }

    fn flag(&self, name: &str) -> Option<bool> {
        Some(match name {
            "is_private" => self.is_private(),
            "is_global" if self.version() == Version::V4 => !self.in_net("100.64.0.0/10") && !self.is_private(),
            "is_global" => !self.is_private(),
            "is_multicast" | "is_reserved" | "is_link_local" | "is_unspecified" | "is_loopback" | "is_site_local" => {
                self.address.flag(name)? && self.broadcast().flag(name)?
            }
            _ => return None,
        })
    }

    fn type_name(&self) -> &'static str {
        match self.version() {
            Version::V4 => "IPv4Network",
            Version::V6 => "IPv6Network",
        }
    }
}

// ---------------------------------------------------------------------
// Python behaviour

fn addr_val<'v>(a: IpAddress) -> Val<'v> {
    Val::native(a)
}

/// `n` as a Python int, or a float beyond `i64`.
fn count_val<'v>(n: u128) -> Val<'v> {
    match i64::try_from(n) {
        Ok(i) => Val::Int(i),
        #[expect(clippy::cast_precision_loss, reason = "no big ints in the value model")]
        Err(_) => Val::Float(n as f64),
    }
}

fn arity(method: &str, args: &[Val<'_>], n: usize) -> PyResult<()> {
    if args.len() == n {
        return Ok(());
    }
    if n == 0 {
        return Err(PolicyError::type_error(format!(
            "_BaseNetwork.{method}() takes 1 positional argument but {} were given",
            args.len() + 1
        )));
    }
    if args.len() < n {
        return Err(PolicyError::type_error(format!(
            "_BaseNetwork.{method}() missing 1 required positional argument: 'other'"
        )));
    }
    Err(PolicyError::type_error(format!(
        "_BaseNetwork.{method}() takes 2 positional arguments but {} were given",
        args.len() + 1
    )))
}

/// `2**128 + low` as decimal text (for overflow messages).
fn beyond_u128(low: u128) -> String {
    let a: Vec<u8> = "340282366920938463463374607431768211456".bytes().rev().map(|b| b - b'0').collect();
    let b: Vec<u8> = low.to_string().bytes().rev().map(|b| b - b'0').collect();
    let mut out = Vec::new();
    let mut carry = 0u8;
    for i in 0..a.len().max(b.len()) {
        let s = a.get(i).copied().unwrap_or(0) + b.get(i).copied().unwrap_or(0) + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    if carry > 0 {
        out.push(carry);
    }
    out.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

impl IpAddress {
    fn shift(&self, delta: i64, op: BinOp) -> PyResult<IpAddress> {
        let n = self.version.number();
        let up = (op == BinOp::Add) == (delta >= 0);
        let mag = u128::from(delta.unsigned_abs());
        let result = if up { self.ip.checked_add(mag) } else { self.ip.checked_sub(mag) };
        match result {
            Some(v) if v <= self.version.all_ones() => Ok(IpAddress::of(self.version, v)),
            Some(v) => Err(IpError::Address(format!("{v} (>= 2**{}) is not permitted as an IPv{n} address", self.version.bits())).into_error()),
            None if up => {
                let low = self.ip.wrapping_add(mag);
                Err(IpError::Address(format!("{} (>= 2**128) is not permitted as an IPv{n} address", beyond_u128(low))).into_error())
            }
            None => {
                let below = mag - self.ip;
                Err(IpError::Address(format!("-{below} (< 0) is not permitted as an IPv{n} address")).into_error())
            }
        }
    }
}

impl Native for IpAddress {
    fn type_name(&self) -> &'static str {
        IpAddress::type_name(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        format!("{}({})", self.type_name(), py_repr_str(&self.text()))
    }
    fn str(&self) -> String {
        self.text()
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        other.downcast::<IpAddress>().is_some_and(|o| o == self)
    }
    fn partial_cmp(&self, other: &Val<'_>) -> PyResult<Option<Ordering>> {
        let Some(o) = other.downcast::<IpAddress>() else { return Ok(None) };
        if o.version != self.version {
            return Err(PolicyError::type_error(format!("{} and {} are not of the same version", self.text(), o.text())));
        }
        Ok(Some(self.ip.cmp(&o.ip)))
    }
    fn hash_key(&self) -> Option<String> {
        Some(format!("ip{}:{}:{}", self.version.number(), self.ip, self.scope.as_deref().unwrap_or("")))
    }
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        if let Some(b) = self.flag(name) {
            return Ok(Val::Bool(b));
        }
        let v6 = self.version == Version::V6;
        match name {
            "version" => Ok(Val::Int(self.version.number())),
            "max_prefixlen" => Ok(Val::Int(i64::from(self.version.bits()))),
            "compressed" => Ok(Val::string(self.text())),
            "exploded" => Ok(Val::string(self.exploded())),
            "reverse_pointer" => Ok(Val::string(match self.version {
                Version::V4 => {
                    let t = self.text();
                    let mut parts: Vec<&str> = t.split('.').collect();
                    parts.reverse();
                    format!("{}.in-addr.arpa", parts.join("."))
                }
                Version::V6 => {
                    let nibbles: Vec<String> = self.exploded().chars().rev().filter(|c| *c != ':').map(String::from).collect();
                    format!("{}.ip6.arpa", nibbles.join("."))
                }
            })),
            "ipv4_mapped" if v6 => Ok(self.ipv4_mapped().map_or(Val::None, addr_val)),
            "scope_id" if v6 => Ok(self.scope.clone().map_or(Val::None, Val::string)),
            "packed" | "teredo" | "sixtofour" => Err(unsupported(&format!("{}.{name}", self.type_name()))),
            _ => Err(PolicyError::no_attribute(self.type_name(), name)),
        }
    }
    fn binop<'v>(&self, op: BinOp, other: &Val<'v>, reflected: bool) -> Option<PyResult<Val<'v>>> {
        if reflected || !matches!(op, BinOp::Add | BinOp::Sub) {
            return repeat_error(op, other, self.type_name());
        }
        let delta = arg_int(other)?;
        Some(self.shift(delta, op).map(addr_val))
    }
}

impl Native for IpNetwork {
    fn type_name(&self) -> &'static str {
        IpNetwork::type_name(self)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        format!("{}({})", self.type_name(), py_repr_str(&self.text()))
    }
    fn str(&self) -> String {
        self.text()
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        other
            .downcast::<IpNetwork>()
            .is_some_and(|o| o.address == self.address && o.netmask() == self.netmask())
    }
    fn partial_cmp(&self, other: &Val<'_>) -> PyResult<Option<Ordering>> {
        let Some(o) = other.downcast::<IpNetwork>() else { return Ok(None) };
        if o.version() != self.version() {
            return Err(PolicyError::type_error(format!("{} and {} are not of the same version", self.text(), o.text())));
        }
        Ok(Some(self.address.ip.cmp(&o.address.ip).then(self.netmask().cmp(&o.netmask()))))
    }
    fn hash_key(&self) -> Option<String> {
        Some(format!(
            "net{}:{}:{}:{}",
            self.version().number(),
            self.address.ip,
            self.address.scope.as_deref().unwrap_or(""),
            self.prefix
        ))
    }
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        if let Some(b) = self.flag(name) {
            return Ok(Val::Bool(b));
        }
        let version = self.version();
        let hostmask = self.netmask() ^ version.all_ones();
        let v = match name {
            "network_address" => addr_val(self.address.clone()),
            "broadcast_address" => addr_val(self.broadcast()),
            "netmask" => addr_val(IpAddress::of(version, self.netmask())),
            "hostmask" => addr_val(IpAddress::of(version, hostmask)),
            "prefixlen" => Val::Int(i64::from(self.prefix)),
            "max_prefixlen" => Val::Int(i64::from(version.bits())),
            "version" => Val::Int(version.number()),
            "num_addresses" => match hostmask.checked_add(1) {
                Some(n) => count_val(n),
                #[expect(clippy::cast_precision_loss, reason = "no big ints in the value model")]
                None => Val::Float(hostmask as f64 + 1.0),
            },
            "with_prefixlen" | "compressed" => Val::string(self.text()),
            "with_netmask" => Val::string(format!("{}/{}", self.address.text(), IpAddress::of(version, self.netmask()).text())),
            "with_hostmask" => Val::string(format!("{}/{}", self.address.text(), IpAddress::of(version, hostmask).text())),
            "exploded" => Val::string(format!("{}/{}", self.address.exploded(), self.prefix)),
            _ => return Err(PolicyError::no_attribute(self.type_name(), name)),
        };
        Ok(v)
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        let me: Val<'v> = Val::native(self.clone());
        match name {
            "overlaps" => {
                arity(name, args, 1)?;
                let other = args.first().cloned().unwrap_or(Val::None);
                let hit = ops::contains(&other, &addr_val(self.address.clone()))?
                    || ops::contains(&other, &addr_val(self.broadcast()))?
                    || ops::contains(&me, &ops::getattr(&other, "network_address")?)?
                    || ops::contains(&me, &ops::getattr(&other, "broadcast_address")?)?;
                Ok(Val::Bool(hit))
            }
            "subnet_of" | "supernet_of" => {
                arity(name, args, 1)?;
                let other = args.first().cloned().unwrap_or(Val::None);
                let (a, b) = if name == "subnet_of" { (&me, &other) } else { (&other, &me) };
                is_subnet_of(a, b).map(Val::Bool)
            }
            "hosts" | "subnets" | "supernet" | "address_exclude" | "compare_networks" => {
                Err(unsupported(&format!("{}.{name}()", self.type_name())))
            }
            _ => Err(PolicyError::no_attribute(self.type_name(), name)),
        }
    }
    fn binop<'v>(&self, op: BinOp, other: &Val<'v>, _reflected: bool) -> Option<PyResult<Val<'v>>> {
        repeat_error(op, other, self.type_name())
    }
    fn contains(&self, item: &Val<'_>) -> Option<PyResult<bool>> {
        if let Some(a) = item.downcast::<IpAddress>() {
            return Some(Ok(a.version == self.version() && a.ip & self.netmask() == self.address.ip));
        }
        if item.downcast::<IpNetwork>().is_some() || matches!(item, Val::Mock(_)) {
            return Some(Ok(false));
        }
        Some(Err(PolicyError::no_attribute(item.type_name(), "_version")))
    }
}

/// `_BaseNetwork._is_subnet_of(a, b)`.
fn is_subnet_of(a: &Val<'_>, b: &Val<'_>) -> PyResult<bool> {
    let unable = || {
        PolicyError::type_error(format!(
            "Unable to test subnet containment between {} and {}",
            ops::to_str(a),
            ops::to_str(b)
        ))
    };
    let version = |v: &Val<'_>| {
        v.downcast::<IpNetwork>().map(IpNetwork::version).or_else(|| v.downcast::<IpAddress>().map(|x| x.version))
    };
    let (Some(va), Some(vb)) = (version(a), version(b)) else { return Err(unable()) };
    if va != vb {
        return Err(PolicyError::type_error(format!(
            "{} and {} are not of the same version",
            ops::to_str(a),
            ops::to_str(b)
        )));
    }
    let (Some(na), Some(nb)) = (a.downcast::<IpNetwork>(), b.downcast::<IpNetwork>()) else { return Err(unable()) };
    Ok(nb.address.ip <= na.address.ip && nb.broadcast().ip >= na.broadcast().ip)
}

// ---------------------------------------------------------------------
// Entry points

const IP_NETWORK: Sig = Sig::new("ip_network", &["address", "strict"], 1);
const IP_ADDRESS: Sig = Sig::new("ip_address", &["address"], 1);
const V4_NETWORK: Sig = Sig { method: true, ..Sig::new("IPv4Network.__init__", &["address", "strict"], 1) };
const V6_NETWORK: Sig = Sig { method: true, ..Sig::new("IPv6Network.__init__", &["address", "strict"], 1) };
const V4_ADDRESS: Sig = Sig { method: true, ..Sig::new("IPv4Address.__init__", &["address"], 1) };
const V6_ADDRESS: Sig = Sig { method: true, ..Sig::new("IPv6Address.__init__", &["address"], 1) };

fn strict_arg(b: &super::args::Bound<'_>) -> bool {
    b.get(1).is_none_or(ops::truthy)
}

/// `ipaddress.ip_network(address, strict=True)`.
pub fn ip_network<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&IP_NETWORK, args, kwargs)?;
    let address = b.get(0).cloned().unwrap_or(Val::None);
    let strict = strict_arg(&b);
    for version in [Version::V4, Version::V6] {
        match IpNetwork::new(version, &address, strict) {
            Ok(n) => return Ok(Val::native(n)),
            Err(IpError::Other(e)) => return Err(e),
            Err(_) => {}
        }
    }
    Err(value_error(format!("{} does not appear to be an IPv4 or IPv6 network", ops::repr(&address))))
}

/// `ipaddress.ip_address(address)`.
pub fn ip_address<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&IP_ADDRESS, args, kwargs)?;
    let address = b.get(0).cloned().unwrap_or(Val::None);
    for version in [Version::V4, Version::V6] {
        match IpAddress::new(version, &address) {
            Ok(a) => return Ok(Val::native(a)),
            Err(IpError::Other(e)) => return Err(e),
            Err(_) => {}
        }
    }
    Err(value_error(format!("{} does not appear to be an IPv4 or IPv6 address", ops::repr(&address))))
}

fn network_ctor<'a>(sig: &Sig, version: Version, args: &[Val<'a>], kwargs: &[(&str, Val<'a>)]) -> PyResult<Val<'a>> {
    let b = bind(sig, args, kwargs)?;
    let address = b.get(0).cloned().unwrap_or(Val::None);
    IpNetwork::new(version, &address, strict_arg(&b)).map(Val::native).map_err(IpError::into_error)
}

fn address_ctor<'a>(sig: &Sig, version: Version, args: &[Val<'a>], kwargs: &[(&str, Val<'a>)]) -> PyResult<Val<'a>> {
    let b = bind(sig, args, kwargs)?;
    let address = b.get(0).cloned().unwrap_or(Val::None);
    IpAddress::new(version, &address).map(Val::native).map_err(IpError::into_error)
}

/// `ipaddress.IPv4Network(address, strict=True)`.
pub fn ipv4_network<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    network_ctor(&V4_NETWORK, Version::V4, args, kwargs)
}

/// `ipaddress.IPv6Network(address, strict=True)`.
pub fn ipv6_network<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    network_ctor(&V6_NETWORK, Version::V6, args, kwargs)
}

/// `ipaddress.IPv4Address(address)`.
pub fn ipv4_address<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    address_ctor(&V4_ADDRESS, Version::V4, args, kwargs)
}

/// `ipaddress.IPv6Address(address)`.
pub fn ipv6_address<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    address_ctor(&V6_ADDRESS, Version::V6, args, kwargs)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::policy::DefaultContext;

    fn net(s: &str) -> PyResult<Val<'static>> {
        ip_network(&[Val::string(s.to_owned())], &[], &DefaultContext)
    }

    fn attr(s: &str, name: &str) -> String {
        match net(s).and_then(|n| ops::getattr(&n, name)) {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        }
    }

    // Expected values from CPython 3.11.7.
    #[test]
    fn is_private_matches_cpython() {
        let cases = [
            ("10.0.0.0/8", "True"),
            ("100.64.0.0/10", "False"),
            ("0.0.0.0/0", "False"),
            ("192.168.1.0/255.255.255.0", "True"),
            ("::/0", "False"),
            ("fc00::/7", "True"),
            ("2001:db8::/32", "True"),
            ("::ffff:10.0.0.1/128", "True"),
            ("1::/16", "False"),
        ];
        for (s, want) in cases {
            assert_eq!(attr(s, "is_private"), want, "{s}");
        }
        assert_eq!(attr("100.64.0.0/10", "is_global"), "False");
        assert_eq!(attr("0.0.0.0/0", "is_global"), "True");
        assert_eq!(attr("1.2.3.0/24", "broadcast_address"), "IPv4Address('1.2.3.255')");
        assert_eq!(attr("2001:db8::/32", "netmask"), "IPv6Address('ffff:ffff::')");
        assert_eq!(attr("2001:db8::/32", "hostmask"), "IPv6Address('::ffff:ffff:ffff:ffff:ffff:ffff')");
        assert_eq!(attr("2001:db8::/32", "exploded"), "'2001:0db8:0000:0000:0000:0000:0000:0000/32'");
        assert_eq!(attr("1.2.3.0/24", "num_addresses"), "256");
    }

    #[test]
    fn parsing_is_strict_like_cpython() {
        let show = |s: &str| match net(s) {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        };
        assert_eq!(show("10.0.0.1/8"), "ValueError: 10.0.0.1/8 has host bits set");
        assert_eq!(show("10.0.0.1/255.0.0.0"), "ValueError: 10.0.0.1/8 has host bits set");
        assert_eq!(show("x"), "ValueError: 'x' does not appear to be an IPv4 or IPv6 network");
        assert_eq!(show("1.2.3.04/32"), "ValueError: '1.2.3.04/32' does not appear to be an IPv4 or IPv6 network");
        assert_eq!(show("10.0.0.0/0.255.255.255"), "IPv4Network('10.0.0.0/8')");
        assert_eq!(show("0::/0"), "IPv6Network('::/0')");
        assert_eq!(show("2001:0db8:0000:0000:0001:0000:0000:0001"), "IPv6Network('2001:db8::1:0:0:1/128')");
        assert_eq!(show("::ffff:10.0.0.1/128"), "IPv6Network('::ffff:a00:1/128')");
        assert_eq!(show("fe80::%eth0/64"), "IPv6Network('fe80::%eth0/64')");
        let none = ip_network(&[Val::None], &[], &DefaultContext).unwrap_err();
        assert_eq!(none.to_string(), "ValueError: None does not appear to be an IPv4 or IPv6 network");
        let five = ip_network(&[Val::Int(5)], &[], &DefaultContext).unwrap();
        assert_eq!(ops::repr(&five), "IPv4Network('0.0.0.5/32')");
        let loose = ip_network(&[Val::str("10.0.0.1/8"), Val::Bool(false)], &[], &DefaultContext).unwrap();
        assert_eq!(ops::repr(&loose), "IPv4Network('10.0.0.0/8')");
        let direct = |f: crate::natives::NativeFn, s: &'static str| f(&[Val::str(s)], &[], &DefaultContext).unwrap_err().to_string();
        assert_eq!(direct(ipv4_network, "1.2.3.4/33"), "NetmaskValueError: '33' is not a valid netmask");
        assert_eq!(direct(ipv4_network, "10.0.0.1/255.0.255.0"), "NetmaskValueError: '255.0.255.0' is not a valid netmask");
        assert_eq!(direct(ipv6_network, "1.2.3.4"), "AddressValueError: At least 3 parts expected in '1.2.3.4'");
        assert_eq!(direct(ipv4_address, "1.2.3.256"), "AddressValueError: Octet 256 (> 255) not permitted in '1.2.3.256'");
        assert_eq!(direct(ipv6_address, "::1.2.3"), "AddressValueError: Expected 4 octets in '1.2.3' in '::1.2.3'");
        assert_eq!(direct(ipv6_address, "1::2::3"), "AddressValueError: At most one '::' permitted in '1::2::3'");
    }

    #[test]
    fn comparisons_and_membership() {
        let any6 = ipv6_network(&[Val::str("::/0")], &[], &DefaultContext).unwrap();
        let zero6 = ipv6_network(&[Val::str("0::/0")], &[], &DefaultContext).unwrap();
        assert!(ops::eq(&any6, &zero6));
        // IPv6Network(IPv6Network(...)) goes through str().
        let again = ipv6_network(std::slice::from_ref(&any6), &[], &DefaultContext).unwrap();
        assert!(ops::eq(&again, &any6));
        let v4 = net("1.2.3.0/24").unwrap();
        assert!(!ops::eq(&v4, &any6));
        assert!(!ops::eq(&v4, &Val::str("1.2.3.0/24")));
        let e = ops::compare(ops::Order::Lt, &v4, &any6).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: 1.2.3.0/24 and ::/0 are not of the same version");
        let addr = ip_address(&[Val::str("1.2.3.4")], &[], &DefaultContext).unwrap();
        assert!(ops::contains(&v4, &addr).unwrap());
        let e = ops::contains(&v4, &Val::str("1.2.3.4")).unwrap_err();
        assert_eq!(e.to_string(), "AttributeError: 'str' object has no attribute '_version'");
        let e = ops::compare(ops::Order::Lt, &v4, &addr).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: '<' not supported between instances of 'IPv4Network' and 'IPv4Address'");
        let wide = net("1.2.0.0/16").unwrap();
        assert!(matches!(ops::call_method(&v4, "subnet_of", std::slice::from_ref(&wide)).unwrap(), Val::Bool(true)));
        assert!(matches!(ops::call_method(&v4, "overlaps", &[wide]).unwrap(), Val::Bool(true)));
        let e = ops::call_method(&v4, "subnet_of", &[Val::str("x")]).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: Unable to test subnet containment between 1.2.3.0/24 and x");
        let next = ops::binop(BinOp::Add, &addr, &Val::Int(1)).unwrap();
        assert_eq!(ops::repr(&next), "IPv4Address('1.2.3.5')");
        let top = ip_address(&[Val::str("255.255.255.255")], &[], &DefaultContext).unwrap();
        let e = ops::binop(BinOp::Add, &top, &Val::Int(1)).unwrap_err();
        assert_eq!(e.to_string(), "AddressValueError: 4294967296 (>= 2**32) is not permitted as an IPv4 address");
        let compressed = ip_address(&[Val::str("2001:0:0:1:0:0:0:1")], &[], &DefaultContext).unwrap();
        assert_eq!(ops::to_str(&compressed), "2001:0:0:1::1");
    }
}
