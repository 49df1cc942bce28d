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

macro_rules! typed_lists {
    ($( $all:ident: $variant:ident($attrs:ty); )+) => {
        impl<'s> Inventory<'s> {
            $(
                /// Every resource of this kind with its attributes, in inventory order.
                pub fn $all(&self) -> impl Iterator<Item = (&'s Resource, &'s $attrs)> + '_ {
                    self.resources.iter().filter_map(|resource| match &resource.detail {
                        Detail::$variant(attrs) => Some((*resource, attrs)),
                        _ => None,
                    })
                }
            )+
        }
    };
}

macro_rules! typed_lookups {
    ($( $one:ident: $variant:ident($attrs:ty); )+) => {
        impl<'s> Inventory<'s> {
            $(
                /// The resource of this kind with this id in this account and region.
                pub fn $one(&self, account: &str, region: &str, id: &str) -> Option<(&'s Resource, &'s $attrs)> {
                    let resource = self.by_key.get(&(ResourceKind::$variant, account, region, id))?;
                    match &resource.detail {
                        Detail::$variant(attrs) => Some((*resource, attrs)),
                        _ => None,
                    }
                }
            )+
        }
    };
}

typed_lists! {
    vpcs: Vpc(VpcAttrs);
    subnets: Subnet(SubnetAttrs);
    route_tables: RouteTable(RouteTableAttrs);
    internet_gateways: InternetGateway(InternetGatewayAttrs);
    egress_only_gateways: EgressOnlyInternetGateway(InternetGatewayAttrs);
    nat_gateways: NatGateway(NatGatewayAttrs);
    elastic_ips: ElasticIp(ElasticIpAttrs);
    vpc_endpoints: VpcEndpoint(VpcEndpointAttrs);
    peerings: VpcPeeringConnection(VpcPeeringConnectionAttrs);
    transit_gateways: TransitGateway(TransitGatewayAttrs);
    tgw_attachments: TransitGatewayAttachment(TransitGatewayAttachmentAttrs);
    security_groups: SecurityGroup(SecurityGroupAttrs);
    interfaces: NetworkInterface(NetworkInterfaceAttrs);
    instances: Ec2Instance(Ec2InstanceAttrs);
    volumes: EbsVolume(EbsVolumeAttrs);
    load_balancers: LoadBalancer(LoadBalancerAttrs);
    listeners: Listener(ListenerAttrs);
    target_groups: TargetGroup(TargetGroupAttrs);
    rds_instances: RdsInstance(RdsInstanceAttrs);
    rds_clusters: RdsCluster(RdsClusterAttrs);
}

typed_lookups! {
    zone: AvailabilityZone(AvailabilityZoneAttrs);
    subnet: Subnet(SubnetAttrs);
    db_subnet_group: DbSubnetGroup(DbSubnetGroupAttrs);
}

impl<'s> Inventory<'s> {
    pub fn new(snapshot: &'s Snapshot) -> Inventory<'s> {
        let mut resources: Vec<&Resource> = snapshot.resources.iter().collect();
        // A resource listed twice under one key (a damaged or hand-merged
        // snapshot) is one resource: order the copies by content, which only
        // costs anything for duplicates, and keep the first.
        resources.sort_by(|a, b| {
            a.sort_key().cmp(&b.sort_key()).then_with(|| {
                let text = |r: &Resource| serde_json::to_string(r).unwrap_or_default();
                text(a).cmp(&text(b))
            })
        });
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
}
