//! Node ids: readable, unique in a graph, and stable across scans of the same
//! estate (they are built from AWS identifiers only, never from positions or
//! scan times). The scheme is documented in the README's graph section.

use crate::snapshot::ResourceKind;

/// The one node every rule open to `0.0.0.0/0` or `::/0` comes from.
pub const INTERNET: &str = "internet";

/// `account:<account>`.
pub fn account(account: &str) -> String {
    format!("account:{account}")
}

/// `region:<account>:<region>`.
pub fn region(account: &str, region: &str) -> String {
    format!("region:{account}:{region}")
}

/// `availability-zone:<account>:<region>:<vpc-id>:<zone>`: one per VPC and zone,
/// because a zone frame is drawn inside its VPC.
pub fn zone(account: &str, region: &str, vpc_id: &str, zone: &str) -> String {
    format!("availability-zone:{account}:{region}:{vpc_id}:{zone}")
}

/// `<kind>:<account>:<region>:<resource-id>` for every regional AWS resource.
pub fn scoped(
    kind: impl Into<ResourceKind>,
    account: &str,
    region: &str,
    resource_id: &str,
) -> String {
    let kind = kind.into();
    format!("{kind}:{account}:{region}:{resource_id}")
}

/// Load balancers and target groups have no id but their ARN; their node id
/// uses the ARN's resource part (`app/web/50dc6c495c0c9188`,
/// `web/73e2d6bc24d8a067`), which is unique per account and region.
pub fn elb(kind: impl Into<ResourceKind>, account: &str, region: &str, arn: &str) -> String {
    scoped(kind, account, region, elb_resource_part(arn))
}

/// `loadbalancer/app/web/50dc…` → `app/web/50dc…`; anything unparsable is
/// used whole.
pub fn elb_resource_part(arn: &str) -> &str {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or(arn);
    resource.split_once('/').map_or(resource, |(_, rest)| rest)
}

/// `cidr:<range>` for an outside address range, `cidr:<pl-id>` for a prefix list.
pub fn cidr(range: &str) -> String {
    format!("cidr:{range}")
}

/// The account and region named in an ARN (`arn:aws:rds:eu-west-1:1234…:db:x`).
pub fn arn_account_region(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    if parts.next() != Some("arn") {
        return None;
    }
    let (_partition, _service) = (parts.next()?, parts.next()?);
    let region = parts.next()?;
    let account = parts.next()?;
    Some((account, region))
}

/// The last `:`-separated part of an ARN (`…:db:ledger` → `ledger`).
pub fn arn_last_part(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elb_ids_use_the_arn_resource_part() {
        let arn = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188";
        assert_eq!(
            elb(
                crate::services::elbv2::Kind::LoadBalancer,
                "111111111111",
                "eu-west-1",
                arn
            ),
            "load-balancer:111111111111:eu-west-1:app/web/50dc6c495c0c9188"
        );
        let tg =
            "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/web/73e2d6bc24d8a067";
        assert_eq!(elb_resource_part(tg), "web/73e2d6bc24d8a067");
        assert_eq!(elb_resource_part("not-an-arn"), "not-an-arn");
        assert_eq!(
            arn_account_region("arn:aws:rds:us-east-1:222222222222:db:ledger"),
            Some(("222222222222", "us-east-1"))
        );
        assert_eq!(
            arn_last_part("arn:aws:rds:us-east-1:222222222222:db:ledger"),
            "ledger"
        );
    }
}
