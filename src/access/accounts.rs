//! The `--accounts FILE` list: which accounts one scan reads, and how to
//! reach each (a role to assume with its external id, a profile, regions).
//!
//! ```toml
//! [[account]]
//! name = "main"                # base credentials
//!
//! [[account]]
//! name = "partner"
//! role_arn = "arn:aws:iam::111122223333:role/strata-readonly"
//! external_id = "ext-7f3a9c"
//! regions = ["eu-west-1", "us-east-1"]
//! ```
//!
//! This module only reads and checks the file; every problem is one line that
//! names the file and line. Turning an entry into credentials is
//! `super::credentials`' job.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::names::{ExternalId, Region, RoleArn, SessionName};

/// One account to scan, as the file describes it (validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSpec {
    /// How the account is called in the snapshot and the diagram.
    pub name: String,
    /// The role to assume in that account; without one, the base
    /// credentials (or `profile`) read it directly.
    pub role_arn: Option<RoleArn>,
    /// Sent with the AssumeRole call; only with `role_arn`.
    pub external_id: Option<ExternalId>,
    /// A profile in the shared AWS config to use as base credentials instead
    /// of the scan's own (`--profile` / the default chain).
    pub profile: Option<String>,
    /// Regions to read in this account; empty means the scan's regions.
    pub regions: Vec<Region>,
    /// Session name for the assumed role (shown in the account's CloudTrail).
    pub session_name: Option<SessionName>,
}

/// Why an accounts file cannot be used: `FILE:LINE: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct AccountsError {
    /// `accounts.toml:7`, or just the file name when no line applies.
    pub location: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    account: Vec<AccountEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    name: Spanned<String>,
    role_arn: Option<RoleArn>,
    external_id: Option<Spanned<ExternalId>>,
    profile: Option<Spanned<String>>,
    regions: Option<Spanned<Vec<Region>>>,
    session_name: Option<SessionName>,
}

/// Read and check an accounts file.
pub fn load(path: &Path) -> Result<Vec<AccountSpec>, AccountsError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| AccountsError {
        location: shown.clone(),
        message: format!("cannot read the accounts file: {error}"),
    })?;
    parse(&text, &shown)
}

/// Check the text of an accounts file; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<AccountSpec>, AccountsError> {
    let at = |offset: Option<usize>, message: String| AccountsError {
        location: match offset {
            Some(offset) => format!("{origin}:{}", line_of(text, offset)),
            None => origin.to_string(),
        },
        message,
    };
    let file: AccountsFile = toml::from_str(text).map_err(|error| {
        // toml's Display draws the offending line over several lines; keep
        // its message and turn the span into a line number.
        let message = error.message().trim().replace('\n', " ");
        at(error.span().map(|span| span.start), message)
    })?;
    if file.account.is_empty() {
        return Err(at(
            None,
            "lists no accounts; add an [[account]] table with a name for each account to scan"
                .to_string(),
        ));
    }

    let mut first_line_of_name = BTreeMap::new();
    let mut accounts = Vec::with_capacity(file.account.len());
    for entry in file.account {
        let name_start = entry.name.span().start;
        let name = entry.name.into_inner();
        if name.trim().is_empty() {
            return Err(at(Some(name_start), "account name is empty".to_string()));
        }
        if let Some(first) = first_line_of_name.insert(name.clone(), line_of(text, name_start)) {
            return Err(at(
                Some(name_start),
                format!("account name {name:?} is used twice (first on line {first}); names must be unique"),
            ));
        }
        if let (Some(external_id), None) = (&entry.external_id, &entry.role_arn) {
            return Err(at(
                Some(external_id.span().start),
                format!(
                    "account {name:?} has an external_id but no role_arn; the external id is sent when assuming that role"
                ),
            ));
        }
        if let Some(profile) = &entry.profile {
            if profile.get_ref().trim().is_empty() {
                return Err(at(
                    Some(profile.span().start),
                    "profile is empty".to_string(),
                ));
            }
        }
        let regions = match entry.regions {
            Some(regions) if regions.get_ref().is_empty() => {
                return Err(at(
                    Some(regions.span().start),
                    format!(
                        "account {name:?} has an empty regions list; leave it out to scan the scan's regions"
                    ),
                ))
            }
            Some(regions) => {
                let mut regions = regions.into_inner();
                regions.sort();
                regions.dedup();
                regions
            }
            None => Vec::new(),
        };
        accounts.push(AccountSpec {
            name,
            role_arn: entry.role_arn,
            external_id: entry.external_id.map(Spanned::into_inner),
            profile: entry.profile.map(Spanned::into_inner),
            regions,
            session_name: entry.session_name,
        });
    }
    Ok(accounts)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let text = r#"
[[account]]
name = "main"

[[account]]
name = "partner"
role_arn = "arn:aws:iam::111122223333:role/strata-readonly"
external_id = "ext-7f3a9c"
profile = "security-audit"
regions = ["us-east-1", "eu-west-1", "us-east-1"]
session_name = "strata-audit"
"#;
        let accounts = parse(text, "accounts.toml").unwrap();
        assert_eq!(
            accounts,
            vec![
                AccountSpec {
                    name: "main".into(),
                    role_arn: None,
                    external_id: None,
                    profile: None,
                    regions: vec![],
                    session_name: None,
                },
                AccountSpec {
                    name: "partner".into(),
                    role_arn: Some(
                        "arn:aws:iam::111122223333:role/strata-readonly"
                            .parse()
                            .unwrap()
                    ),
                    external_id: Some("ext-7f3a9c".parse().unwrap()),
                    profile: Some("security-audit".into()),
                    regions: vec!["eu-west-1".parse().unwrap(), "us-east-1".parse().unwrap()],
                    session_name: Some("strata-audit".parse().unwrap()),
                },
            ]
        );
    }

    fn error(text: &str) -> String {
        parse(text, "accounts.toml").unwrap_err().to_string()
    }

    #[test]
    fn each_problem_is_one_line_naming_file_and_line() {
        let cases = [
            ("", "accounts.toml: lists no accounts"),
            ("[[account]]\nname = \"a\"\nrolearn = \"x\"\n", "accounts.toml:3: unknown field `rolearn`"),
            ("[[account]]\nrole_arn = \"arn:aws:iam::111122223333:role/r\"\n", "accounts.toml:1: missing field `name`"),
            (
                "[[account]]\nname = \"a\"\nrole_arn = \"arn:aws:iam::1111:role/r\"\n",
                "accounts.toml:3: \"arn:aws:iam::1111:role/r\" is not an IAM role ARN",
            ),
            (
                "[[account]]\nname = \"a\"\nrole_arn = \"arn:aws:iam::111122223333:role/r\"\nexternal_id = \"has space\"\n",
                "accounts.toml:4: external id \"has space\" is not valid",
            ),
            (
                "[[account]]\nname = \"a\"\nexternal_id = \"abc\"\n",
                "accounts.toml:3: account \"a\" has an external_id but no role_arn",
            ),
            (
                "[[account]]\nname = \"a\"\n\n[[account]]\nname = \"a\"\n",
                "accounts.toml:5: account name \"a\" is used twice (first on line 2)",
            ),
            ("[[account]]\nname = \" \"\n", "accounts.toml:2: account name is empty"),
            (
                "[[account]]\nname = \"a\"\nregions = []\n",
                "accounts.toml:3: account \"a\" has an empty regions list",
            ),
            (
                "[[account]]\nname = \"a\"\nregions = [\"eu-west-1\", \"Mars\"]\n",
                "accounts.toml:3: \"Mars\" is not an AWS region name",
            ),
            ("[[account]]\nname = \"a\"\nprofile = \"\"\n", "accounts.toml:3: profile is empty"),
            ("[[account]\nname = \"a\"\n", "accounts.toml:1: "),
            ("[[accounts]]\nname = \"a\"\n", "accounts.toml:1: unknown field `accounts`"),
        ];
        for (text, expected) in cases {
            let message = error(text);
            assert!(
                message.starts_with(expected),
                "{message:?} does not start with {expected:?}"
            );
            assert!(!message.contains('\n'), "{message:?} is not one line");
        }
    }

    #[test]
    fn a_missing_file_is_named() {
        let message = load(Path::new("/nonexistent/accounts.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("/nonexistent/accounts.toml: cannot read the accounts file:"),
            "{message}"
        );
    }
}
