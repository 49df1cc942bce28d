"""moto's server with the fields moto 5.2.5 leaves out of its answers filled
in the way the AWS API reference documents them, so that the scanners read
what AWS sends. Nothing here invents state: every field is derived from
what the test seeded through the API.

Run as `python moto_server.py -H 127.0.0.1 -p PORT` (moto.server's options).
"""

import sys

from moto.elasticache import models as elasticache


def cache_security_groups(cluster):
    # DescribeCacheClusters: "SecurityGroups: A list of VPC Security Groups
    # associated with the cluster" (id and status); moto keeps the ids it was
    # given but never sends them.
    return [{"security_group_id": group, "status": "active"} for group in cluster.security_group_ids]


def cache_nodes(cluster):
    # DescribeCacheClusters with ShowCacheNodeInfo: one CacheNode per node,
    # with its id (0001, 0002, …), status, endpoint and the zone it runs in
    # (CustomerAvailabilityZone); moto sends none. The zones are the ones the
    # cluster was created with (PreferredAvailabilityZones, else
    # PreferredAvailabilityZone), as AWS places them.
    zones = cluster.preferred_availability_zones or [cluster.preferred_availability_zone]
    return [
        {
            "cache_node_id": f"{index + 1:04}",
            "cache_node_status": "available",
            "customer_availability_zone": zones[index % len(zones)],
            "endpoint": {
                "address": f"{cluster.cache_cluster_id}.{index + 1:04}.cache.amazonaws.com",
                "port": cluster.port,
            },
        }
        for index in range(cluster.num_cache_nodes)
    ]


elasticache.CacheCluster.security_groups = property(cache_security_groups)
elasticache.CacheCluster.cache_nodes = property(cache_nodes)

_subnet_group_init = elasticache.CacheSubnetGroup.__init__


def subnet_group_init(self, *args, **kwargs):
    # DescribeCacheSubnetGroups: SubnetAvailabilityZone is a structure
    # {Name: zone}; moto stores the bare zone name and sends `{}`.
    _subnet_group_init(self, *args, **kwargs)
    for subnet in self.subnets:
        zone = subnet.get("subnet_availability_zone")
        if isinstance(zone, str):
            subnet["subnet_availability_zone"] = {"name": zone}


elasticache.CacheSubnetGroup.__init__ = subnet_group_init

if __name__ == "__main__":
    from moto.server import main

    sys.exit(main(sys.argv[1:]))
