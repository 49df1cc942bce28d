//! Which attributes of load balancers, listeners and target groups are
//! identifiers, field by field (every struct is taken apart whole, so a new
//! field does not build until it is decided here). ARNs, names, DNS names,
//! ids and target addresses are redacted; types, schemes, protocols, ports,
//! zones and health stay.

use super::model::*;
use super::Detail;
use crate::redact::Redactor;

pub(crate) fn redact(detail: &mut Detail, r: &Redactor) {
    match detail {
        Detail::LoadBalancer(LoadBalancerAttrs {
            lb_type: _,
            scheme: _,
            state: _,
            vpc_id,
            dns_name,
            ip_address_type: _,
            availability_zones,
            security_group_ids,
            created_time: _,
        }) => {
            r.id(vpc_id);
            r.host(dns_name);
            for LoadBalancerZone {
                zone_name: _,
                subnet_id,
            } in availability_zones
            {
                r.id(subnet_id);
            }
            r.ids(security_group_ids);
        }
        Detail::Listener(ListenerAttrs {
            load_balancer_arn,
            protocol: _,
            port: _,
            default_actions,
            rules,
        }) => {
            r.id(load_balancer_arn);
            default_actions
                .iter_mut()
                .for_each(|action| listener_action(action, r));
            for ListenerRule {
                rule_arn,
                priority: _,
                actions,
            } in rules
            {
                r.id(rule_arn);
                actions
                    .iter_mut()
                    .for_each(|action| listener_action(action, r));
            }
        }
        Detail::TargetGroup(TargetGroupAttrs {
            name,
            protocol: _,
            port: _,
            target_type: _,
            vpc_id,
            load_balancer_arns,
            health_check_protocol: _,
            health_check_path,
            targets,
        }) => {
            r.id(name);
            r.opt_id(vpc_id);
            r.ids(load_balancer_arns);
            // A path can name the application (`/orders/health`).
            r.opt_text(health_check_path);
            for Target {
                id,
                port: _,
                availability_zone: _,
                health: _,
                reason: _,
            } in targets.iter_mut().flatten()
            {
                r.id(id);
            }
        }
    }
}

fn listener_action(action: &mut ListenerAction, r: &Redactor) {
    let ListenerAction {
        action_type: _,
        target_group_arns,
    } = action;
    r.ids(target_group_arns);
}
