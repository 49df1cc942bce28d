//! The inference driver: runs the services' rules phase by phase, in
//! registry order, over one inventory of the snapshot, and collects their
//! nodes and merged edges into a [`Graph`]. The rules live in the services
//! (`crate::services::*`); this module owns only the order of the phases.

use super::builder::Builder;
use super::inventory::Inventory;
use super::rules::{Holding, Holdings, InterfaceOwners, Owning, Placing, Relating};
use super::Graph;
use crate::services;
use crate::snapshot::Snapshot;

/// Build the graph of a snapshot.
pub fn build(snapshot: &Snapshot) -> Graph {
    let inventory = Inventory::new(snapshot);
    let mut builder = Builder::new(snapshot);
    let mut owners = InterfaceOwners::default();
    let placing = |builder: &mut Builder, owners: &InterfaceOwners, attached: bool| {
        for service in services::RULES {
            let mut cx = Placing {
                inventory: &inventory,
                builder: &mut *builder,
                owners,
            };
            if attached {
                service.place_attached(&mut cx);
            } else {
                service.place(&mut cx);
            }
        }
    };
    placing(&mut builder, &owners, false);
    for service in services::RULES {
        service.own_interfaces(&mut Owning {
            inventory: &inventory,
            builder: &builder,
            owners: &mut owners,
        });
    }
    placing(&mut builder, &owners, true);
    let mut holdings = Holdings::default();
    for service in services::RULES {
        service.hold(&mut Holding {
            inventory: &inventory,
            builder: &builder,
            owners: &owners,
            holdings: &mut holdings,
        });
    }
    let network = holdings.index();
    for service in services::RULES {
        service.relate(&mut Relating {
            inventory: &inventory,
            builder: &mut builder,
            network: &network,
        });
    }
    builder.finish()
}
