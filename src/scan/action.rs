//! The IAM actions the scanners call: one table, declared beside the calls,
//! from which the IAM policy is generated.

/// One API action a scanner calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Action {
    /// IAM service prefix: `ec2`, `elasticloadbalancing`, `rds`, `sts`.
    pub service: &'static str,
    /// The API operation, which is also the IAM action name: `DescribeVpcs`.
    pub name: &'static str,
    /// What the snapshot lacks without it, in words: `VPCs`.
    pub feeds: &'static str,
    /// Without a mandatory action the scan cannot draw anything and stops.
    pub mandatory: bool,
}

impl Action {
    /// `ec2:DescribeVpcs`.
    pub fn iam_name(&self) -> String {
        format!("{}:{}", self.service, self.name)
    }
}

/// The actions of one region's scan, service by service.
pub fn region_actions() -> Vec<Action> {
    [
        super::ec2::ACTIONS,
        super::elbv2::ACTIONS,
        super::rds::ACTIONS,
    ]
    .concat()
}

/// Every action strata may call, sorted and deduplicated: the scanners'
/// tables plus the calls made before a scan (STS identity, region listing).
/// The IAM policy is generated from this list.
pub fn all_actions() -> Vec<Action> {
    let mut actions: Vec<Action> =
        [crate::access::credentials::ACTIONS, &region_actions()].concat();
    actions.sort_by_key(|action| (action.service, action.name));
    actions.dedup_by_key(|action| (action.service, action.name));
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_only_sorted_and_unique() {
        let actions = all_actions();
        let names: Vec<String> = actions.iter().map(Action::iam_name).collect();
        let mut expected = names.clone();
        expected.sort();
        expected.dedup();
        assert_eq!(names, expected);
        for action in &actions {
            assert!(
                crate::access::policy::is_read_only(action),
                "{} is not a read-only action",
                action.iam_name()
            );
            assert!(
                !action.feeds.is_empty(),
                "{} feeds nothing",
                action.iam_name()
            );
        }
        for required in [
            "sts:GetCallerIdentity",
            "ec2:DescribeRegions",
            "ec2:DescribeVpcs",
            "ec2:DescribeInstances",
            "elasticloadbalancing:DescribeTargetHealth",
            "rds:DescribeDBInstances",
        ] {
            assert!(
                names.iter().any(|name| name == required),
                "{required} missing"
            );
        }
    }
}

#[cfg(test)]
mod readme {
    use super::*;

    /// The README's permission table lists exactly the actions strata calls.
    #[test]
    fn the_readme_lists_every_action() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"));
        for action in all_actions() {
            let row = readme
                .lines()
                .find(|line| line.starts_with(&format!("| `{}` |", action.service)))
                .unwrap_or_else(|| panic!("README has no permission row for {}", action.service));
            assert!(
                row.contains(&format!("`{}`", action.name)),
                "README's {} row lacks {}",
                action.service,
                action.name
            );
        }
        // Count the action names of the permission rows only: the cell after
        // the service, every backticked name that starts with a capital.
        let services: Vec<&str> = all_actions().iter().map(|a| a.service).collect();
        let listed = readme
            .lines()
            .filter(|line| {
                services
                    .iter()
                    .any(|s| line.starts_with(&format!("| `{s}` |")))
            })
            .filter_map(|line| line.split('|').nth(2))
            .flat_map(|cell| cell.split('`').skip(1).step_by(2))
            .filter(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
            .count();
        assert_eq!(
            listed,
            all_actions().len(),
            "README lists actions strata does not call"
        );
    }
}
