"""claimgraph.scale."""
