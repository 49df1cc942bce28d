//! Redaction: a snapshot with every identifier replaced by a stable, keyed
//! pseudonym, so a drawing can be shared outside the account.
//!
//! This module owns the key (its file and default place), the pseudonym of
//! each class of value (account id, IP address and CIDR, AWS id, ARN, name,
//! host name, free text) and [`redact`], which applies them to the fields
//! every resource shares. It does not know which attributes of a kind hold
//! identifiers: each service decides that field by field in its
//! `redact.rs`, through [`Redactor`].
//!
//! Pseudonyms are HMAC-SHA256 of (class, original value) under the key, so
//! the same value gets the same pseudonym wherever it appears (a VPC id as a
//! resource id, in a subnet's `vpc_id`, inside an ARN) and relationships
//! survive. The class of an identifier is read from its shape, never from
//! the field holding it, for the same reason.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use hmac::{Hmac, KeyInit as _, Mac as _};
use ipnet::IpNet;
use sha2::Sha256;

use crate::snapshot::{AccountMeta, FailedRegion, Resource, Skipped, Snapshot};

/// The secret pseudonyms are derived from: 32 random bytes.
#[derive(Clone)]
pub struct Key([u8; KEY_LEN]);

const KEY_LEN: usize = 32;

impl Key {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Key {
        Key(bytes)
    }

    /// Where the key lives when `--redact-key` is not given: beside strata's
    /// other per-user files, in the config directory (not the cache: a
    /// cleared cache would change every pseudonym).
    pub fn default_path() -> Option<PathBuf> {
        dirs::config_dir().map(|directory| directory.join("strata").join("redact.key"))
    }

    /// The key in `path`, made (32 random bytes, mode 0600) when missing.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Key> {
        match std::fs::read(path) {
            Ok(bytes) => Key::parse(path, &bytes),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Key::create(path),
            Err(err) => Err(err)
                .with_context(|| format!("cannot read the redaction key {}", path.display())),
        }
    }

    fn parse(path: &Path, bytes: &[u8]) -> anyhow::Result<Key> {
        match <[u8; KEY_LEN]>::try_from(bytes) {
            Ok(bytes) => Ok(Key(bytes)),
            Err(_) => bail!(
                "{} is not a redaction key: it holds {} bytes, a key is {KEY_LEN}; name another --redact-key or delete it to make a new one",
                path.display(),
                bytes.len()
            ),
        }
    }

    fn create(path: &Path) -> anyhow::Result<Key> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes)
            .map_err(|err| anyhow::anyhow!("cannot draw a random redaction key: {err}"))?;
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("cannot create {} for the redaction key", parent.display())
            })?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(path) {
            Ok(file) => file,
            // Another strata made it first: use that one.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Key::load_or_create(path)
            }
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot create the redaction key {}", path.display()))
            }
        };
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write the redaction key {}", path.display()))?;
        tracing::info!("made a new redaction key in {}", path.display());
        Ok(Key(bytes))
    }
}

/// `--redact` and `--redact-key` of the commands that draw.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RedactArgs {
    /// Replace account ids, IP addresses, names, tag values, resource ids
    /// and the identifying parts of ARNs with stable pseudonyms in every
    /// format; kinds, types, ports, protocols, engines, regions, zones and
    /// costs stay.
    #[arg(long)]
    pub redact: bool,
    /// The 32-byte key pseudonyms are derived from; made (mode 0600) when
    /// missing. Default: redact.key in strata's config directory.
    #[arg(long, value_name = "FILE", requires = "redact")]
    pub redact_key: Option<PathBuf>,
}

impl RedactArgs {
    /// The snapshot as asked for: redacted with the key, or as it was.
    pub fn apply(&self, snapshot: Snapshot) -> anyhow::Result<Snapshot> {
        if !self.redact {
            return Ok(snapshot);
        }
        let path = match &self.redact_key {
            Some(path) => path.clone(),
            None => Key::default_path().context(
                "no config directory to keep the redaction key in; pass --redact-key FILE",
            )?,
        };
        Ok(redact(&snapshot, &Key::load_or_create(&path)?))
    }
}

/// The snapshot with every identifier replaced by its pseudonym under `key`;
/// structure, kinds, types, ports, protocols, engines, regions, zones and
/// whatever prices a resource stay, so the graph and its costs are those of
/// the original.
pub fn redact(snapshot: &Snapshot, key: &Key) -> Snapshot {
    let redactor = Redactor::new(key);
    let mut redacted = snapshot.clone();
    let scan = &mut redacted.scan;
    for account in &mut scan.accounts {
        let AccountMeta { id, name, role_arn } = account;
        redactor.account(id);
        redactor.id(name);
        redactor.opt_id(role_arn);
    }
    for Skipped {
        account,
        region: _,
        service: _,
        action: _,
        reason,
        left_out: _,
    } in &mut scan.skipped
    {
        redactor.account(account);
        // Error messages quote ARNs and principals.
        redactor.text(reason);
    }
    for FailedRegion {
        account,
        region: _,
        error,
    } in &mut scan.failed_regions
    {
        redactor.account(account);
        redactor.text(error);
    }
    for resource in &mut redacted.resources {
        let Resource {
            id,
            arn,
            account,
            region: _,
            name,
            tags,
            detail,
        } = resource;
        redactor.id(id);
        redactor.opt_id(arn);
        redactor.account(account);
        redactor.id(name);
        // Keys say what a tag is for (`Name`, `env`); values say whose it is.
        tags.values_mut().for_each(|value| redactor.id(value));
        crate::services::redact_detail(detail, &redactor);
    }
    redacted.normalize();
    redacted
}

/// The pseudonym of each class of value under one key.
pub struct Redactor {
    mac: Hmac<Sha256>,
}

/// Address blocks a pseudonymous address stays inside (and others stay out
/// of): whether an address is private, shared, link-local or loopback is
/// structure a reader needs, not an identifier.
const KEPT_V4: &[(u32, u32)] = &[
    (0x0a00_0000, 8),  // 10.0.0.0/8
    (0x7f00_0000, 8),  // 127.0.0.0/8
    (0x6440_0000, 10), // 100.64.0.0/10
    (0xac10_0000, 12), // 172.16.0.0/12
    (0xa9fe_0000, 16), // 169.254.0.0/16
    (0xc0a8_0000, 16), // 192.168.0.0/16
];
const KEPT_V6: &[(u128, u32)] = &[
    (0xfc00 << 112, 7),  // fc00::/7, unique local
    (0xfe80 << 112, 10), // fe80::/10, link local
];

impl Redactor {
    pub fn new(key: &Key) -> Redactor {
        Redactor {
            mac: Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length"),
        }
    }

    fn digest(&self, class: &str, value: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(class.as_bytes());
        // The class never holds a NUL, so (class, value) pairs cannot collide.
        mac.update(&[0]);
        mac.update(value);
        mac.finalize().into_bytes().into()
    }

    fn hex(&self, class: &str, value: &str, digits: usize) -> String {
        self.digest(class, value.as_bytes())
            .iter()
            .flat_map(|byte| [byte >> 4, byte & 0xf])
            .take(digits)
            .map(|nibble| char::from_digit(u32::from(nibble), 16).unwrap_or('0'))
            .collect()
    }

    /// An account id becomes another 12-digit id, so ARNs stay well-formed.
    pub fn account(&self, value: &mut String) {
        if is_account_id(value) {
            *value = self.account_id(value);
        } else {
            self.id(value);
        }
    }

    fn account_id(&self, value: &str) -> String {
        let digest = self.digest("account", value.as_bytes());
        let number = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default());
        format!("{:012}", number % 1_000_000_000_000)
    }

    /// Any identifier, by its shape: an ARN part by part, an address or a
    /// CIDR into one of the same family and length, an account id, an AWS id
    /// (`vpc-0a1b…`) keeping its prefix, anything else a `name-…`. Regions
    /// and zone names stay, and empty stays empty: they are structure.
    pub fn id(&self, value: &mut String) {
        *value = self.identifier(value);
    }

    pub fn opt_id(&self, value: &mut Option<String>) {
        value.iter_mut().for_each(|value| self.id(value));
    }

    pub fn ids(&self, values: &mut [String]) {
        values.iter_mut().for_each(|value| self.id(value));
    }

    fn identifier(&self, value: &str) -> String {
        if value.is_empty() {
            return String::new();
        }
        // Zones name places, not resources: an availability zone's id is
        // its name (`eu-west-1a`), and zones are structure.
        if is_region(value) || is_zone(value) {
            return value.to_string();
        }
        if value.starts_with("arn:") {
            return self.arn(value);
        }
        if let Ok(address) = value.parse::<IpAddr>() {
            return self.address(address).to_string();
        }
        if let Ok(range) = value.parse::<IpNet>() {
            return self.range(range).to_string();
        }
        if is_account_id(value) {
            return self.account_id(value);
        }
        if let Some(prefix) = aws_id_prefix(value) {
            return format!("{prefix}-{}", self.hex("id", value, 17));
        }
        format!("name-{}", self.hex("name", value, 12))
    }

    /// Whether `value` looks like an AWS id (`prefix-` and hex digits).
    pub fn is_aws_id(value: &str) -> bool {
        aws_id_prefix(value).is_some()
    }

    /// `arn:partition:service:region:account:resource`: the partition,
    /// service, region and the resource type stay; the account and every
    /// part of the resource after its type are identifiers. A load balancer's
    /// type in its ARN (`loadbalancer/app/…`) is structure the graph reads.
    fn arn(&self, value: &str) -> String {
        let parts: Vec<&str> = value.splitn(6, ':').collect();
        let [_, partition, service, region, account, resource] = parts[..] else {
            return format!("name-{}", self.hex("name", value, 12));
        };
        let account = if account.is_empty() {
            String::new()
        } else {
            self.identifier(account)
        };
        let mut pieces = resource.split_inclusive(['/', ':']);
        let mut out = format!("arn:{partition}:{service}:{region}:{account}:");
        let first = pieces.next().unwrap_or_default();
        if first.ends_with(['/', ':']) {
            out.push_str(first);
        } else {
            out.push_str(&self.identifier(first));
        }
        for (index, piece) in pieces.enumerate() {
            let (part, separator) = match piece.strip_suffix(['/', ':']) {
                Some(part) => (part, &piece[part.len()..]),
                None => (piece, ""),
            };
            let lb_type = service == "elasticloadbalancing"
                && index == 0
                && matches!(part, "app" | "net" | "gwy");
            if lb_type {
                out.push_str(part);
            } else {
                out.push_str(&self.identifier(part));
            }
            out.push_str(separator);
        }
        out
    }

    /// Prefix-preserving (in the manner of Crypto-PAn): two addresses that
    /// share their first n bits map to two that share exactly their first n
    /// bits, so equal addresses stay equal and an address stays inside the
    /// ranges it was in (security-group sources, VPC CIDRs). The bits of a
    /// kept block ([`KEPT_V4`]) are not flipped, so a private address stays
    /// private and a public one public.
    fn address(&self, address: IpAddr) -> IpAddr {
        match address {
            IpAddr::V4(v4) => {
                let kept: Vec<(u128, u32)> = KEPT_V4
                    .iter()
                    .map(|&(block, len)| (u128::from(block), len))
                    .collect();
                let bits = self.permute("ipv4", u128::from(u32::from(v4)), 32, &kept);
                IpAddr::V4(u32::try_from(bits).unwrap_or_default().into())
            }
            IpAddr::V6(v6) => IpAddr::V6(self.permute("ipv6", u128::from(v6), 128, KEPT_V6).into()),
        }
    }

    fn range(&self, range: IpNet) -> IpNet {
        let mapped = IpNet::new(self.address(range.addr()), range.prefix_len()).unwrap_or(range);
        // A range written as its network stays so; one with host bits keeps them.
        if range.addr() == range.network() {
            mapped.trunc()
        } else {
            mapped
        }
    }

    /// Flip each bit of `bits` (the low `width`) by a keyed function of the
    /// bits before it, except while those bits are still the start of a kept
    /// block.
    fn permute(&self, class: &str, bits: u128, width: u32, kept: &[(u128, u32)]) -> u128 {
        let top = |value: u128, count: u32| value.checked_shr(width - count).unwrap_or(0);
        let mut out = bits;
        for index in 0..width {
            let prefix = top(bits, index);
            let in_block = kept
                .iter()
                .any(|&(block, len)| index < len && top(block, index) == prefix);
            if in_block {
                continue;
            }
            let mut message = [0u8; 17];
            message[0] = u8::try_from(index).unwrap_or(u8::MAX);
            message[1..].copy_from_slice(&prefix.to_be_bytes());
            if self.digest(class, &message)[0] & 1 == 1 {
                out ^= 1 << (width - 1 - index);
            }
        }
        out
    }

    /// A DNS name: the labels before an AWS region (`my-alb-1234` in
    /// `my-alb-1234.eu-west-1.elb.amazonaws.com`) become one `host-…`
    /// label and the AWS suffix stays; any other name is a `host-…` whole.
    pub fn host(&self, value: &mut String) {
        if value.is_empty() {
            return;
        }
        if let Ok(address) = value.parse::<IpAddr>() {
            *value = self.address(address).to_string();
            return;
        }
        let labels: Vec<&str> = value.split('.').collect();
        let region = labels
            .iter()
            .skip(1)
            .position(|label| is_region(label))
            .map(|at| at + 1);
        *value = match region {
            Some(at)
                if value.ends_with(".amazonaws.com") || value.ends_with(".amazonaws.com.cn") =>
            {
                let own = labels[..at].join(".");
                format!(
                    "host-{}.{}",
                    self.hex("host", &own, 12),
                    labels[at..].join(".")
                )
            }
            _ => format!("host-{}", self.hex("host", value, 12)),
        };
    }

    pub fn opt_host(&self, value: &mut Option<String>) {
        value.iter_mut().for_each(|value| self.host(value));
    }

    /// `host:port`: the host redacted, the port kept.
    pub fn opt_endpoint(&self, value: &mut Option<String>) {
        let Some(endpoint) = value else { return };
        let (mut host, port) = match endpoint.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
                (host.to_string(), Some(port.to_string()))
            }
            _ => (endpoint.clone(), None),
        };
        self.host(&mut host);
        *endpoint = match port {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
    }

    /// Free text (descriptions, error messages): anything may be in it, so
    /// all of it goes; equal texts stay equal, empty stays empty.
    pub fn text(&self, value: &mut String) {
        if !value.is_empty() {
            *value = format!("text-{}", self.hex("text", value, 12));
        }
    }

    pub fn opt_text(&self, value: &mut Option<String>) {
        value.iter_mut().for_each(|value| self.text(value));
    }
}

fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

/// The prefixes of EC2's ids (`vpc-0a1b…`). Only these are kept: a name
/// shaped like an id (`orders-20240101`) must not keep its first word.
const AWS_ID_PREFIXES: &[&str] = &[
    "acl",
    "aclassoc",
    "ami",
    "cagw",
    "cgw",
    "dopt",
    "eigw",
    "eipalloc",
    "eipassoc",
    "eni",
    "fl",
    "h",
    "i",
    "igw",
    "lgw",
    "lt",
    "nat",
    "pcx",
    "pl",
    "r",
    "rtb",
    "rtbassoc",
    "sg",
    "sgr",
    "snap",
    "subnet",
    "tgw",
    "tgw-attach",
    "tgw-rtb",
    "vgw",
    "vol",
    "vpc",
    "vpce",
    "vpce-svc",
    "vpn",
];

/// `vpc` of `vpc-0a1b2c3d`, `tgw-attach` of `tgw-attach-0a1b2c3d4e5f60718`:
/// a known prefix, then at least 8 hex digits.
fn aws_id_prefix(value: &str) -> Option<&str> {
    let (prefix, digits) = value.rsplit_once('-')?;
    let digits_ok = digits.len() >= 8 && digits.bytes().all(|b| b.is_ascii_hexdigit());
    (digits_ok && AWS_ID_PREFIXES.contains(&prefix)).then_some(prefix)
}

/// The first word of a region name (`eu` of `eu-west-1`).
const REGION_AREAS: &[&str] = &["af", "ap", "ca", "cn", "eu", "il", "me", "mx", "sa", "us"];
/// The words between a region's area and its number.
const REGION_WORDS: &[&str] = &[
    "central",
    "east",
    "gov",
    "iso",
    "isob",
    "isoe",
    "isof",
    "north",
    "northeast",
    "northwest",
    "south",
    "southeast",
    "southwest",
    "west",
];

/// `eu-west-1a`: a region and one letter.
fn is_zone(value: &str) -> bool {
    value
        .strip_suffix(|c: char| c.is_ascii_lowercase())
        .is_some_and(is_region)
}

/// `eu-west-1`, `us-gov-west-1`, `ap-southeast-3`: AWS's own words only, so
/// a name such as `db-main-1` is not taken for one.
fn is_region(label: &str) -> bool {
    let words: Vec<&str> = label.split('-').collect();
    let [area, middle @ .., number] = words.as_slice() else {
        return false;
    };
    REGION_AREAS.contains(area)
        && !middle.is_empty()
        && middle.iter().all(|word| REGION_WORDS.contains(word))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::new(&Key::from_bytes([1; KEY_LEN]))
    }

    fn id(value: &str) -> String {
        redactor().identifier(value)
    }

    fn address(value: &str) -> IpAddr {
        id(value).parse().expect("an address stays an address")
    }

    fn range(value: &str) -> IpNet {
        id(value).parse().expect("a CIDR stays a CIDR")
    }

    /// Pseudonyms are part of the contract: a key shared last month must
    /// redact this month's snapshot the same way.
    #[test]
    fn pseudonyms_under_one_key_are_fixed() {
        let pinned = [
            ("123456789012", "103847150814"),
            ("vpc-0a1b2c3d", "vpc-9f92b403979cd8e25"),
            ("orders-db", "name-5de78859d323"),
            ("10.0.0.0/16", "10.126.0.0/16"),
            ("10.0.1.5", "10.126.109.158"),
            ("52.1.2.3", "50.98.220.164"),
        ];
        for (original, pseudonym) in pinned {
            assert_eq!(id(original), pseudonym, "{original}");
        }
    }

    #[test]
    fn accounts_stay_twelve_digits_and_ids_keep_their_prefix() {
        let account = id("123456789012");
        assert_eq!(account.len(), 12);
        assert!(account.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(account, "123456789012");
        let vpc = id("vpc-0a1b2c3d");
        assert_eq!(vpc.len(), "vpc-".len() + 17);
        assert!(vpc.starts_with("vpc-"));
        assert!(id("tgw-attach-0123456789abcdef0").starts_with("tgw-attach-"));
        let name = id("orders-db");
        assert_eq!(name.len(), "name-".len() + 12);
        assert!(name.starts_with("name-"));
        assert_eq!(id("orders-db"), name, "stable");
        assert_ne!(
            Redactor::new(&Key::from_bytes([2; KEY_LEN])).identifier("orders-db"),
            name,
            "keyed"
        );
        for structure in [
            "",
            "eu-west-1",
            "eu-west-1a",
            "us-gov-west-1b",
            "0.0.0.0/0",
            "::/0",
        ] {
            assert_eq!(id(structure), structure);
        }
        // Names shaped like a region or an id keep nothing of themselves.
        for name in ["db-main-1", "eu-main-1a", "orders-20240101", "app-cafebabe"] {
            assert!(id(name).starts_with("name-"), "{name}: {}", id(name));
        }
    }

    #[test]
    fn an_arn_keeps_its_form_and_redacts_its_account_and_resource() {
        let arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188";
        assert_eq!(
            id(arn),
            format!(
                "arn:aws:elasticloadbalancing:eu-west-1:{}:loadbalancer/app/{}/{}",
                id("111111111111"),
                id("web"),
                id("50dc6c495c0c9188")
            )
        );
        assert_eq!(
            id("arn:aws:rds:us-east-1:222222222222:db:ledger"),
            format!(
                "arn:aws:rds:us-east-1:{}:db:{}",
                id("222222222222"),
                id("ledger")
            )
        );
        assert_eq!(
            id("arn:aws:s3:::my-bucket"),
            format!("arn:aws:s3:::{}", id("my-bucket"))
        );
        assert!(id("arn:broken").starts_with("name-"));
    }

    #[test]
    fn addresses_keep_family_equality_privacy_and_containment() {
        let vpc = range("10.0.0.0/16");
        assert_eq!(vpc.prefix_len(), 16);
        assert_eq!(vpc.addr(), vpc.network(), "a network stays a network");
        let host = address("10.0.1.5");
        assert!(vpc.contains(&host));
        assert!(range("10.0.1.0/24").contains(&host));
        assert!(!range("10.0.2.0/24").contains(&host));
        assert_ne!(host, address("10.0.1.6"));
        assert_eq!(host, address("10.0.1.5"));
        assert!(matches!(address("172.31.5.9"), IpAddr::V4(v4) if v4.is_private()));
        assert!(matches!(address("192.168.1.1"), IpAddr::V4(v4) if v4.is_private()));
        let public = address("52.1.2.3");
        assert!(matches!(public, IpAddr::V4(v4) if !v4.is_private()));
        assert_ne!(public.to_string(), "52.1.2.3");
        let v6 = range("2a05:d018::/56");
        assert!(v6.addr().is_ipv6());
        assert_eq!(v6.prefix_len(), 56);
        assert!(v6.contains(&address("2a05:d018::1")));
        // A range written with host bits keeps them.
        let loose = range("10.0.1.5/16");
        assert_eq!(loose.addr(), host);
    }

    #[test]
    fn hosts_lose_their_own_labels_and_keep_the_aws_suffix() {
        let mut dns = "shop-1.eu-west-1.elb.amazonaws.com".to_string();
        redactor().host(&mut dns);
        assert_eq!(
            dns,
            format!(
                "host-{}.eu-west-1.elb.amazonaws.com",
                redactor().hex("host", "shop-1", 12)
            )
        );
        let mut endpoint = Some("cache.abc123.example.com:6379".to_string());
        redactor().opt_endpoint(&mut endpoint);
        let endpoint = endpoint.unwrap_or_default();
        assert!(
            endpoint.starts_with("host-") && endpoint.ends_with(":6379"),
            "{endpoint}"
        );
        assert!(!endpoint.contains("abc123"));
        let mut text = "Allow HTTPS from the office".to_string();
        redactor().text(&mut text);
        assert!(text.starts_with("text-") && text.len() == "text-".len() + 12);
    }

    #[test]
    fn a_missing_key_file_is_made_private_and_then_reused() {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let path = directory.path().join("nested").join("redact.key");
        let made = Key::load_or_create(&path).expect("a key is made");
        let bytes = std::fs::read(&path).expect("the key file");
        assert_eq!(bytes.len(), KEY_LEN);
        assert_eq!(bytes, made.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(Key::load_or_create(&path).expect("reused").0, made.0);
    }

    #[test]
    fn a_file_that_is_not_a_key_is_refused_in_one_line() {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let path = directory.path().join("short.key");
        std::fs::write(&path, b"not a key").expect("written");
        let message = Key::load_or_create(&path)
            .err()
            .expect("refused")
            .to_string();
        assert_eq!(
            message,
            format!(
                "{} is not a redaction key: it holds 9 bytes, a key is 32; name another --redact-key or delete it to make a new one",
                path.display()
            )
        );
    }
}
