"""The training toolbox: optimisers, batch normalisation, dropout, universal approximation."""
