//! Subnet tiers and `routes` edges, both read from a subnet's effective route
//! table: its explicit association, else its VPC's main table.
//!
//! Tier rules: `public` when a default route (`0.0.0.0/0` or `::/0`) goes to
//! an internet gateway, whatever else the table holds; `private` when a
//! default route goes anywhere else (NAT gateway, transit gateway, instance,
//! interface, egress-only gateway, virtual private gateway…); `isolated`
//! without a default route. Blackhole routes carry no traffic and count for
//! nothing in the tier (their edges are still drawn, marked `state`).

use std::collections::{BTreeMap, HashMap};

use petgraph::graph::NodeIndex;
use serde_json::Value;

use super::model::*;
use super::graph::Gateways;
use super::Kind;
use crate::graph::builder::Builder;
use crate::graph::ids;
use crate::graph::inventory::Inventory;
use crate::graph::rules::Network;
use crate::graph::{EdgeKind, Tier};
use crate::services::compute;
use crate::snapshot::Resource;

/// The tier a route table gives the subnets that use it.
pub(crate) fn tier(routes: &[Route]) -> Tier {
    let mut tier = Tier::Isolated;
    for route in routes {
        let is_default = route.destination == "0.0.0.0/0" || route.destination == "::/0";
        if !is_default || route.state == "blackhole" {
            continue;
        }
        match route.target {
            RouteTarget::InternetGateway(_) => return Tier::Public,
            RouteTarget::Local => {}
            _ => tier = Tier::Private,
        }
    }
    tier
}

/// The route table a subnet uses and whether it is explicitly associated.
pub(crate) struct Effective<'s> {
    pub table: &'s Resource,
    pub attrs: &'s RouteTableAttrs,
    pub explicit: bool,
}

type Scope<'s> = (&'s str, &'s str, &'s str);

/// Route tables indexed by the subnets they are associated with and by the
/// VPCs they are main for.
pub(crate) struct RouteTables<'s> {
    explicit: HashMap<Scope<'s>, (&'s Resource, &'s RouteTableAttrs)>,
    main: HashMap<Scope<'s>, (&'s Resource, &'s RouteTableAttrs)>,
}

impl<'s> RouteTables<'s> {
    pub fn new(inventory: &Inventory<'s>) -> RouteTables<'s> {
        let mut explicit = HashMap::new();
        let mut main = HashMap::new();
        for (table, attrs) in inventory.all::<RouteTableAttrs>() {
            let scope = |id: &'s str| (table.account.as_str(), table.region.as_str(), id);
            if attrs.main || attrs.associations.iter().any(|a| a.main) {
                main.entry(scope(attrs.vpc_id.as_str()))
                    .or_insert((table, attrs));
            }
            for association in &attrs.associations {
                if let Some(subnet) = association.subnet_id.as_deref() {
                    explicit.entry(scope(subnet)).or_insert((table, attrs));
                }
            }
        }
        RouteTables { explicit, main }
    }

    pub fn effective(&self, subnet: &Resource, attrs: &SubnetAttrs) -> Option<Effective<'s>> {
        let (account, region) = (subnet.account.as_str(), subnet.region.as_str());
        if let Some(&(table, table_attrs)) =
            self.explicit.get(&(account, region, subnet.id.as_str()))
        {
            return Some(Effective {
                table,
                attrs: table_attrs,
                explicit: true,
            });
        }
        let &(table, table_attrs) = self.main.get(&(account, region, attrs.vpc_id.as_str()))?;
        Some(Effective {
            table,
            attrs: table_attrs,
            explicit: false,
        })
    }
}

/// `routes`: subnet → gateway, NAT, peering, transit gateway, endpoint,
/// instance or interface its effective table sends traffic to; label = the
/// destinations, evidence = `<route-table-id>:<destination>`.
pub(crate) fn add_routes(
    inventory: &Inventory,
    routing: &RouteTables,
    network: &Network,
    gateways: &Gateways,
    builder: &mut Builder,
) {
    for (subnet, attrs) in inventory.all::<SubnetAttrs>() {
        let Some(from) = builder.resource_ix(
            Kind::Subnet,
            &subnet.account,
            &subnet.region,
            &subnet.id,
        ) else {
            continue;
        };
        let Some(effective) = routing.effective(subnet, attrs) else {
            continue;
        };
        for route in &effective.attrs.routes {
            let Some(to) = route_target(builder, network, gateways, subnet, &route.target) else {
                continue;
            };
            let mut edge_attrs = BTreeMap::new();
            if route.state == "blackhole" {
                edge_attrs.insert("state".to_string(), Value::from("blackhole"));
            }
            let evidence = format!("{}:{}", effective.table.id, route.destination);
            builder.relate(
                from,
                to,
                EdgeKind::Routes,
                &route.destination,
                &evidence,
                edge_attrs,
            );
        }
    }
}

fn route_target(
    builder: &Builder,
    network: &Network,
    gateways: &Gateways,
    subnet: &Resource,
    target: &RouteTarget,
) -> Option<NodeIndex> {
    let (account, region) = (subnet.account.as_str(), subnet.region.as_str());
    let scoped = |kind: crate::snapshot::ResourceKind, id: &str| {
        builder.node_ix(&ids::scoped(kind, account, region, id))
    };
    match target {
        RouteTarget::InternetGateway(id) => scoped(Kind::InternetGateway.into(), id),
        RouteTarget::EgressOnlyInternetGateway(id) => {
            scoped(Kind::EgressOnlyInternetGateway.into(), id)
        }
        RouteTarget::NatGateway(id) => scoped(Kind::NatGateway.into(), id),
        RouteTarget::VpcEndpoint(id) => scoped(Kind::VpcEndpoint.into(), id),
        RouteTarget::Instance(id) => scoped(compute::Kind::Instance.into(), id),
        RouteTarget::TransitGateway(id) => gateways.transit_gateway(region, id),
        RouteTarget::VpcPeeringConnection(id) => gateways.peering(id),
        RouteTarget::NetworkInterface(id) => network.interface_holder(account, region, id),
        // Strata draws no node for these (yet): the route still shapes the tier.
        RouteTarget::Local
        | RouteTarget::VirtualPrivateGateway(_)
        | RouteTarget::LocalGateway(_)
        | RouteTarget::CarrierGateway(_)
        | RouteTarget::CoreNetwork(_)
        | RouteTarget::Other(_) => None,
    }
}
