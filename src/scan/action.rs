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
