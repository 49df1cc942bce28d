//! The snapshot's resources in a fixed order with keyed lookups, so every
//! inference pass reads typed attributes without scanning the whole
//! snapshot per question. Owns no inference.

use std::collections::HashMap;

use crate::snapshot::*;

type Key<'s> = (ResourceKind, &'s str, &'s str, &'s str);

/// Resources sorted by `(account, region, kind, id)` whatever order the
/// snapshot holds them in: every pass iterates this, which is what makes the
/// graph independent of resource order.
pub(crate) struct Inventory<'s> {
    pub resources: Vec<&'s Resource>,
    by_key: HashMap<Key<'s>, &'s Resource>,
}

macro_rules! typed_access {
    ($( $all:ident, $one:ident: $variant:ident($attrs:ty); )+) => {
        impl<'s> Inventory<'s> {
            $(
                /// Every resource of this kind with its attributes, in inventory order.
                #[allow(dead_code)]
                pub fn $all(&self) -> impl Iterator<Item = (&'s Resource, &'s $attrs)> + '_ {
                    self.resources.iter().filter_map(|resource| match &resource.detail {
                        Detail::$variant(attrs) => Some((*resource, attrs)),
                        _ => None,
                    })
                }

                /// The resource of this kind with this id in this account and region.
                #[allow(dead_code)]
                pub fn $one(&self, account: &str, region: &str, id: &str) -> Option<(&'s Resource, &'s $attrs)> {
                    let resource = self.get(ResourceKind::$variant, account, region, id)?;
                    match &resource.detail {
                        Detail::$variant(attrs) => Some((resource, attrs)),
                        _ => None,
                    }
                }
            )+
        }
    };
}

typed_access! {
    zones, zone: AvailabilityZone(AvailabilityZoneAttrs);
    vpcs, vpc: Vpc(VpcAttrs);
    subnets, subnet: Subnet(SubnetAttrs);
    route_tables, route_table: RouteTable(RouteTableAttrs);
    internet_gateways, internet_gateway: InternetGateway(InternetGatewayAttrs);
    egress_only_gateways, egress_only_gateway: EgressOnlyInternetGateway(InternetGatewayAttrs);
    nat_gateways, nat_gateway: NatGateway(NatGatewayAttrs);
    elastic_ips, elastic_ip: ElasticIp(ElasticIpAttrs);
    vpc_endpoints, vpc_endpoint: VpcEndpoint(VpcEndpointAttrs);
    peerings, peering: VpcPeeringConnection(VpcPeeringConnectionAttrs);
    transit_gateways, transit_gateway: TransitGateway(TransitGatewayAttrs);
    tgw_attachments, tgw_attachment: TransitGatewayAttachment(TransitGatewayAttachmentAttrs);
    security_groups, security_group: SecurityGroup(SecurityGroupAttrs);
    interfaces, interface: NetworkInterface(NetworkInterfaceAttrs);
    instances, instance: Ec2Instance(Ec2InstanceAttrs);
    volumes, volume: EbsVolume(EbsVolumeAttrs);
    load_balancers, load_balancer: LoadBalancer(LoadBalancerAttrs);
    listeners, listener: Listener(ListenerAttrs);
    target_groups, target_group: TargetGroup(TargetGroupAttrs);
    db_subnet_groups, db_subnet_group: DbSubnetGroup(DbSubnetGroupAttrs);
    rds_instances, rds_instance: RdsInstance(RdsInstanceAttrs);
    rds_clusters, rds_cluster: RdsCluster(RdsClusterAttrs);
}

impl<'s> Inventory<'s> {
    pub fn new(snapshot: &'s Snapshot) -> Inventory<'s> {
        let mut resources: Vec<&Resource> = snapshot.resources.iter().collect();
        resources.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // A duplicated resource (the same key twice) is one resource: keep
        // the first in sorted order.
        resources.dedup_by(|b, a| a.sort_key() == b.sort_key());
        let by_key = resources
            .iter()
            .map(|r| {
                (
                    (
                        r.kind(),
                        r.account.as_str(),
                        r.region.as_str(),
                        r.id.as_str(),
                    ),
                    *r,
                )
            })
            .collect();
        Inventory { resources, by_key }
    }

    pub fn get(
        &self,
        kind: ResourceKind,
        account: &str,
        region: &str,
        id: &str,
    ) -> Option<&'s Resource> {
        self.by_key.get(&(kind, account, region, id)).copied()
    }
}
