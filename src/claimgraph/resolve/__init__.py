"""claimgraph.resolve."""
