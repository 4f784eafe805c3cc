"""claimgraph.link."""
