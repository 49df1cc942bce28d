//! The IAM policy strata needs, generated from the scanners' action table
//! ([`crate::scan::action`]), so the policy can never drift from the calls.
//!
//! Two forms: `minimal` spells out every action (no wildcards), `custom` uses
//! `service:Describe*` wildcards so a team updates it less often. Both only
//! ever grant read-only actions: a table entry that is not
//! `Describe*`/`List*`/`Get*` (or STS) is refused, not silently granted.
//! Actions only an optional command needs get a statement of their own
//! ([`OPTIONAL_STATEMENTS`]), so a team can leave it out.
//! This module does not decide which actions exist (the scanners do) nor how
//! a policy is attached to a role (that is [`super::role`]).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::scan::action::Action;

/// IAM policy language version; the only current one.
pub const POLICY_LANGUAGE_VERSION: &str = "2012-10-17";

/// How the actions are written in the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PolicyForm {
    /// Every action spelled out, no wildcards: the least privilege, updated
    /// whenever strata reads something new.
    Minimal,
    /// `service:Describe*` per service, `List*`/`Get*` actions spelled out:
    /// fewer updates, still read-only.
    Custom,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "the action table lists {0}, which is not a read-only action \
         (Describe*, List*, Get* or STS); strata refuses to put it in a policy"
    )]
    NotReadOnly(String),
}

/// An IAM policy document, fields in the order AWS documents them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    pub version: &'static str,
    pub statement: Vec<PolicyStatement>,
}

/// One `Allow` statement on every resource: Describe/List calls cannot be
/// scoped to resources that are not known yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyStatement {
    pub sid: &'static str,
    pub effect: &'static str,
    /// Sorted, without duplicates.
    pub action: Vec<String>,
    pub resource: &'static str,
}

impl PolicyDocument {
    /// Pretty JSON with a trailing newline, ready to paste into the console.
    pub fn to_json(&self) -> String {
        let mut text =
            serde_json::to_string_pretty(self).expect("a policy document always serializes");
        text.push('\n');
        text
    }
}

/// True for the verbs that only read: `Describe*`, `List*`, `Get*` (an
/// upper-case letter must follow, so `Getaway` is not `Get*`), and every STS
/// action strata uses (identity and role assumption, which read nothing).
pub fn is_read_only(action: &Action) -> bool {
    if action.service == "sts" {
        return true;
    }
    ["Describe", "List", "Get"].iter().any(|verb| {
        action
            .name
            .strip_prefix(verb)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|next| next.is_ascii_uppercase())
    })
}

/// Services whose actions go in a statement of their own, by Sid: only an
/// optional command calls them, so the statement can be dropped without
/// losing anything a scan reads.
pub const OPTIONAL_STATEMENTS: &[(&str, &str)] = &[
    // `strata prices refresh` (the bundled price table is used without it).
    ("pricing", "StrataPriceListOptional"),
];

/// The policy for `actions` in the given form.
pub fn generate(actions: &[Action], form: PolicyForm) -> Result<PolicyDocument, PolicyError> {
    let mut granted = BTreeSet::new();
    let mut optional: Vec<(&'static str, BTreeSet<String>)> = OPTIONAL_STATEMENTS
        .iter()
        .map(|(_, sid)| (*sid, BTreeSet::new()))
        .collect();
    for action in actions {
        if !is_read_only(action) {
            return Err(PolicyError::NotReadOnly(action.iam_name()));
        }
        // STS needs no grant in the scanned account: GetCallerIdentity is
        // always allowed, and sts:AssumeRole is granted to the caller in its
        // own account, while the role's trust policy decides who may assume it.
        if action.service == "sts" {
            continue;
        }
        let grant = match form {
            PolicyForm::Minimal => action.iam_name(),
            // Only Describe* is wildcarded: List*/Get* of a whole service can
            // reach data (ec2:GetPasswordData, ec2:GetConsoleOutput), so those
            // stay spelled out even in the custom form.
            PolicyForm::Custom if action.name.starts_with("Describe") => {
                format!("{}:Describe*", action.service)
            }
            PolicyForm::Custom => action.iam_name(),
        };
        match OPTIONAL_STATEMENTS
            .iter()
            .position(|(service, _)| *service == action.service)
        {
            Some(index) => optional[index].1.insert(grant),
            None => granted.insert(grant),
        };
    }
    let mut statement = vec![PolicyStatement {
        sid: "StrataReadOnly",
        effect: "Allow",
        action: granted.into_iter().collect(),
        resource: "*",
    }];
    statement.extend(
        optional
            .into_iter()
            .filter(|(_, actions)| !actions.is_empty())
            .map(|(sid, actions)| PolicyStatement {
                sid,
                effect: "Allow",
                action: actions.into_iter().collect(),
                resource: "*",
            }),
    );
    Ok(PolicyDocument {
        version: POLICY_LANGUAGE_VERSION,
        statement,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn action(service: &'static str, name: &'static str) -> Action {
        Action {
            service,
            name,
            feeds: "something",
            mandatory: false,
        }
    }

    const TABLE: &[Action] = &[
        action("rds", "DescribeDBInstances"),
        action("ec2", "DescribeVpcs"),
        action("elasticloadbalancing", "DescribeTargetHealth"),
        action("ec2", "DescribeSubnets"),
        action("rds", "ListTagsForResource"),
        action("sts", "GetCallerIdentity"),
        action("ec2", "DescribeVpcs"),
        action("elasticloadbalancing", "DescribeLoadBalancers"),
    ];

    #[test]
    fn minimal_spells_out_every_action_sorted_once() {
        let policy = generate(TABLE, PolicyForm::Minimal).unwrap();
        assert_eq!(
            policy.statement[0].action,
            [
                "ec2:DescribeSubnets",
                "ec2:DescribeVpcs",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeTargetHealth",
                "rds:DescribeDBInstances",
                "rds:ListTagsForResource",
            ]
        );
    }

    #[test]
    fn custom_wildcards_describe_only() {
        let policy = generate(TABLE, PolicyForm::Custom).unwrap();
        assert_eq!(
            policy.statement[0].action,
            [
                "ec2:Describe*",
                "elasticloadbalancing:Describe*",
                "rds:Describe*",
                "rds:ListTagsForResource",
            ]
        );
    }

    #[test]
    fn the_document_is_the_json_iam_expects() {
        let json = generate(&TABLE[..2], PolicyForm::Minimal)
            .unwrap()
            .to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "StrataReadOnly",
                    "Effect": "Allow",
                    "Action": ["ec2:DescribeVpcs", "rds:DescribeDBInstances"],
                    "Resource": "*",
                }],
            })
        );
        assert!(json.starts_with("{\n  \"Version\": \"2012-10-17\",\n"));
        assert!(json.ends_with("}\n"));
    }

    #[test]
    fn the_scanners_table_gives_a_read_only_policy() {
        let table = crate::scan::action::all_actions();
        let minimal = generate(&table, PolicyForm::Minimal).unwrap();
        let expected: Vec<String> = table
            .iter()
            .filter(|action| !["sts", "pricing"].contains(&action.service))
            .map(Action::iam_name)
            .collect();
        assert_eq!(minimal.statement[0].action, expected);
        assert!(minimal.statement[0].action.iter().all(|a| !a.contains('*')));
        // The price refresh's action stands apart, for teams that skip it.
        assert_eq!(minimal.statement[1].sid, "StrataPriceListOptional");
        assert_eq!(minimal.statement[1].action, ["pricing:GetProducts"]);
        assert_eq!(minimal.statement.len(), 2);
        let custom = generate(&table, PolicyForm::Custom).unwrap();
        assert_eq!(
            custom.statement[0].action,
            [
                "ec2:Describe*",
                "elasticache:Describe*",
                "elasticache:ListTagsForResource",
                "elasticloadbalancing:Describe*",
                "rds:Describe*"
            ]
        );
        assert_eq!(custom.statement[1].action, ["pricing:GetProducts"]);
    }

    #[test]
    fn anything_but_reading_is_refused() {
        for name in [
            "CreateVpc",
            "TerminateInstances",
            "Getaway",
            "ModifyDBInstance",
            "Describe",
        ] {
            let table = [action("ec2", "DescribeVpcs"), action("ec2", name)];
            for form in [PolicyForm::Minimal, PolicyForm::Custom] {
                assert_eq!(
                    generate(&table, form),
                    Err(PolicyError::NotReadOnly(format!("ec2:{name}")))
                );
            }
        }
        assert!(is_read_only(&action("ec2", "GetManagedPrefixListEntries")));
        assert!(is_read_only(&action("sts", "AssumeRole")));
    }
}
