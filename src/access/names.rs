//! The AWS identifiers a user hands strata for access — account ids, external
//! ids, role ARNs, role and session names — checked against AWS's own rules
//! before they reach an API or a template.
//!
//! Each is a newtype that can only hold a valid value, so the role templates
//! and the STS calls never see (or have to escape) anything AWS would refuse.
//! This module does not talk to AWS and does not know where a value came from
//! (command line or `--accounts` file): callers add that to the message.

use std::fmt;
use std::str::FromStr;

/// Why a value is not a valid AWS identifier; one line that says what is
/// expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("account id {0:?} is not 12 digits (e.g. 123456789012)")]
    AccountId(String),
    #[error(
        "external id {0:?} is not valid: AWS allows 2 to 1224 characters from \
         A-Z a-z 0-9 and _+=,.@:/- (generate one with `strata iam external-id`)"
    )]
    ExternalId(String),
    #[error("{0:?} is not an IAM role ARN (expected arn:aws:iam::123456789012:role/NAME)")]
    RoleArn(String),
    #[error(
        "role name {0:?} is not valid: AWS allows 1 to 64 characters from \
         A-Z a-z 0-9 and _+=,.@-"
    )]
    RoleName(String),
    #[error(
        "session name {0:?} is not valid: AWS allows 2 to 64 characters from \
         A-Z a-z 0-9 and _+=,.@-"
    )]
    SessionName(String),
    #[error("{0:?} is not an AWS region name (e.g. eu-west-1)")]
    Region(String),
}

/// `A-Z a-z 0-9 _ + = , . @ -`: the character set AWS allows in role and
/// session names.
fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// AWS's external id pattern `[\w+=,.@:/-]*`.
fn is_external_id_char(c: char) -> bool {
    is_iam_name_char(c) || c == ':' || c == '/'
}

macro_rules! validated_string {
    ($(#[$doc:meta])* $name:ident, $check:expr, $error:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = NameError;

            fn from_str(value: &str) -> Result<Self, NameError> {
                let check: fn(&str) -> bool = $check;
                if check(value) {
                    Ok($name(value.to_string()))
                } else {
                    Err(NameError::$error(value.to_string()))
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        deserialize_from_str!($name);
    };
}

/// Deserialize through `FromStr`, so a file (`--accounts`) gets the same
/// checks and messages as the command line, at the value's position.
macro_rules! deserialize_from_str {
    ($name:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

validated_string!(
    /// A 12-digit AWS account id.
    AccountId,
    |value| value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()),
    AccountId
);

validated_string!(
    /// The shared secret a role's trust policy requires in `sts:ExternalId`.
    ExternalId,
    |value| (2..=1224).contains(&value.len()) && value.chars().all(is_external_id_char),
    ExternalId
);

validated_string!(
    /// An IAM role name (the last part of a role ARN, without the path).
    RoleName,
    |value| (1..=64).contains(&value.len()) && value.chars().all(is_iam_name_char),
    RoleName
);

validated_string!(
    /// The `RoleSessionName` of an assumed-role session; it shows up in the
    /// scanned account's CloudTrail, so security teams can tell strata apart.
    SessionName,
    |value| (2..=64).contains(&value.len()) && value.chars().all(is_iam_name_char),
    SessionName
);

validated_string!(
    /// An AWS region name such as `eu-west-1` or `us-gov-west-1`.
    Region,
    is_region_name,
    Region
);

/// `eu-west-1`, `us-gov-east-1`, `ap-southeast-5`: lowercase words joined by
/// dashes, ending in a number.
fn is_region_name(value: &str) -> bool {
    let mut parts = value.split('-').collect::<Vec<_>>();
    let Some(number) = parts.pop() else {
        return false;
    };
    parts.len() >= 2
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase()))
}

/// An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role[/PATH]/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoleArn {
    arn: String,
    account: AccountId,
}

impl RoleArn {
    pub fn as_str(&self) -> &str {
        &self.arn
    }

    /// The account that owns the role (the account strata reads through it).
    pub fn account(&self) -> &AccountId {
        &self.account
    }
}

impl FromStr for RoleArn {
    type Err = NameError;

    fn from_str(value: &str) -> Result<RoleArn, NameError> {
        let invalid = || NameError::RoleArn(value.to_string());
        let mut fields = value.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(invalid());
        };
        let partition_ok = partition.starts_with("aws")
            && partition
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-');
        let account: AccountId = account.parse().map_err(|_| invalid())?;
        // `role/NAME` or `role/some/path/NAME`; the path segments use the
        // same characters as the name.
        let Some(path_and_name) = resource.strip_prefix("role/") else {
            return Err(invalid());
        };
        let name = path_and_name.rsplit('/').next().unwrap_or_default();
        let path_ok = path_and_name
            .split('/')
            .all(|segment| !segment.is_empty() && segment.chars().all(is_iam_name_char));
        if !partition_ok || !path_ok || name.parse::<RoleName>().is_err() {
            return Err(invalid());
        }
        Ok(RoleArn {
            arn: value.to_string(),
            account,
        })
    }
}

deserialize_from_str!(RoleArn);

impl fmt::Display for RoleArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.arn)
    }
}

impl ExternalId {
    /// Length of a generated external id: 32 characters from 62 give about
    /// 190 bits, far beyond guessing, and fit every console field.
    pub const GENERATED_LENGTH: usize = 32;

    /// A fresh random external id from the operating system's generator.
    pub fn generate() -> Result<ExternalId, getrandom::Error> {
        const ALPHABET: &[u8; 62] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        // Rejection sampling: only bytes below 248 (= 4 * 62) map evenly onto
        // the alphabet, so no character is likelier than another.
        const UNBIASED_BELOW: u8 = 248;
        let mut id = String::with_capacity(Self::GENERATED_LENGTH);
        let mut buffer = [0u8; 64];
        while id.len() < Self::GENERATED_LENGTH {
            getrandom::fill(&mut buffer)?;
            for byte in buffer {
                if byte < UNBIASED_BELOW && id.len() < Self::GENERATED_LENGTH {
                    id.push(char::from(ALPHABET[usize::from(byte % 62)]));
                }
            }
        }
        Ok(ExternalId(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_exactly_twelve_digits() {
        assert!("123456789012".parse::<AccountId>().is_ok());
        for bad in [
            "12345678901",
            "1234567890123",
            "12345678901a",
            "",
            " 123456789012",
        ] {
            let error = bad.parse::<AccountId>().unwrap_err();
            assert_eq!(error, NameError::AccountId(bad.to_string()));
        }
    }

    #[test]
    fn external_ids_follow_the_aws_character_set() {
        for good in ["ab", "ext-7f3a9c", "a_b+c=d,e.f@g:h/i-j", &"x".repeat(1224)] {
            assert_eq!(good.parse::<ExternalId>().unwrap().as_str(), good);
        }
        for bad in [
            "a",
            "has space",
            "quote\"",
            "brace${x}",
            "new\nline",
            "ü-umlaut",
            &"x".repeat(1225),
        ] {
            assert!(bad.parse::<ExternalId>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn role_arns_name_a_role_and_its_account() {
        let arn: RoleArn = "arn:aws:iam::111122223333:role/strata-readonly"
            .parse()
            .unwrap();
        assert_eq!(arn.account().as_str(), "111122223333");
        let with_path: RoleArn = "arn:aws-us-gov:iam::111122223333:role/ops/team/strata"
            .parse()
            .unwrap();
        assert_eq!(with_path.account().as_str(), "111122223333");
        for bad in [
            "strata-readonly",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::11112222333:role/x",
            "arn:aws:sts::111122223333:role/x",
            "arn:aws:iam:eu-west-1:111122223333:role/x",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::111122223333:role//x",
            "arn:aws:iam::111122223333:role/bad name",
            "arn:AWS:iam::111122223333:role/x",
        ] {
            assert_eq!(
                bad.parse::<RoleArn>().unwrap_err(),
                NameError::RoleArn(bad.to_string())
            );
        }
    }

    #[test]
    fn role_and_session_names_follow_iam_rules() {
        assert!("strata-readonly".parse::<RoleName>().is_ok());
        assert!("x".parse::<RoleName>().is_ok());
        assert!("x".repeat(65).parse::<RoleName>().is_err());
        assert!("a/b".parse::<RoleName>().is_err());
        assert!("strata".parse::<SessionName>().is_ok());
        assert!("s".parse::<SessionName>().is_err());
        assert!("has:colon".parse::<SessionName>().is_err());
    }

    #[test]
    fn region_names_look_like_regions() {
        for good in ["eu-west-1", "us-gov-west-1", "ap-southeast-5", "cn-north-1"] {
            assert!(good.parse::<Region>().is_ok(), "{good} refused");
        }
        for bad in [
            "eu-west",
            "EU-WEST-1",
            "euwest1",
            "eu--1",
            "-west-1",
            "eu-west-1a",
        ] {
            assert!(bad.parse::<Region>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn generated_external_ids_are_valid_and_fresh() {
        let first = ExternalId::generate().unwrap();
        let second = ExternalId::generate().unwrap();
        assert_eq!(first.as_str().len(), ExternalId::GENERATED_LENGTH);
        assert!(first.as_str().bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(first.as_str().parse::<ExternalId>().unwrap(), first);
        assert_ne!(first, second);
    }
}
